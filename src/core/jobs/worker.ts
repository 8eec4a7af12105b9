import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { claimJobs } from './lease.js';
import { requeueStuckJobs } from './queries.js';
import { runClaimedJob, type JobOutcome } from './run-job.js';
import { createWakeableSleep, settlesWithin } from './timing.js';
import type { BackoffOptions, Job, JobHandlers, JobLog } from './types.js';

/** Settings shared by `createWorker` and `runDueJobsOnce`. */
export interface JobRunnerOptions {
  db: Db;
  handlers: JobHandlers;
  /** Source of every timestamp the queue writes and compares; tests pass a manual clock. */
  clock?: Clock;
  /** Unique per worker instance; defaults to host:pid:random. */
  workerId?: string;
  /** How long a claim holds without renewal; a killed worker's jobs are retried after this. Default 60 s. */
  leaseSeconds?: number;
  backoff?: BackoffOptions;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Minimum time between two progress writes of one job. Default 1000 ms. */
  progressIntervalMs?: number;
}

export interface CreateWorkerOptions extends JobRunnerOptions {
  log: JobLog;
  /** Jobs run at once by this worker. Default 1. */
  concurrency?: number;
  /** Wait between polls when the queue is empty. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long stop() lets running handlers finish before aborting them. Default 30 s. */
  shutdownGraceMs?: number;
}

/** A polling worker; see createWorker. */
export interface Worker {
  readonly id: string;
  /** Starts polling; calling it again while started does nothing, and throws while stop() is under way. */
  start(): void;
  /** Stops claiming, then lets running jobs finish (see createWorker for the grace period). */
  stop(): Promise<void>;
  /** Polls now rather than at the next interval (after an in-process enqueue, or a NOTIFY). */
  wake(): void;
}

/** A worker id unlikely to collide across hosts, processes and instances in one process. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Fills in defaults; shared with runDueJobsOnce so both run jobs the same way. */
export function runnerSettings(options: JobRunnerOptions, log: JobLog) {
  return {
    db: options.db,
    workerId: options.workerId ?? defaultWorkerId(),
    types: Object.keys(options.handlers),
    clock: options.clock ?? systemClock,
    leaseSeconds: options.leaseSeconds ?? 60,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    random: options.random ?? Math.random,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    log,
  };
}

/** Runs a job claimed with `settings` through its handler. */
export function runWithHandlers(
  settings: ReturnType<typeof runnerSettings>,
  handlers: JobHandlers,
  job: Job,
  shutdown?: AbortSignal,
): Promise<JobOutcome> {
  // Only types with a handler are claimed, so the lookup cannot miss.
  return runClaimedJob({ ...settings, job, handler: handlers[job.type]!, shutdown });
}

/**
 * Claims and runs jobs of the handled types, up to `concurrency` at a time, polling every `pollIntervalMs`
 * when idle (polling because the embedded engine has no cross-process notifications). Several workers, in
 * one process or many, can share a queue: each job is claimed by one of them at a time.
 *
 * stop() stops claiming, then waits up to `shutdownGraceMs` for running handlers to finish. Handlers still
 * running then see their signal aborted; a job whose handler then throws goes back to the queue without
 * using up an attempt (a deploy is not the job's fault). stop() waits another grace period for them to
 * settle and then returns anyway, logging the jobs left behind: their leases expire when the process exits.
 */
export function createWorker(options: CreateWorkerOptions): Worker {
  const settings = runnerSettings(options, options.log);
  const { db, log, clock, workerId } = settings;
  const concurrency = options.concurrency ?? 1;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const graceMs = options.shutdownGraceMs ?? 30_000;
  if (!(concurrency >= 1) || !(settings.leaseSeconds > 0)) throw new RangeError('concurrency must be ≥ 1 and leaseSeconds > 0');
  const active = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let shutdown = new AbortController();
  const { sleep, wake } = createWakeableSleep();

  function launch(job: Job): void {
    const run = runWithHandlers(settings, options.handlers, job, shutdown.signal)
      .then(
        (outcome) => log.debug({ jobId: job.id, type: job.type, outcome }, 'job attempt ended'),
        (error: unknown) => log.error({ err: error, jobId: job.id }, 'could not record job outcome; its lease will expire'),
      )
      .finally(() => {
        active.delete(run);
        wake();
      });
    active.add(run);
  }

  /** Claims up to the free slots; true when it filled them all, so more jobs may be due. */
  async function pollOnce(): Promise<boolean> {
    const free = concurrency - active.size;
    if (free <= 0) return false;
    const stuck = await requeueStuckJobs(db, clock);
    if (stuck.requeued.length || stuck.failed.length) log.warn({ ...stuck }, 'recovered jobs whose worker stopped responding');
    const now = clock.now();
    const jobs = await claimJobs(db, { types: settings.types, workerId, limit: free, leaseSeconds: settings.leaseSeconds, now });
    for (const job of jobs) launch(job);
    return jobs.length === free;
  }

  async function runLoop(): Promise<void> {
    while (running) {
      let mayHaveMore = false;
      try {
        mayHaveMore = await pollOnce();
      } catch (error) {
        log.error({ err: error, workerId }, 'job poll failed; will try again');
      }
      // After a full batch, poll again at once if a job already finished; otherwise sleep until a finishing
      // job wakes the loop or the interval passes.
      if (running && !(mayHaveMore && active.size < concurrency)) await sleep(pollIntervalMs);
    }
  }

  async function drain(): Promise<void> {
    wake();
    await loop;
    const settled = () => Promise.allSettled([...active]);
    if (await settlesWithin(settled(), graceMs)) return;
    log.warn({ workerId, jobs: active.size }, 'shutdown grace period over; aborting running jobs');
    shutdown.abort();
    if (await settlesWithin(settled(), graceMs)) return;
    log.error({ workerId, jobs: active.size }, 'jobs ignored their abort signal; leaving them to lease expiry');
  }

  return {
    id: workerId,
    start() {
      if (running) return;
      if (stopping) throw new Error(`worker ${workerId} is still stopping`);
      running = true;
      shutdown = new AbortController();
      loop = runLoop();
    },
    stop() {
      // A second call (a second signal handler, say) waits for the same shutdown.
      if (running) {
        running = false;
        stopping = drain().finally(() => {
          stopping = undefined;
        });
      }
      return stopping ?? Promise.resolve();
    },
    wake,
  };
}
