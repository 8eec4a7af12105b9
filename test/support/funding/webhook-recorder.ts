import type { TestWebhookDelivery } from '../../../src/funding/providers/test-provider/webhooks.js';

/**
 * Stands in for the app's job queue in tests: the test bank's `deliver` only records, and the test
 * decides when, in which order and how many times each delivery arrives.
 */
export interface WebhookRecorder {
  /** Pass as the provider's `deliver`. */
  deliver(delivery: TestWebhookDelivery): Promise<void>;
  /** Everything handed over so far, in the order the bank sent it (copies). */
  readonly deliveries: readonly TestWebhookDelivery[];
  /** Removes and returns what is due at `now` (all when omitted), leaving later ones queued. */
  take(now?: Date): TestWebhookDelivery[];
  /** Makes the next `deliver` call throw once (a queue that is down). */
  failNext(error?: Error): void;
}

/** A fresh recorder with nothing in it. */
export function createWebhookRecorder(): WebhookRecorder {
  let queue: TestWebhookDelivery[] = [];
  const all: TestWebhookDelivery[] = [];
  let failure: Error | undefined;
  return {
    async deliver(delivery) {
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      const copy = structuredClone(delivery);
      all.push(copy);
      queue.push(copy);
    },
    get deliveries() {
      return [...all];
    },
    take(now) {
      const due = now ? queue.filter((d) => d.notBefore.getTime() <= now.getTime()) : queue;
      queue = now ? queue.filter((d) => d.notBefore.getTime() > now.getTime()) : [];
      return due;
    },
    failNext(error = new Error('queue unavailable')) {
      failure = error;
    },
  };
}

/** The same deliveries in reverse order, each twice: the worst a queue may do. */
export function duplicatedAndReversed<T>(items: readonly T[]): T[] {
  return [...items].reverse().flatMap((item) => [item, item]);
}
