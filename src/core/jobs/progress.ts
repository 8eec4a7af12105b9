import { performance } from 'node:perf_hooks';
import type { JobLog } from './types.js';

export interface ProgressValue {
  percent: number;
  message?: string | undefined;
}

export interface CreateProgressReporterOptions {
  /** Writes one value; false or an error is logged and otherwise ignored (progress is best effort). */
  save(value: ProgressValue): Promise<unknown>;
  /** At most one write per interval; the values in between collapse into the latest. */
  intervalMs: number;
  log: JobLog;
  jobId: number;
}

/** Reports progress and, once the handler is done, writes what is still pending. */
export interface ProgressReporter {
  report(percent: number, message?: string): Promise<void>;
  close(): Promise<void>;
}

const MAX_MESSAGE_LENGTH = 500;

/**
 * Throttles progress writes: ffmpeg reports many times a second, a page polling the row needs about one
 * value a second. The first report writes at once, later ones at most once per `intervalMs` (trailing, so
 * the last value is never lost). Throttling uses the real monotonic time, not the job clock: it is about
 * database load, and a manual test clock that stands still must not hold writes back forever.
 */
export function createProgressReporter(options: CreateProgressReporterOptions): ProgressReporter {
  let pending: { value: ProgressValue; waiters: Array<() => void> } | undefined;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastWriteAt = -Infinity;
  let closing = false;
  let closed = false;

  function schedule(): void {
    if (!pending || writing || timer || closing) return;
    const wait = lastWriteAt + options.intervalMs - performance.now();
    if (wait <= 0) void writeNow();
    else
      timer = setTimeout(() => {
        timer = undefined;
        schedule();
      }, wait);
  }

  function writeNow(): Promise<void> {
    const batch = pending!;
    pending = undefined;
    lastWriteAt = performance.now();
    writing = options
      .save(batch.value)
      .then(
        () => undefined,
        (error: unknown) => options.log.warn({ err: error, jobId: options.jobId }, 'could not save job progress'),
      )
      .then(() => {
        writing = undefined;
        for (const resolve of batch.waiters) resolve();
        schedule();
      });
    return writing;
  }

  return {
    report(percent, message) {
      if (closed || !Number.isFinite(percent)) return Promise.resolve();
      const value = {
        percent: Math.round(Math.min(100, Math.max(0, percent))),
        // An omitted message keeps the previous one, including one still waiting to be written.
        message: message?.slice(0, MAX_MESSAGE_LENGTH) ?? pending?.value.message,
      };
      return new Promise((resolve) => {
        const waiters = pending?.waiters ?? [];
        waiters.push(resolve);
        pending = { value, waiters };
        schedule();
      });
    },
    async close() {
      closing = true;
      clearTimeout(timer);
      timer = undefined;
      while (writing || pending) await (writing ?? writeNow());
      closed = true;
    },
  };
}
