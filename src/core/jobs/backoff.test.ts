import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs } from './backoff.js';

const options = { baseMs: 1000, capMs: 30_000 };

describe('backoff between attempts', () => {
  it('doubles the delay after each failed attempt', () => {
    const mid = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, options, mid)),
      [750, 1500, 3000, 6000],
    );
  });

  it('never waits longer than the cap, even after very many attempts', () => {
    assert.equal(backoffDelayMs(6, options, () => 0.999_999), 30_000);
    assert.equal(backoffDelayMs(5000, options, () => 0.999_999), 30_000);
  });

  it('spreads retries between half and all of the nominal delay', () => {
    assert.equal(backoffDelayMs(3, options, () => 0), 2000);
    assert.equal(backoffDelayMs(3, options, () => 0.999_999), 4000);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelayMs(3, options);
      assert.ok(delay >= 2000 && delay <= 4000, `delay ${delay} outside [2000, 4000]`);
    }
  });
});
