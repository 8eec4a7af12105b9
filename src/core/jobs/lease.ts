// The worker side of the table: claiming jobs, and the writes only the current lease holder may make.
// Every write names the lease (job, worker, attempt) so a worker that lost its job (lease expired and
// another worker took it, or the job was cancelled) changes nothing.
import type { Queryable } from '../db/index.js';
import { selectJobs } from './queries.js';
import type { Job } from './types.js';

/** The lease one attempt holds on one job. */
export interface Lease {
  jobId: number;
  workerId: string;
  /** The job's `attempts` when claimed: a later claim of the same job by the same worker is another lease. */
  attempt: number;
}

/** The lease a freshly claimed job carries. */
export function leaseOf(job: Job, workerId: string): Lease {
  return { jobId: job.id, workerId, attempt: job.attempts };
}

const OWNED = 'id = $1 AND locked_by = $2 AND attempts = $3 AND status = $4';
const ownedParams = (lease: Lease) => [lease.jobId, lease.workerId, lease.attempt, 'running'];

export interface ClaimOptions {
  types: readonly string[];
  workerId: string;
  limit: number;
  leaseSeconds: number;
  now: Date;
}

/**
 * Takes up to `limit` due jobs of the given types, oldest first, leasing them to `workerId` until
 * `now + leaseSeconds` and counting an attempt. The select and update are one statement, hence one
 * transaction: FOR UPDATE SKIP LOCKED makes concurrent claimers (other processes on PostgreSQL) pass over
 * rows another claimer holds instead of waiting for them or taking them too.
 */
export async function claimJobs(q: Queryable, options: ClaimOptions): Promise<Job[]> {
  if (options.limit <= 0 || options.types.length === 0) return [];
  const lockedUntil = new Date(options.now.getTime() + options.leaseSeconds * 1000);
  const jobs = await selectJobs(
    q,
    `WITH next AS (
       SELECT id FROM jobs
       WHERE status = 'queued' AND run_at <= $1 AND type = ANY($2::text[]) AND attempts < max_attempts
       ORDER BY run_at, id
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, locked_by = $4, locked_until = $5, updated_at = $1
     FROM next WHERE jobs.id = next.id
     RETURNING jobs.*`,
    [options.now, [...options.types], options.limit, options.workerId, lockedUntil],
  );
  // RETURNING has no defined order; handlers start in queue order.
  return jobs.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Extends the lease to `lockedUntil`; false when it is no longer held (cancelled, or taken over). */
export async function renewLease(q: Queryable, lease: Lease, lockedUntil: Date, now: Date): Promise<boolean> {
  const rows = await q.query(`UPDATE jobs SET locked_until = $5, updated_at = $6 WHERE ${OWNED} RETURNING id`, [
    ...ownedParams(lease),
    lockedUntil,
    now,
  ]);
  return rows.length > 0;
}

/** Stores progress; an omitted message keeps the previous one. */
export async function saveProgress(
  q: Queryable,
  lease: Lease,
  progress: { percent: number; message?: string | undefined },
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET progress = $5, progress_message = COALESCE($6, progress_message), updated_at = $7
     WHERE ${OWNED} RETURNING id`,
    [...ownedParams(lease), progress.percent, progress.message ?? null, now],
  );
  return rows.length > 0;
}

/** Marks the job succeeded with its result (JSON text or null); progress, if reported, reads 100. */
export async function completeJob(q: Queryable, lease: Lease, resultJson: string | null, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'succeeded', result = $5::jsonb, progress = CASE WHEN progress IS NULL THEN NULL ELSE 100 END,
       locked_by = NULL, locked_until = NULL, finished_at = $6, updated_at = $6
     WHERE ${OWNED} RETURNING id`,
    [...ownedParams(lease), resultJson, now],
  );
  return rows.length > 0;
}

/** Puts the job back in the queue until `runAt`, recording the failure. */
export async function scheduleRetry(q: Queryable, lease: Lease, error: string, runAt: Date, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'queued', run_at = $5, last_error = $6, locked_by = NULL, locked_until = NULL, updated_at = $7
     WHERE ${OWNED} RETURNING id`,
    [...ownedParams(lease), runAt, error, now],
  );
  return rows.length > 0;
}

/** Fails the job for good. */
export async function failJob(q: Queryable, lease: Lease, error: string, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'failed', last_error = $5, locked_by = NULL, locked_until = NULL, finished_at = $6, updated_at = $6
     WHERE ${OWNED} RETURNING id`,
    [...ownedParams(lease), error, now],
  );
  return rows.length > 0;
}

/**
 * Hands the job back, due at once, without counting the attempt: used when the worker shuts down, which
 * is not the job's fault.
 */
export async function releaseJob(q: Queryable, lease: Lease, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = $5, locked_by = NULL, locked_until = NULL, updated_at = $5
     WHERE ${OWNED} RETURNING id`,
    [...ownedParams(lease), now],
  );
  return rows.length > 0;
}
