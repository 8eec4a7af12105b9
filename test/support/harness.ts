import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp, type AppServices } from '../../src/app.js';
import { createSiteServices } from '../../src/services.js';
import { createManualClock, systemClock, type Clock } from '../../src/core/clock.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { openTestDb } from './db.js';
import type { AppDeps } from '../../src/core/deps.js';
import { createMailer } from '../../src/core/mail/index.js';
import { createLocalStorage } from '../../src/core/storage/index.js';

export { openTestDb } from './db.js';

export interface TestSite {
  deps: AppDeps;
  services: AppServices;
  app: ReturnType<typeof createApp>;
  dir: string;
  outboxDir: string;
  close(): Promise<void>;
}

/** A whole site wired as in production, on a throwaway database and a temporary data folder. */
export async function createTestSite(options: { env?: Record<string, string>; clock?: Clock; services?: Partial<AppServices> } = {}): Promise<TestSite> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-test-'));
  // The machine's ffmpeg, as before; every other setting from the test's env only.
  const machine = { PATH: process.env.PATH, FFMPEG_PATH: process.env.FFMPEG_PATH, FFPROBE_PATH: process.env.FFPROBE_PATH };
  const config: Config = loadConfig({ ...machine, DATA_DIR: dir, LOG_LEVEL: 'silent', TRUST_PROXY: 'true', ...options.env });
  const { db, drop } = await openTestDb();
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const outboxDir = path.join(dir, 'outbox');
  const deps: AppDeps = {
    config,
    db,
    log,
    clock: options.clock ?? systemClock,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir, log }),
    storage: createLocalStorage(path.join(dir, 'media')),
    signingSecret: 'test-signing-secret-that-is-long-enough-0123456789',
  };
  // Payment rails come from the test's env only (never the machine's): the test bank by default.
  const services = { ...createSiteServices(deps), ...options.services };
  return {
    deps,
    services,
    app: createApp(deps, services),
    dir,
    outboxDir,
    async close() {
      deps.mailer.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { createManualClock };

/** E-mails written to the outbox, oldest first, as raw text. */
export function readOutbox(outboxDir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(outboxDir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(path.join(outboxDir, f), 'utf8'));
}

/** The magic-link token in the latest e-mail sent to `to`. */
export function latestMagicToken(outboxDir: string, to: string): string {
  const mail = readOutbox(outboxDir)
    .filter((m) => m.includes(`To: ${to}`))
    .at(-1);
  if (!mail) throw new Error(`no e-mail to ${to} in the outbox`);
  // Quoted-printable may wrap long lines with "=\n"; undo that before searching.
  const unfolded = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /\/auth\/magic\?token=([A-Za-z0-9_-]+)/.exec(unfolded);
  if (!match) throw new Error('no magic link in the e-mail');
  return match[1]!;
}
