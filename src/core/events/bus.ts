import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/index.js';
import { enqueue, type JobHandler, type JobHandlers } from '../jobs/index.js';
import type { DomainEvents, EventName } from './catalog.js';

/** Reacts to one event; runs as a job, at least once, so it must be idempotent. */
export type EventHandler<E extends EventName> = (payload: DomainEvents[E], meta: { key: string }) => Promise<unknown>;

/** A capability's reactions, by event. */
export type EventHandlers = { readonly [E in EventName]?: EventHandler<E> };

/** Who listens to what: subscriber (capability) names by event, known before anything is built. */
export type SubscriberIndex = Readonly<Partial<Record<EventName, readonly string[]>>>;

/** Publishes domain events durably. */
export interface EventBus {
  /**
   * Records one job per subscriber of `event`, in `q` (pass the writer's transaction: the event commits with
   * the change or not at all). `key` names this occurrence: publishing the same event with the same key
   * again records nothing (e.g. `video:…:captions:2026-12-01T10:00:00.000Z`); without a key every call is new.
   */
  publish<E extends EventName>(q: Queryable, event: E, payload: DomainEvents[E], key?: string): Promise<void>;
}

const JOB_PREFIX = 'event:';

/** The job type that delivers `event` to `subscriber`. */
export function eventJobType(event: EventName, subscriber: string): string {
  return `${JOB_PREFIX}${event}:${subscriber}`;
}

/** A bus that enqueues on the jobs table; `subscribers` comes from the capability list. */
export function createEventBus(subscribers: SubscriberIndex, clock: Clock): EventBus {
  return {
    async publish(q, event, payload, key) {
      const occurrence = key ?? randomUUID();
      for (const subscriber of subscribers[event] ?? []) {
        await enqueue(
          q,
          { type: eventJobType(event, subscriber), payload: { key: occurrence, payload }, dedupeKey: `${event}:${subscriber}:${occurrence}`.slice(0, 200), maxAttempts: 10 },
          clock,
        );
      }
    },
  };
}

/** A bus with no subscribers, for code run outside a site (scripts, unit tests of one capability). */
export const silentEventBus: EventBus = { publish: async () => {} };

/** Turns a subscriber's handlers into job handlers of the event job types. */
export function eventJobHandlers(subscriber: string, handlers: EventHandlers): JobHandlers {
  const out: Record<string, JobHandler> = {};
  for (const [event, handler] of Object.entries(handlers) as [EventName, EventHandler<EventName>][]) {
    out[eventJobType(event, subscriber)] = async ({ job }) => {
      const { key, payload } = job.payload as { key: string; payload: DomainEvents[EventName] };
      return handler(payload, { key });
    };
  }
  return out;
}
