import type { Queryable } from '../db/index.js';
import { RateLimitedError } from './errors.js';

export interface RateLimitOptions {
  /** What is being counted, e.g. `login:ip:203.0.113.9`. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  now: Date;
}

/**
 * Counts one hit in a fixed window kept in the database (shared by every process) and throws
 * RateLimitedError past `limit`. One upsert per hit: no read-then-write race.
 */
export async function hitRateLimit(db: Queryable, { bucket, limit, windowSeconds, now }: RateLimitOptions): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const rows = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [bucket, windowStart],
  );
  if (rows[0]!.hits > limit) {
    const retryAfter = Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000);
    throw new RateLimitedError(retryAfter);
  }
}

/** Drops windows older than a day. */
export async function pruneRateLimits(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [new Date(now.getTime() - 86_400_000)]);
}
