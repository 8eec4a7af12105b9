import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import type { Clock } from '../core/clock.js';
import type { Queryable } from '../core/db/index.js';
import { enqueue } from '../core/jobs/index.js';

/** The job type that carries Fedify's queue messages (inbox, outbox and fan-out). */
export const FEDIFY_JOB = 'federation.fedify';

/** Attempts of one job. Fedify retries failed deliveries itself by enqueuing a new message (a new job). */
const MAX_JOB_ATTEMPTS = 3;

type Handler = (message: unknown) => Promise<void> | void;

/** Options of {@link createJobMessageQueue}. */
export interface CreateJobMessageQueueOptions {
  db: Queryable;
  clock: Clock;
}

/** Fedify's `MessageQueue` on our jobs table, plus the entry point the job handler calls. */
export interface JobMessageQueue extends MessageQueue {
  /** True once Fedify has started listening in this process (`federation.startQueue`). */
  readonly listening: boolean;
  /** Hands one message (a job's payload) to Fedify's listener; throws when nobody listens. */
  process(message: unknown): Promise<void>;
}

/**
 * A dedupe key per message and attempt: when a job runs twice (a worker died after Fedify enqueued a retry),
 * the retry is enqueued once. Messages without an id (none in Fedify 1.5) are never deduplicated.
 */
function dedupeKeyOf(message: unknown): string | undefined {
  const m = message as { id?: unknown; type?: unknown; attempt?: unknown } | null;
  if (!m || typeof m.id !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(m.id)) return undefined;
  const attempt = typeof m.attempt === 'number' ? m.attempt : 0;
  return `fedify:${String(m.type ?? 'message').slice(0, 20)}:${m.id}:${attempt}`;
}

/**
 * Fedify's `MessageQueue` backed by the durable job queue: `enqueue` inserts a `federation.fedify` job
 * (due after `delay`), so deliveries and incoming activities survive restarts and are shared by every
 * worker process. Our worker pulls jobs, so `listen()` only records Fedify's handler; the job handler
 * calls `process()`. A web process that never listens can still enqueue.
 */
export function createJobMessageQueue(options: CreateJobMessageQueueOptions): JobMessageQueue {
  const { db, clock } = options;
  let handler: Handler | undefined;

  async function enqueueOne(message: unknown, enqueueOptions?: MessageQueueEnqueueOptions): Promise<void> {
    const delayMs = enqueueOptions?.delay ? Math.max(0, enqueueOptions.delay.total({ unit: 'millisecond' })) : 0;
    await enqueue(
      db,
      {
        type: FEDIFY_JOB,
        payload: message,
        runAt: new Date(clock.now().getTime() + delayMs),
        maxAttempts: MAX_JOB_ATTEMPTS,
        dedupeKey: dedupeKeyOf(message),
      },
      clock,
    );
  }

  return {
    get listening() {
      return handler !== undefined;
    },
    enqueue: enqueueOne,
    async enqueueMany(messages: readonly unknown[], enqueueOptions?: MessageQueueEnqueueOptions): Promise<void> {
      for (const message of messages) await enqueueOne(message, enqueueOptions);
    },
    listen(listener: Handler, listenOptions?: MessageQueueListenOptions): Promise<void> {
      handler = listener;
      const signal = listenOptions?.signal;
      // Resolves when listening stops, as the interface asks; never without a signal.
      return new Promise<void>((resolve) => {
        if (!signal) return;
        const stop = () => {
          if (handler === listener) handler = undefined;
          resolve();
        };
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
    },
    async process(message: unknown): Promise<void> {
      if (!handler) throw new Error('Fedify is not listening to its queue in this process');
      await handler(message);
    },
  };
}
