import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planPayment, planReversal } from '../ledger/index.js';
import { money } from '../money.js';
import { creatorWeights, previewPerClick, splitAmongItems } from './split.js';

const channel = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A random month of budget charges: budgets, each fan's clicks among creators, fees, failures, refunds. */
const monthArb = fc.array(
  fc.record({
    budget: fc.integer({ min: 200, max: 100_000 }),
    clicks: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 25 }),
    feeBps: fc.integer({ min: 0, max: 500 }),
    feeFixed: fc.integer({ min: 0, max: 50 }),
    platformFeeBps: fc.integer({ min: 0, max: 1000 }),
    declined: fc.boolean(),
    refunds: fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 3 }),
  }),
  { maxLength: 30 },
);

describe('the fan-budget split', () => {
  it('sums creator credits, processor fees, platform fees and refunds to what fans paid, to the cent, whatever the month', () => {
    fc.assert(
      fc.property(monthArb, (fans) => {
        let charged = 0;
        let accounted = 0;
        for (const fan of fans) {
          if (fan.declined) continue; // an unpaid charge credits nothing and is charged nothing
          const items = fan.clicks.map((c, i) => ({ line: i + 1, channel_id: channel(c) }));
          const processorFee = Math.min(fan.budget, Math.ceil((fan.budget * fan.feeBps) / 10_000) + fan.feeFixed);
          const parts = planPayment({ gross: money(fan.budget, 'EUR'), processorFee: money(processorFee, 'EUR'), platformFeeBps: fan.platformFeeBps, shares: creatorWeights(items) });
          charged += fan.budget;
          // Each item's share of its creator's gross and net sums back to the creator's, exactly.
          for (const part of parts) {
            const lines = items.filter((i) => i.channel_id === part.channelId).map((i) => i.line);
            assert.equal(splitAmongItems(part.gross.amount, lines).reduce((s, x) => s + x, 0), part.gross.amount);
            assert.equal(splitAmongItems(part.net.amount, lines).reduce((s, x) => s + x, 0), part.net.amount);
          }
          const basis = parts.map((p) => ({ channelId: p.channelId, gross: p.gross.amount, platformFee: p.platformFee.amount, reversed: 0, platformFeeReturned: 0 }));
          let refunded = 0;
          for (const asked of fan.refunds) {
            const left = basis.reduce((s, b) => s + b.gross - b.reversed, 0);
            const amount = Math.min(asked, left);
            if (amount <= 0) break;
            for (const share of planReversal(basis, amount)) {
              const b = basis.find((x) => x.channelId === share.channelId)!;
              b.reversed += share.amount;
              b.platformFeeReturned += share.platformFeeReturned;
              assert.ok(b.platformFeeReturned <= b.platformFee, 'the platform never returns more fee than it took');
            }
            refunded += amount;
          }
          const net = parts.reduce((s, p) => s + p.net.amount, 0) - basis.reduce((s, b) => s + b.reversed - b.platformFeeReturned, 0);
          const platform = parts.reduce((s, p) => s + p.platformFee.amount, 0) - basis.reduce((s, b) => s + b.platformFeeReturned, 0);
          const processor = parts.reduce((s, p) => s + p.processorFee.amount, 0);
          accounted += net + platform + processor + refunded;
        }
        assert.equal(accounted, charged);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each creator clicks ÷ all clicks of the money: 4 clicks of 10 on one creator is 40 %', () => {
    const items = [...Array(10)].map((_, i) => ({ line: i + 1, channel_id: channel(i < 4 ? 1 : i) }));
    const [first] = planPayment({ gross: money(1000, 'EUR'), processorFee: money(0, 'EUR'), platformFeeBps: 0, shares: creatorWeights(items) });
    assert.deepEqual([first!.channelId, first!.gross.amount], [channel(1), 400]);
  });

  it('gives the leftover cents of an item split to the earliest lines (3 items sharing 100 cents: 34, 33, 33)', () => {
    assert.deepEqual(splitAmongItems(100, [3, 1, 2]), [33, 34, 33]);
  });

  it('previews €5 over 10 items as about €0.46 each with Stripe EU fees and no platform fee', () => {
    assert.equal(previewPerClick(500, 10, { feeBps: 150, feeFixed: 25, platformFeeBps: 0 }), 46);
    assert.equal(previewPerClick(500, 0, { feeBps: 150, feeFixed: 25, platformFeeBps: 0 }), 0);
    assert.equal(previewPerClick(500, 1, { feeBps: 150, feeFixed: 25, platformFeeBps: 0 }), 467);
  });
});
