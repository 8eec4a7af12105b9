import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import type { Clock } from '../core/clock.js';
import type { Queryable } from '../core/db/index.js';

/** Options of {@link createDbKvStore}. */
export interface CreateDbKvStoreOptions {
  db: Queryable;
  clock: Clock;
}

/** Fedify hands over Temporal durations; only their length matters here. */
function ttlMs(options?: KvStoreSetOptions): number | undefined {
  if (!options?.ttl) return undefined;
  return options.ttl.total({ unit: 'millisecond' });
}

/**
 * Fedify's `KvStore` on the `federation_kv` table, so every process of the site shares one cache of
 * remote documents and keys and one record of processed inbox activities (nothing lives in process
 * memory). A key is stored as the JSON text of Fedify's string array; an expired entry reads as
 * missing. Expiry uses the injected clock, like the job queue.
 */
export function createDbKvStore(options: CreateDbKvStoreOptions): KvStore & { prune(): Promise<number> } {
  const { db, clock } = options;
  const keyText = (key: KvKey) => JSON.stringify(key);
  return {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const rows = await db.query<{ value: T }>(
        'SELECT value FROM federation_kv WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)',
        [keyText(key), clock.now()],
      );
      return rows[0]?.value;
    },
    async set(key: KvKey, value: unknown, setOptions?: KvStoreSetOptions): Promise<void> {
      const ttl = ttlMs(setOptions);
      const expiresAt = ttl === undefined ? null : new Date(clock.now().getTime() + ttl);
      await db.query(
        `INSERT INTO federation_kv (key, value, expires_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [keyText(key), JSON.stringify(value ?? null), expiresAt],
      );
    },
    async delete(key: KvKey): Promise<void> {
      await db.query('DELETE FROM federation_kv WHERE key = $1', [keyText(key)]);
    },
    /** Entries whose key starts with `prefix` (all of them without one), expired ones left out. */
    async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
      const all = !prefix || prefix.length === 0;
      const exact = all ? '' : keyText(prefix);
      // Keys are JSON arrays: a longer key with this prefix starts with the prefix's text minus its `]`, then a comma.
      const start = all ? '' : `${exact.slice(0, -1)},`;
      const rows = await db.query<{ key: string; value: unknown }>(
        `SELECT key, value FROM federation_kv
         WHERE ($1 OR key = $2 OR left(key, length($3)) = $3) AND (expires_at IS NULL OR expires_at > $4) ORDER BY key`,
        [all, exact, start, clock.now()],
      );
      for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
    },
    /** Removes expired entries; returns how many. Called by the reconcile job. */
    async prune(): Promise<number> {
      const rows = await db.query('DELETE FROM federation_kv WHERE expires_at <= $1 RETURNING key', [clock.now()]);
      return rows.length;
    },
  };
}
