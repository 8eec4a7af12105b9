// A settlement run in a process of its own, for the crash tests: it settles a month on the given
// PostgreSQL database and, at the point named, prints STOPPED and hangs until the test kills it (SIGKILL).
// Usage: settle-and-hang.ts <database url> <month> <now ISO> <time zone> <stop: stage:<name> | answered:<n> | charged:<n>>
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../src/core/config.js';
import { openPostgres } from '../../../src/core/db/postgres.js';
import { createEventBus } from '../../../src/core/events/index.js';
import { createMailer } from '../../../src/core/mail/index.js';
import { createLocalStorage } from '../../../src/core/storage/index.js';
import { fanBudgetSettlement, settleMonth } from '../../../src/funding/fan-budget/index.js';
import { MODULES } from '../../../src/modules.js';
import { buildSite, subscriberIndex } from '../../../src/site.js';
import { TEST_SIGNING_SECRET } from '../deps.js';

const [url, month, now, timeZone, stop] = process.argv.slice(2) as [string, string, string, string, string];
const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-settle-child-'));
const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SITE_TIMEZONE: timeZone, TRUST_PROXY: 'true' });
const clock = { now: () => new Date(now) };
const log = pino({ level: 'silent' });
const db = await openPostgres(url, { max: 2 });
const deps = {
  config, db, log, clock,
  events: createEventBus(subscriberIndex(MODULES), clock),
  mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(dir, 'outbox'), log }),
  storage: createLocalStorage(path.join(dir, 'media')),
  signingSecret: TEST_SIGNING_SECRET,
};
const site = buildSite(deps, MODULES);
const hang = () => {
  process.stdout.write('STOPPED\n');
  return new Promise<void>(() => undefined);
};
let answered = 0;
let charged = 0;
await settleMonth(fanBudgetSettlement(site.ctx), month, {
  stage: (s) => (stop === `stage:${s}` ? hang() : undefined),
  answered: () => (stop === `answered:${++answered}` ? hang() : undefined),
  charged: () => (stop === `charged:${++charged}` ? hang() : undefined),
});
process.stdout.write('FINISHED\n');
process.exit(0);
