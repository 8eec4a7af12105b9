import path from 'node:path';
import { systemClock, type Clock } from './core/clock.js';
import type { Config } from './core/config.js';
import { migrate, openDb } from './core/db/index.js';
import type { AppDeps } from './core/deps.js';
import { createEventBus, type SubscriberIndex } from './core/events/index.js';
import { invalidatingEventBus } from './core/http/page-cache.js';
import { createLogger, type Logger } from './core/log.js';
import { createMailer } from './core/mail/index.js';
import { loadSigningSecret } from './core/secrets.js';
import { createStorage } from './core/storage/index.js';

/** Opens the database, applies migrations and assembles the dependencies the app and CLI share. */
export async function boot(config: Config, options: { subscribers: SubscriberIndex; log?: Logger; clock?: Clock }): Promise<AppDeps> {
  const overrides = options;
  const log = overrides.log ?? createLogger(config.logLevel);
  let db = await openDb(config);
  const applied = await migrate(db);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  if (applied.length && db.engine === 'pglite') {
    // Creating the database grows the engine's WebAssembly memory (~450 MB more) and never gives it back;
    // a fresh engine thread on the migrated files starts small. Costs a second, only when migrations ran.
    await db.close();
    db = await openDb(config);
  }
  const clock = overrides.clock ?? systemClock;
  return {
    config,
    db,
    log,
    clock,
    // Every event also tells the page caches of every process that what visitors see may have changed.
    events: invalidatingEventBus(createEventBus(options.subscribers, clock)),
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox'), log }),
    storage: await createStorage(config.storage),
    signingSecret: await loadSigningSecret(db, config.secret),
  };
}
