import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { createMailer } from './index.js';

describe('mailer', () => {
  it('delivers over real SMTP when SMTP_URL is set', async () => {
    const received: { from: string; to: string[]; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Fanfare <site@example.org>', outboxDir: '/nonexistent', log: pino({ level: 'silent' }) });
    try {
      await mailer.send({ to: 'fan@example.org', subject: 'Bonjour é', text: 'Lien : https://example.org/x' });
      assert.equal(received.length, 1);
      assert.deepEqual(received[0]!.to, ['fan@example.org']);
      assert.equal(received[0]!.from, 'site@example.org');
      assert.match(received[0]!.data, /Subject: =\?UTF-8\?/);
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('writes an .eml file to the outbox and logs its links when no SMTP is set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    const lines: string[] = [];
    const mailer = createMailer({ from: 'site@example.org', outboxDir: dir, log: pino({ level: 'info' }, { write: (l: string) => lines.push(l) }) });
    try {
      await mailer.send({ to: 'fan@example.org', subject: 'Hi', text: 'Open https://example.org/auth/magic?token=abc now' });
      const files = readdirSync(dir);
      assert.equal(files.length, 1);
      assert.match(files[0]!, /\.eml$/);
      const eml = readFileSync(path.join(dir, files[0]!), 'utf8');
      assert.match(eml, /To: fan@example.org/);
      assert.match(lines.join(''), /https:\/\/example.org\/auth\/magic\?token=abc/);
    } finally {
      mailer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
