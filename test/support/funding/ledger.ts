// Helpers for the ledger's tests: creators and fans as plain rows, and a fixed time.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../src/core/db/index.js';

/** Creates a channel row and returns its id. */
export async function createChannel(q: Queryable, handle = `c_${randomUUID().slice(0, 8)}`): Promise<string> {
  const rows = await q.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ($1, $2, 'en') RETURNING id`, [handle, handle]);
  return rows[0]!.id;
}

/** Creates a fan account row and returns its id. */
export async function createFan(q: Queryable): Promise<string> {
  const rows = await q.query<{ id: string }>(`INSERT INTO users (email, display_name) VALUES ($1, 'Fan') RETURNING id`, [`${randomUUID()}@example.org`]);
  return rows[0]!.id;
}

/** A fresh idempotency key. */
export function newKey(prefix = 'test'): string {
  return `${prefix}:${randomUUID()}`;
}

/** An instant in 2026, `day` of `month`, noon UTC. */
export function at(month: number, day: number, hour = 12): Date {
  return new Date(Date.UTC(2026, month - 1, day, hour));
}
