/**
 * Thrown by a handler when retrying cannot help (bad payload, the video was deleted): the job fails at once
 * with this message as `last_error`, whatever attempts remain.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The reason a handler's signal is aborted when its attempt no longer owns the job: the lease expired and
 * another worker took it, or someone cancelled it. Whatever the handler does next is not recorded.
 */
export class JobLeaseLostError extends Error {
  constructor(readonly jobId: number) {
    super(`job ${jobId} is no longer leased to this worker (cancelled, or its lease expired)`);
    this.name = new.target.name;
  }
}

/** The reason a handler's signal is aborted when its worker stops and the grace period has run out. */
export class WorkerShutdownError extends Error {
  constructor(readonly workerId: string) {
    super(`worker ${workerId} is shutting down`);
    this.name = new.target.name;
  }
}
