/**
 * Durable background jobs: transcoding, federation delivery, payment renewals, e-mail.
 *
 * A job is a row in `jobs` (migration 002), so it survives restarts and is shared by every process of the
 * site, on the embedded engine and on PostgreSQL alike. What the queue guarantees:
 *
 * - **Atomic enqueue.** `enqueue(tx, …)` inside a caller's transaction commits the job with the caller's rows
 *   or not at all.
 * - **Once per dedupe key.** A job enqueued twice with the same `dedupeKey` exists once, forever.
 * - **One runner per lease.** A claim leases the job to one worker (`FOR UPDATE SKIP LOCKED`, so workers in
 *   different processes never take the same job); the worker renews the lease while the handler runs. A
 *   worker that cannot renew in time (process frozen) loses the job; its handler's signal is aborted and
 *   nothing it does afterwards is recorded.
 * - **At-least-once execution, not exactly-once.** If a worker dies (killed, machine lost) its lease expires
 *   and another worker runs the job again, counting an attempt; a handler can also be cut off after it did
 *   its work but before the success was recorded. Handlers must therefore be idempotent: check whether the
 *   work is already done, write with unique keys, pass the job id as an idempotency key to payment
 *   providers and remote servers.
 * - **Bounded retries.** A failed attempt is retried after exponential backoff with jitter; after
 *   `maxAttempts` (or at once, for `PermanentJobError`) the job is `failed` with the error message in
 *   `last_error`. Expired leases count as attempts, so a job that crashes its worker cannot loop forever.
 * - **Live progress.** `reportProgress` writes percent and message to the row (throttled) for pages to show.
 * - **Time from the clock.** Every timestamp the queue writes or compares comes from the injected `Clock`,
 *   never SQL `now()`, so tests move time with a manual clock. In production every process uses real time,
 *   so hosts' clocks must agree (NTP) to well within a lease, or a live job could be taken over.
 *
 * Run work with `createWorker` in long-lived processes, or `runDueJobsOnce` in tests and scripts.
 */
export { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.js';
export { JobLeaseLostError, PermanentJobError, WorkerShutdownError } from './errors.js';
export {
  cancelJob,
  enqueue,
  getJob,
  LEASE_EXPIRED_MESSAGE,
  requeueJob,
  requeueStuckJobs,
  type EnqueueOptions,
  type EnqueueResult,
} from './queries.js';
export { runDueJobsOnce, type RunDueJobsOnceOptions, type RunDueJobsSummary } from './run-due.js';
export type { JobOutcome } from './run-job.js';
export type { BackoffOptions, Job, JobContext, JobHandler, JobHandlers, JobLog, JobStatus } from './types.js';
export { createWorker, type CreateWorkerOptions, type JobRunnerOptions, type Worker } from './worker.js';
