import type { Logger } from '../log.js';

/** Where a job is in its life. `queued` also covers a job waiting for its retry time. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One row of the `jobs` table. `payload` is `unknown`: handlers validate it (zod) before trusting it. */
export interface Job<P = unknown> {
  id: number;
  type: string;
  payload: P;
  status: JobStatus;
  /** Claims so far, including the current one while running. */
  attempts: number;
  maxAttempts: number;
  /** When the job becomes due (its first run, or its next retry). */
  runAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  /** 0–100 once the handler reports progress; null before. */
  progress: number | null;
  progressMessage: string | null;
  /** The message of the latest failure (no stack), kept after a later success for diagnosis. */
  lastError: string | null;
  /** What the handler returned, when it returned something JSON can hold. */
  result: unknown;
  dedupeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** What a handler is given for one attempt of one job. */
export interface JobContext<P = unknown> {
  job: Job<P>;
  /**
   * Aborted when the attempt should stop: the job was cancelled, the lease was lost to another worker,
   * or the worker is shutting down past its grace period. Pass it to fetch, child processes, etc.
   */
  signal: AbortSignal;
  /**
   * Records progress on the row for pages to show. Cheap to call often: writes are throttled and only
   * the latest value is kept. The promise never rejects; awaiting it is optional.
   */
  reportProgress(percent: number, message?: string): Promise<void>;
}

/**
 * Does the work of one job type. Runs at least once per job and possibly more (see index.ts), so it must be
 * idempotent. Its return value, if any, is stored as the job's `result`. Throw `PermanentJobError` for
 * failures a retry cannot fix; any other error is retried with backoff.
 */
export type JobHandler = (context: JobContext) => Promise<unknown>;

/** Handlers by job type. A worker only claims the types it has a handler for. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** The logger calls the queue makes; a pino `Logger` fits. */
export type JobLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** Exponential backoff between attempts: about `baseMs * 2^(attempt-1)`, capped at `capMs`, with jitter. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}
