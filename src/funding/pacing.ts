/**
 * Calling a payment provider many times in a row (a campaign's deadline, a fan-budget month's close):
 * a few calls in flight at once, at most so many per second. One helper for every settlement, so the
 * rate limits and the stop-on-failure rule are the same everywhere.
 */

/**
 * Paces calls to at most `perSecond` (0: unpaced), in real time: a provider's rate limit is about wall
 * seconds, whatever the site's clock says. Each `take()` waits for its slot.
 */
export function createPacer(
  perSecond: number,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  clock: () => number = () => performance.now(),
): { take(): Promise<void> } {
  let next = 0;
  return {
    async take() {
      if (perSecond <= 0) return;
      const now = clock();
      const slot = Math.max(now, next);
      next = slot + 1000 / perSecond;
      if (slot > now) await sleep(slot - now);
    },
  };
}

export interface PacedRun {
  /** Calls in flight at once (at least 1). */
  concurrency: number;
  /** Shared pacer of the whole run (several batches keep one rate). */
  pacer: { take(): Promise<void> };
}

/**
 * Runs `work` on every item, `concurrency` at a time, each after its pacer slot. After a failure no new
 * item starts; the calls in flight finish, then the first error is thrown: a settlement stops where it
 * is and its next run resumes from what is recorded (every call is idempotent).
 */
export async function forEachPaced<T>(items: readonly T[], run: PacedRun, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await run.pacer.take();
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(run.concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
}
