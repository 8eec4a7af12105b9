import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutBars } from './chart.js';
import { churnRate, mrrFromTwelfths } from './member-figures.js';

describe('revenue chart layout', () => {
  it('stacks gains up from the zero line and losses down from it, to one scale', () => {
    const { bars, zeroY } = layoutBars({
      currency: 'EUR',
      months: ['2026-10', '2026-11'],
      sources: [
        { source: 'membership', gross: [0, 0], net: [0, -100] },
        { source: 'tip', gross: [0, 0], net: [300, 200] },
      ],
    });
    const [october, november] = bars;
    assert.equal(october!.total, 300);
    assert.equal(november!.total, 100);
    const tip = november!.segments.find((s) => s.source === 'tip')!;
    const loss = november!.segments.find((s) => s.source === 'membership')!;
    assert.equal(tip.y + tip.height, zeroY, 'gains end on the zero line');
    assert.equal(loss.y, zeroY, 'losses start on it');
    assert.ok(Math.abs(loss.height * 2 - tip.height) < 0.2, 'same scale: 1.00 is half of 2.00');
    assert.ok(Math.abs(october!.segments[0]!.height - (tip.height * 3) / 2) < 0.2);
  });

  it('draws nothing but the zero line for an empty range', () => {
    const { bars } = layoutBars({ currency: 'EUR', months: ['2026-11'], sources: [{ source: 'tip', gross: [0], net: [0] }] });
    assert.deepEqual(bars[0]!.segments, []);
  });
});

describe('member figures', () => {
  it('rounds MRR once, to the nearest minor unit, halves up', () => {
    assert.equal(mrrFromTwelfths(0), 0);
    assert.equal(mrrFromTwelfths(5), 0); // 0.416…
    assert.equal(mrrFromTwelfths(6), 1); // exactly a half
    assert.equal(mrrFromTwelfths(17), 1); // 1.416…
    assert.equal(mrrFromTwelfths(18), 2); // 1.5
    assert.equal(mrrFromTwelfths(12 * 500 + 5001 * 2), 1334); // 500 + 2 × 416.75
  });

  it('has no churn rate without members at the start', () => {
    assert.equal(churnRate({ atStart: 0, ended: 0 }), null);
    assert.equal(churnRate({ atStart: 6, ended: 1 }), 1 / 6);
  });
});
