import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressParser } from './progress.js';

function block(fields: Record<string, string>, progress = 'continue'): string {
  return `${Object.entries(fields)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('')}progress=${progress}\n`;
}

describe('the -progress parser', () => {
  it('reports percent of the duration from out_time_us, rising, and 100 at progress=end', () => {
    const seen: number[] = [];
    const feed = createProgressParser({ durationSeconds: 10, throttleMs: 0, onPercent: (p) => seen.push(p) });
    feed(block({ frame: '30', out_time_us: '1000000' }));
    feed(block({ out_time_us: '5000000' }));
    feed(block({ out_time_us: '4000000' })); // a second output lagging behind is not a step back
    feed(block({ out_time_us: '9950000' }));
    feed(block({ out_time_us: '10000000' }, 'end'));
    assert.deepEqual(seen, [10, 50, 99, 100]);
  });

  it('copes with chunks cut mid-line and falls back to out_time_ms, then out_time', () => {
    const seen: number[] = [];
    const feed = createProgressParser({ durationSeconds: 4, throttleMs: 0, onPercent: (p) => seen.push(p) });
    const text = block({ out_time_ms: '1000000' }) + block({ out_time_us: 'N/A', out_time: '00:00:03.000000' });
    for (const piece of text.match(/.{1,7}/gs)!) feed(piece);
    assert.deepEqual(seen, [25, 75]);
  });

  it('ignores negative and missing times at the start', () => {
    const seen: number[] = [];
    const feed = createProgressParser({ durationSeconds: 4, throttleMs: 0, onPercent: (p) => seen.push(p) });
    feed(block({ out_time: '-00:00:00.023220' }));
    feed(block({ out_time_us: 'N/A' }));
    feed(block({ out_time_us: '2000000' }));
    assert.deepEqual(seen, [0, 50]);
  });

  it('holds times past the duration at 99 until ffmpeg says end', () => {
    const seen: number[] = [];
    const feed = createProgressParser({ durationSeconds: 3, throttleMs: 0, onPercent: (p) => seen.push(p) });
    feed(block({ out_time_us: '10000000' }));
    assert.deepEqual(seen, [99]);
  });

  it('reports at most once per throttle interval, but always the first and the end', () => {
    let clock = 0;
    const seen: number[] = [];
    const feed = createProgressParser({ durationSeconds: 100, throttleMs: 1000, now: () => clock, onPercent: (p) => seen.push(p) });
    for (let s = 1; s <= 10; s++) {
      clock += 250;
      feed(block({ out_time_us: String(s * 1_000_000) }));
    }
    feed(block({}, 'end'));
    assert.deepEqual(seen, [1, 5, 9, 100]);
  });
});
