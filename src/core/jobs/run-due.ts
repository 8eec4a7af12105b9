import { claimJobs, leaseOf, releaseJob } from './lease.js';
import { requeueStuckJobs } from './queries.js';
import type { JobOutcome } from './run-job.js';
import type { JobLog } from './types.js';
import { runnerSettings, runWithHandlers, type JobRunnerOptions } from './worker.js';

export interface RunDueJobsOnceOptions extends JobRunnerOptions {
  log?: JobLog;
  /** Stops a handler that keeps enqueueing due work from looping forever. Default 1000. */
  maxJobs?: number;
}

/** How many attempts ended each way, and the ids run in order. */
export type RunDueJobsSummary = Record<JobOutcome, number> & { jobIds: number[] };

const silent: JobLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Runs due jobs one at a time, oldest first, until none is due at the clock's time: the deterministic way for
 * tests (and one-off scripts) to drain the queue. Jobs scheduled later, such as retries after backoff, wait
 * until the clock is moved and this is called again. Expired leases are recovered first, like a worker does.
 */
export async function runDueJobsOnce(options: RunDueJobsOnceOptions): Promise<RunDueJobsSummary> {
  const settings = runnerSettings({ workerId: 'run-due-jobs-once', ...options }, options.log ?? silent);
  const maxJobs = options.maxJobs ?? 1000;
  const summary: RunDueJobsSummary = { succeeded: 0, retrying: 0, failed: 0, released: 0, lost: 0, jobIds: [] };
  for (;;) {
    await requeueStuckJobs(settings.db, settings.clock);
    const now = settings.clock.now();
    const [job] = await claimJobs(settings.db, { ...settings, limit: 1, now });
    if (!job) return summary;
    if (summary.jobIds.length >= maxJobs) {
      await releaseJob(settings.db, leaseOf(job, settings.workerId), now);
      throw new Error(`runDueJobsOnce ran ${maxJobs} jobs and more are still due`);
    }
    summary.jobIds.push(job.id);
    summary[await runWithHandlers(settings, options.handlers, job)] += 1;
  }
}
