import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { periodEnd, priceOf, prorateUpgrade } from './periods.js';

describe('membership periods', () => {
  it('costs the monthly price a month and the yearly price a year (none when the tier has no yearly price)', () => {
    assert.equal(priceOf({ monthly_price: 500, yearly_price: 5000 }, 'month'), 500);
    assert.equal(priceOf({ monthly_price: 500, yearly_price: 5000 }, 'year'), 5000);
    assert.equal(priceOf({ monthly_price: 500, yearly_price: null }, 'year'), undefined);
  });

  it('renews on the same day next month, clamped to the end of shorter months', () => {
    assert.equal(periodEnd(new Date('2026-01-31T10:00:00Z'), 'month').toISOString(), '2026-02-28T10:00:00.000Z');
    assert.equal(periodEnd(new Date('2026-11-21T10:00:00Z'), 'month').toISOString(), '2026-12-21T10:00:00.000Z');
    assert.equal(periodEnd(new Date('2026-12-15T00:00:00Z'), 'month').toISOString(), '2027-01-15T00:00:00.000Z');
    assert.equal(periodEnd(new Date('2028-02-29T00:00:00Z'), 'year').toISOString(), '2029-02-28T00:00:00.000Z');
  });

  it('charges the price difference for the rest of the period on upgrade, nothing on downgrade', () => {
    const start = new Date('2026-11-01T00:00:00Z');
    const end = new Date('2026-12-01T00:00:00Z');
    assert.equal(prorateUpgrade(500, 1000, start, end, new Date('2026-11-16T00:00:00Z')), 250);
    assert.equal(prorateUpgrade(1000, 500, start, end, new Date('2026-11-16T00:00:00Z')), 0);
    assert.equal(prorateUpgrade(500, 1000, start, end, end), 0);
  });

  it('never charges more than the difference nor a negative amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 31 * 86_400_000 }), (a, b, elapsed) => {
        const start = new Date('2026-01-01T00:00:00Z');
        const end = periodEnd(start, 'month');
        const charge = prorateUpgrade(a, b, start, end, new Date(start.getTime() + elapsed));
        assert.ok(charge >= 0 && charge <= Math.max(0, b - a));
      }),
    );
  });
});
