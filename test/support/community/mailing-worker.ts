// A worker process that sends community mailings through a real SMTP server, as `npm run worker` would:
// the crash test and the newsletter benchmark SIGKILL it mid-send and start another.
// Usage: node --import tsx mailing-worker.ts <postgres-url> <smtp-port> <lease-seconds>
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { SEND_MAILING_JOB, sendMailingHandler } from '../../../src/community/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { loadConfig } from '../../../src/core/config.js';
import { openPostgres } from '../../../src/core/db/postgres.js';
import type { AppDeps } from '../../../src/core/deps.js';
import { silentEventBus } from '../../../src/core/events/index.js';
import { createWorker } from '../../../src/core/jobs/worker.js';
import { createMailer } from '../../../src/core/mail/index.js';
import { createLocalStorage } from '../../../src/core/storage/index.js';
import { TEST_SIGNING_SECRET } from '../deps.js';
import { silentLog } from '../jobs/helpers.js';

const [url, smtpPort, leaseSeconds] = process.argv.slice(2);
if (!url || !smtpPort || !leaseSeconds) throw new Error('usage: mailing-worker.ts <postgres-url> <smtp-port> <lease-seconds>');

const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-mailer-'));
const smtpUrl = `smtp://127.0.0.1:${smtpPort}/?pool=true&maxConnections=1&maxMessages=Infinity`;
const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://fanfare.test', SMTP_URL: smtpUrl, NEWSLETTER_RATE_PER_SECOND: '0' });
const db = await openPostgres(url, { max: 3 });
const log = pino({ level: 'silent' });
const deps: AppDeps = {
  config,
  db,
  log,
  clock: systemClock,
  events: silentEventBus,
  mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(dir, 'outbox'), log }),
  storage: createLocalStorage(path.join(dir, 'media')),
  signingSecret: TEST_SIGNING_SECRET,
};
const worker = createWorker({
  db,
  log: silentLog,
  workerId: `mailer:${process.pid}`,
  leaseSeconds: Number(leaseSeconds),
  pollIntervalMs: 20,
  handlers: { [SEND_MAILING_JOB]: sendMailingHandler(deps) },
});
worker.start();
process.stdout.write('ready\n');
