import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../log.js';
import { randomToken } from '../crypto.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra header lines (`List-Unsubscribe`, `List-Unsubscribe-Post`); names and values are the caller's. */
  headers?: Record<string, string>;
  /** A stable Message-ID (`<id@host>`), so a message sent twice after a crash is recognisably the same one. */
  messageId?: string;
  /** The SMTP envelope (MAIL FROM is the Return-Path bounces go to: community's VERP address). */
  envelope?: { from: string; to: string };
}

/** Sends e-mail. Implementations: real SMTP, or an outbox folder of .eml files for local use. */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface CreateMailerOptions {
  smtpUrl?: string;
  from: string;
  outboxDir: string;
  log: Logger;
}

/** SMTP through nodemailer when `smtpUrl` is set; otherwise .eml files under `outboxDir`, their links logged. */
export function createMailer(options: CreateMailerOptions): Mailer {
  return options.smtpUrl ? createSmtpMailer(options.smtpUrl, options.from) : createOutboxMailer(options);
}

function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

function createOutboxMailer({ from, outboxDir, log }: CreateMailerOptions): Mailer {
  // nodemailer builds the exact bytes it would send over SMTP; we keep them instead of sending.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'outbox',
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      mkdirSync(outboxDir, { recursive: true });
      const file = path.join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomToken(6)}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      const links = message.text.match(/https?:\/\/\S+/g) ?? [];
      // Local mode only: the link is the way in when no mail server is configured.
      log.info({ to: message.to, subject: message.subject, file, links }, 'e-mail written to outbox');
    },
    close: () => transport.close(),
  };
}
