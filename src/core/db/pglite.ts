import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLITE_SETTINGS } from './pglite-memory.js';
import type { Db, Queryable } from './types.js';

/**
 * Opens the embedded engine. `dataDir` persists to disk; without it the database lives in memory (tests).
 * PGlite is one connection: it queues queries, and a transaction holds the queue until it ends.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // unaccent: search ignores accents (migration 018), as PostgreSQL's contrib extension does.
  const pg = await PGlite.create({ dataDir, extensions: { unaccent }, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const root = wrap(pg);
  return {
    engine: 'pglite',
    query: root.query,
    exec: root.exec,
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    close: () => pg.close(),
  };
}
