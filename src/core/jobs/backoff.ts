import type { BackoffOptions } from './types.js';

/** Defaults suited to network work (federation delivery, e-mail): 10 s, 20 s, 40 s… up to 1 hour. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 10_000, capMs: 3_600_000 };

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based).
 * "Equal jitter": half the exponential delay is fixed and half random, so retries of jobs that failed
 * together (a peer went down) spread out, yet never come back sooner than half the nominal delay.
 * `random` returns a number in [0, 1), like Math.random; tests pass a fixed one.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  // Compare in exponent space first so a large attempt count cannot overflow to Infinity.
  const nominal = exponent >= 53 ? options.capMs : Math.min(options.capMs, options.baseMs * 2 ** exponent);
  const half = nominal / 2;
  return Math.round(half + half * random());
}
