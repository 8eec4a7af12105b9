import type { Clock } from '../clock.js';
import type { Queryable } from '../db/index.js';
import { backoffDelayMs } from './backoff.js';
import { JobLeaseLostError, PermanentJobError, WorkerShutdownError } from './errors.js';
import { completeJob, failJob, leaseOf, releaseJob, renewLease, saveProgress, scheduleRetry, type Lease } from './lease.js';
import { createProgressReporter } from './progress.js';
import { toJsonText } from './queries.js';
import type { BackoffOptions, Job, JobHandler, JobLog } from './types.js';

/** How one attempt ended: `lost` means the job was cancelled or taken over, so nothing was recorded. */
export type JobOutcome = 'succeeded' | 'retrying' | 'failed' | 'released' | 'lost';

export interface RunClaimedJobOptions {
  db: Queryable;
  job: Job;
  handler: JobHandler;
  workerId: string;
  leaseSeconds: number;
  clock: Clock;
  log: JobLog;
  backoff: BackoffOptions;
  random: () => number;
  progressIntervalMs: number;
  /** Aborted by the worker when its shutdown grace period is over. */
  shutdown?: AbortSignal;
}

const MAX_ERROR_LENGTH = 1000;

/** The part of an error fit for `last_error`: its message, not its stack. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return (text || 'unknown error').slice(0, MAX_ERROR_LENGTH);
}

/**
 * Runs the handler for a job this worker has just claimed, renewing the lease while it works, then records
 * the outcome. Handler errors never escape; database errors do (the lease then expires and the job is
 * retried by whichever worker recovers it).
 */
export async function runClaimedJob(options: RunClaimedJobOptions): Promise<JobOutcome> {
  const { db, job, clock, log } = options;
  const lease = leaseOf(job, options.workerId);
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new WorkerShutdownError(options.workerId));
  if (options.shutdown?.aborted) onShutdown();
  options.shutdown?.addEventListener('abort', onShutdown, { once: true });
  const heartbeat = startHeartbeat(options, lease, controller);
  const progress = createProgressReporter({
    save: (value) => saveProgress(db, lease, value, clock.now()),
    intervalMs: options.progressIntervalMs,
    log,
    jobId: job.id,
  });
  try {
    let resultJson: string | null;
    try {
      const value = await options.handler({ job, signal: controller.signal, reportProgress: progress.report });
      resultJson = toJsonText(value);
    } catch (error) {
      await heartbeat.stop();
      await progress.close();
      return await settleFailure(options, lease, controller.signal, error);
    }
    await heartbeat.stop();
    await progress.close();
    if (await completeJob(db, lease, resultJson, clock.now())) return 'succeeded';
    log.warn({ jobId: job.id, type: job.type }, 'job finished after losing its lease; result not recorded');
    return 'lost';
  } finally {
    await heartbeat.stop();
    options.shutdown?.removeEventListener('abort', onShutdown);
  }
}

async function settleFailure(
  options: RunClaimedJobOptions,
  lease: Lease,
  signal: AbortSignal,
  error: unknown,
): Promise<JobOutcome> {
  const { db, job, clock, log } = options;
  const now = clock.now();
  const context = { jobId: job.id, type: job.type, attempt: job.attempts };
  if (signal.reason instanceof JobLeaseLostError) {
    log.info(context, 'job stopped after it was cancelled or taken over');
    return 'lost';
  }
  if (signal.reason instanceof WorkerShutdownError) {
    log.info(context, 'job handed back to the queue at shutdown');
    return (await releaseJob(db, lease, now)) ? 'released' : 'lost';
  }
  const message = errorMessage(error);
  if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
    log.error({ ...context, err: error }, 'job failed');
    return (await failJob(db, lease, message, now)) ? 'failed' : 'lost';
  }
  const delay = backoffDelayMs(job.attempts, options.backoff, options.random);
  log.warn({ ...context, err: error, retryInMs: delay }, 'job attempt failed; will retry');
  return (await scheduleRetry(db, lease, message, new Date(now.getTime() + delay), now)) ? 'retrying' : 'lost';
}

/**
 * Renews the lease every third of its length, so two renewals can fail (a slow database) before it lapses.
 * A renewal that finds the lease gone (cancelled, or recovered by another worker) aborts the handler.
 */
function startHeartbeat(options: RunClaimedJobOptions, lease: Lease, controller: AbortController) {
  const { db, clock, log, leaseSeconds } = options;
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      const now = clock.now();
      const held = await renewLease(db, lease, new Date(now.getTime() + leaseSeconds * 1000), now);
      if (!held && !controller.signal.aborted) controller.abort(new JobLeaseLostError(lease.jobId));
    } catch (error) {
      log.warn({ err: error, jobId: lease.jobId }, 'could not renew job lease');
    } finally {
      renewing = undefined;
    }
  };
  const timer = setInterval(() => {
    renewing ??= renew();
  }, (leaseSeconds * 1000) / 3);
  return {
    /** Stops renewing and waits for a renewal in flight, so it cannot race the final write. */
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
