import { systemClock, type Clock } from '../clock.js';
import type { Queryable } from '../db/index.js';
import type { Job, JobStatus } from './types.js';

interface JobRow {
  id: number;
  type: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  progress: number | null;
  progress_message: string | null;
  last_error: string | null;
  result: unknown;
  dedupe_key: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** Maps a `jobs` row (selected with `*`) to a `Job`. */
export function toJob<P = unknown>(row: JobRow): Job<P> {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload as P,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    progress: row.progress,
    progressMessage: row.progress_message,
    lastError: row.last_error,
    result: row.result,
    dedupeKey: row.dedupe_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/** Reads `jobs` rows as `Job`s. */
export async function selectJobs<P = unknown>(q: Queryable, sql: string, params: readonly unknown[]): Promise<Job<P>[]> {
  return (await q.query<JobRow>(sql, params)).map((row) => toJob<P>(row));
}

/** JSON text for a jsonb parameter. Passing text (not the value) keeps pg from turning JS arrays into SQL arrays. */
export function toJsonText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`a job payload or result must be JSON, got ${typeof value}`);
  return text;
}

/** What to enqueue. `type` names the handler (lower case, e.g. `video.transcode`); the payload must be JSON. */
export interface EnqueueOptions<P = unknown> {
  type: string;
  payload?: P;
  /** Not before this time; defaults to now (from the clock). */
  runAt?: Date;
  /** Attempts before the job fails for good; defaults to 5. */
  maxAttempts?: number;
  /** A job with this key is only ever enqueued once; later calls return the existing job. */
  dedupeKey?: string;
}

/** The job, and whether this call created it (false when `dedupeKey` matched an existing job). */
export interface EnqueueResult<P = unknown> {
  job: Job<P>;
  created: boolean;
}

/**
 * Adds a job. Pass a transaction as `q` to commit the job with the rows it is about (an upload and its
 * transcoding job), so neither exists without the other. Timestamps come from `clock` so tests can move time.
 */
export async function enqueue<P = unknown>(
  q: Queryable,
  options: EnqueueOptions<P>,
  clock: Clock = systemClock,
): Promise<EnqueueResult<P>> {
  const now = clock.now();
  // ON CONFLICT DO NOTHING rather than catching unique_violation: an error would abort the caller's transaction.
  const inserted = await selectJobs<P>(
    q,
    `INSERT INTO jobs (type, payload, run_at, max_attempts, dedupe_key, created_at, updated_at)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $6)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING *`,
    [options.type, toJsonText(options.payload ?? {}), options.runAt ?? now, options.maxAttempts ?? 5, options.dedupeKey ?? null, now],
  );
  if (inserted[0]) return { job: inserted[0], created: true };
  const [existing] = await selectJobs<P>(q, 'SELECT * FROM jobs WHERE dedupe_key = $1', [options.dedupeKey]);
  // Only reachable under REPEATABLE READ when the other job committed after this transaction's snapshot.
  if (!existing) throw new Error(`job with dedupe key ${options.dedupeKey} exists but is not visible to this transaction`);
  return { job: existing, created: false };
}

/** The job with this id, or undefined. */
export async function getJob<P = unknown>(q: Queryable, id: number): Promise<Job<P> | undefined> {
  const [job] = await selectJobs<P>(q, 'SELECT * FROM jobs WHERE id = $1', [id]);
  return job;
}

/**
 * Cancels a job that has not finished; returns false when it had (nothing changes then). A running job's
 * worker notices at its next lease renewal (within a third of the lease) and aborts the handler's signal;
 * whatever the handler does afterwards is not recorded.
 */
export async function cancelJob(q: Queryable, id: number, clock: Clock = systemClock): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'cancelled', locked_by = NULL, locked_until = NULL, finished_at = $2, updated_at = $2
     WHERE id = $1 AND status IN ('queued', 'running')
     RETURNING id`,
    [id, clock.now()],
  );
  return rows.length > 0;
}

/**
 * Puts a failed or cancelled job back in the queue with all its attempts (an admin's "retry" button);
 * returns false when the job is not failed or cancelled. `last_error` is kept until the next failure.
 */
export async function requeueJob(q: Queryable, id: number, clock: Clock = systemClock): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2, finished_at = NULL, updated_at = $2
     WHERE id = $1 AND status IN ('failed', 'cancelled')
     RETURNING id`,
    [id, clock.now()],
  );
  return rows.length > 0;
}

/** The message stored as `last_error` for a job whose worker stopped responding. */
export const LEASE_EXPIRED_MESSAGE = 'The worker running this job stopped before finishing (its lease expired).';

/**
 * Recovers running jobs whose lease has expired (their worker was killed or hung): back to `queued`, due at
 * once, or `failed` when that attempt was the last, so a job that crashes its worker cannot loop forever.
 * Workers call this on every poll; it is exported for maintenance scripts and tests.
 */
export async function requeueStuckJobs(
  q: Queryable,
  clock: Clock = systemClock,
): Promise<{ requeued: number[]; failed: number[] }> {
  // SKIP LOCKED: a row locked by another worker is being claimed or settled right now, not stuck.
  const rows = await q.query<{ id: number; status: JobStatus }>(
    `WITH stuck AS (
       SELECT id FROM jobs WHERE status = 'running' AND locked_until <= $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET
       status = CASE WHEN jobs.attempts >= jobs.max_attempts THEN 'failed' ELSE 'queued' END,
       finished_at = CASE WHEN jobs.attempts >= jobs.max_attempts THEN $1::timestamptz END,
       run_at = $1, locked_by = NULL, locked_until = NULL, last_error = $2, updated_at = $1
     FROM stuck WHERE jobs.id = stuck.id
     RETURNING jobs.id, jobs.status`,
    [clock.now(), LEASE_EXPIRED_MESSAGE],
  );
  return {
    requeued: rows.filter((r) => r.status === 'queued').map((r) => r.id),
    failed: rows.filter((r) => r.status === 'failed').map((r) => r.id),
  };
}
