import path from 'node:path';
import { openPgliteThread } from './pglite-thread.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Queryable } from './types.js';
export { first, isUniqueViolation } from './types.js';
export { migrate } from './migrate.js';

/** Opens PostgreSQL when `databaseUrl` is set, else the embedded engine persisted under `dataDir/db`, in a thread of its own. */
export function openDb(options: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPgliteThread(path.join(options.dataDir, 'db'));
}
