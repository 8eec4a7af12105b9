import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config.js';
import type { AppDeps } from '../../src/core/deps.js';
import { createEventBus, silentEventBus, type SubscriberIndex } from '../../src/core/events/index.js';
import { createMailer } from '../../src/core/mail/index.js';
import { createLocalStorage } from '../../src/core/storage/index.js';
import { openTestDb } from './db.js';

/** The CSRF signing secret of every test site. */
export const TEST_SIGNING_SECRET = 'test-signing-secret-that-is-long-enough-0123456789';

export interface TestDeps {
  deps: AppDeps;
  /** The temporary data folder (DATA_DIR): media under `media/`, e-mails under `outbox/`. */
  dir: string;
  outboxDir: string;
  /** Closes the mailer, drops the database and removes the data folder. */
  close(): Promise<void>;
}

/**
 * The dependencies boot.ts assembles, for tests: configuration from `env` only (never the machine's),
 * a throwaway database (openTestDb), a temporary data folder, e-mails written to its outbox, local media
 * storage, a silent log (TEST_LOG_LEVEL shows it), the system clock unless `clock` is given, and an event
 * bus for `subscribers`.
 */
export async function createTestDeps(options: { env?: Record<string, string>; clock?: Clock; subscribers?: SubscriberIndex } = {}): Promise<TestDeps> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-test-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', PAGE_CACHE_SECONDS: '0', ...options.env });
  const { db, drop } = await openTestDb();
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const outboxDir = path.join(dir, 'outbox');
  const clock = options.clock ?? systemClock;
  const deps: AppDeps = {
    config,
    db,
    log,
    clock,
    // Events reach the subscribers of the capability list the test builds; none when it builds none.
    events: options.subscribers ? createEventBus(options.subscribers, clock) : silentEventBus,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir, log }),
    storage: createLocalStorage(path.join(dir, 'media')),
    signingSecret: TEST_SIGNING_SECRET,
  };
  return {
    deps,
    dir,
    outboxDir,
    async close() {
      deps.mailer.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
