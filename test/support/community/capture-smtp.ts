// A real SMTP server (smtp-server) that keeps, per recipient, the Message-IDs it accepted: the crash test
// and the newsletter benchmark count misses and duplicates from it.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaptureSmtp {
  port: number;
  /** Accepted messages so far (every copy, resent ones included). */
  readonly accepted: number;
  /** Message-IDs accepted per recipient address, in order (a resent copy appears twice). */
  byRecipient: Map<string, string[]>;
  /** Called after each accepted message with the running count. */
  onAccepted?: (count: number) => void;
  close(): Promise<void>;
}

export async function startCaptureSmtp(): Promise<CaptureSmtp> {
  const byRecipient = new Map<string, string[]>();
  let accepted = 0;
  const capture: CaptureSmtp = {
    port: 0,
    get accepted() {
      return accepted;
    },
    byRecipient,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString();
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)';
        for (const rcpt of session.envelope.rcptTo) {
          const list = byRecipient.get(rcpt.address) ?? [];
          list.push(id);
          byRecipient.set(rcpt.address, list);
        }
        accepted += 1;
        callback();
        capture.onAccepted?.(accepted);
      });
    },
  });
  // A worker SIGKILLed mid-dialogue resets its connection: smtp-server reports it as an 'error' event,
  // which would otherwise end this process (the crash is what the benchmark and the crash test cause).
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.port = (server.server.address() as AddressInfo).port;
  return capture;
}

/** Misses, recipients with two different messages, and extra copies of one message (resent after a crash). */
export function countDeliveries(capture: CaptureSmtp, expected: readonly string[]): { misses: number; duplicates: number; resentCopies: number } {
  let misses = 0;
  let duplicates = 0;
  let resentCopies = 0;
  for (const address of expected) {
    const ids = capture.byRecipient.get(address) ?? [];
    if (ids.length === 0) misses += 1;
    if (new Set(ids).size > 1) duplicates += 1;
    resentCopies += ids.length - new Set(ids).size;
  }
  return { misses, duplicates, resentCopies };
}
