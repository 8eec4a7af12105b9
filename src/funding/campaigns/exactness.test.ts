import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Clock } from '../../core/clock.js';
import { CARDS, createCampaignSite, liveCampaign, makeFans, pledge, type CampaignSite } from '../../../test/support/funding/campaign-site.js';
import { accounts, balanceOf, checkLedgerInvariants } from '../ledger/index.js';
import { formatMoneyInput, money } from '../money.js';
import * as q from './queries.js';
import { changePledge } from './service.js';
import { runSettlement } from './settlement.js';

const DAY = 86_400_000;

describe('campaigns: the ledger is exact to the cent', () => {
  let cs: CampaignSite;
  let fans: string[] = [];
  before(async () => {
    cs = await createCampaignSite(new Date('2026-06-01T12:00:00Z'));
    fans = await makeFans(cs, 6);
  });
  after(() => cs.site.close());

  it('for any pledges, cards and goal: collected = what the ledger recorded, creator + fees = gross, invariants hold', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ cents: fc.integer({ min: 100, max: 500_000 }), declines: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 100, max: 1_500_000 }),
        async (pledges, goal) => {
          runs++;
          const start = cs.clock.now();
          const campaign = await liveCampaign(cs, { goal: formatMoneyInput(money(goal, 'EUR'), 'en'), minPledge: '1.00', deadline: new Date(start.getTime() + DAY).toISOString().slice(0, 16), timeZone: 'UTC' });
          const payableBefore = (await balanceOf(cs.site.deps.db, accounts.creatorPayable(cs.channelId, 'EUR').code)).amount;
          const feesBefore = await feeTotals(cs);
          for (const [i, p] of pledges.entries()) await pledge(cs, campaign, fans[i]!, formatMoneyInput(money(p.cents, 'EUR'), 'en'), p.declines ? CARDS.declinesLater : CARDS.good);
          cs.clock.advance(DAY + 8 * DAY);
          await cs.runJobs();
          const total = pledges.reduce((s, p) => s + p.cents, 0);
          const reached = total >= goal;
          const expectedCollected = reached ? pledges.filter((p) => !p.declines).reduce((s, p) => s + p.cents, 0) : 0;
          const report = (await q.findSettlement(cs.site.deps.db, campaign.id))!.report!;
          assert.equal(report.outcome, reached ? 'successful' : 'failed');
          assert.equal(report.frozenAmount, total);
          assert.equal(report.collectedAmount, expectedCollected);
          assert.equal(report.ledgerGross, expectedCollected);
          assert.equal(report.ledgerExact && report.ledgerCheckOk, true);
          const payable = (await balanceOf(cs.site.deps.db, accounts.creatorPayable(cs.channelId, 'EUR').code)).amount - payableBefore;
          const fees = await feeTotals(cs);
          assert.equal(payable + (fees.processor - feesBefore.processor) + (fees.platform - feesBefore.platform), expectedCollected, 'net + processor fees + platform fees = gross');
        },
      ),
      { numRuns: 12 },
    );
    assert.equal(runs, 12);
    assert.deepEqual(await checkLedgerInvariants(cs.site.deps.db), []);
  });

  it('pledge changes racing the deadline are counted in full or refused, never half', async () => {
    const deadlineWall = new Date(cs.clock.now().getTime() + DAY).toISOString().slice(0, 16);
    const campaign = await liveCampaign(cs, { goal: '10.00', minPledge: '1.00', deadline: deadlineWall, timeZone: 'UTC' });
    for (const fan of fans) await pledge(cs, campaign, fan, '10.00');
    // A clock that ticks a millisecond on every reading, from 3 ms before the deadline: some changes read it
    // before, some after; the settlement's freeze runs among them.
    const base = campaign.deadline.getTime() - 3;
    let ticks = 0;
    const ticking: Clock = { now: () => new Date(base + ticks++) };
    const racing = { ...cs.site.deps, clock: ticking };
    const results = await Promise.allSettled([
      ...fans.map((fan, i) => changePledge(racing, campaign, fan, { amount: `${20 + i}.00`, rewardId: null })),
      (async () => {
        while ((await runSettlement({ ...cs.settlement(), deps: racing }, campaign.id)).stage === 'not-due');
      })(),
    ]);
    const changed = results.slice(0, fans.length).map((r) => (r.status === 'fulfilled' ? 'changed' : String((r.reason as Error).message)));
    for (const r of changed) assert.ok(r === 'changed' || /campaign\.closed/.test(r), r);
    const after = (await q.findCampaign(cs.site.deps.db, campaign.id))!;
    const rows = await cs.site.deps.db.query<{ amount: number; payment_amount: number }>(
      `SELECT p.amount, pay.amount AS payment_amount FROM campaign_pledges p JOIN payments pay ON pay.id = p.payment_id WHERE p.campaign_id = $1`,
      [campaign.id],
    );
    const sum = rows.reduce((s, r) => s + Number(r.amount), 0);
    assert.equal(after.final_amount, sum, 'the frozen total is the sum of the pledges as they stood');
    for (const r of rows) assert.equal(Number(r.payment_amount), Number(r.amount), 'each backer is charged what their pledge said at the freeze');
    assert.equal(rows.length, fans.length);
    cs.clock.advance(10 * DAY);
    await cs.runJobs();
  });
});

async function feeTotals(cs: CampaignSite): Promise<{ processor: number; platform: number }> {
  return {
    processor: (await balanceOf(cs.site.deps.db, accounts.processorFees('test', 'EUR').code)).amount,
    platform: (await balanceOf(cs.site.deps.db, accounts.platformFees('EUR').code)).amount,
  };
}
