/** A sleep that `wake()` cuts short; a wake while awake makes the next sleep return at once. */
export function createWakeableSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  let woken = false;
  let interrupt: (() => void) | undefined;
  return {
    sleep(ms) {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          interrupt = undefined;
          woken = false;
          resolve();
        }
        interrupt = done;
      });
    },
    wake() {
      woken = true;
      interrupt?.();
    },
  };
}

/** True when `promise` settles within `ms`, false when the time runs out first. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
