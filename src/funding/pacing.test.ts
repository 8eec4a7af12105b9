import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPacer, forEachPaced } from './pacing.js';

describe('calling a provider many times in a row', () => {
  it('spaces calls 1/rate apart and lets them through unpaced at 0', async () => {
    // A clock that only moves when the pacer sleeps: the waits are exactly the pacing.
    let now = 1000;
    const waits: number[] = [];
    const pacer = createPacer(100, async (ms) => void (waits.push(ms), (now += ms)), () => now);
    for (let i = 0; i < 5; i++) await pacer.take();
    assert.deepEqual(waits, [10, 10, 10, 10], 'the first call goes at once, then one every 10 ms');
    const free = createPacer(0, async () => assert.fail('no wait at rate 0'));
    for (let i = 0; i < 5; i++) await free.take();
  });

  it('keeps at most `concurrency` calls in flight and does every item once', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachPaced(Array.from({ length: 20 }, (_, i) => i), { concurrency: 3, pacer: createPacer(0) }, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      done.push(i);
      inFlight--;
    });
    assert.equal(most, 3);
    assert.deepEqual([...done].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  });

  it('starts nothing new after a failure, lets the calls in flight end, then throws the first error', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = forEachPaced(Array.from({ length: 10 }, (_, i) => i), { concurrency: 2, pacer: createPacer(0) }, async (i) => {
      started.push(i);
      await new Promise((r) => setImmediate(r));
      if (i === 2) throw new Error('provider down');
      finished++;
    });
    await assert.rejects(run, /provider down/);
    assert.ok(started.length <= 4, `started ${started.join(',')}`);
    assert.equal(finished, started.length - 1, 'every call in flight ran to its end');
  });
});
