import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { enqueue } from '../../core/jobs/index.js';

export const RENEW_JOB = 'membership.renew';

/** Queues the renewal of the period ending at `end` (once: the dedupe key names the period and attempt). */
export async function scheduleRenewal(deps: AppDeps, tx: Queryable, membershipId: string, end: Date, attempt = 0, runAt = end): Promise<void> {
  await enqueue(tx, { type: RENEW_JOB, payload: { membershipId, periodEnd: end.toISOString(), attempt }, runAt, dedupeKey: `renew:${membershipId}:${end.toISOString()}:${attempt}`, maxAttempts: 5 }, deps.clock);
}
