import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import type { EventBus } from './events/index.js';
import type { Logger } from './log.js';
import type { Mailer } from './mail/index.js';
import type { MediaStorage } from './storage/index.js';

/** Everything a capability needs from the outside world, passed in (never imported as globals). */
export interface AppDeps {
  config: Config;
  db: Db;
  mailer: Mailer;
  storage: MediaStorage;
  log: Logger;
  clock: Clock;
  /** Publishes domain events durably (one job per subscriber, in the caller's transaction). */
  events: EventBus;
  /** Signs CSRF tokens; shared by every process of the site. */
  signingSecret: string;
}
