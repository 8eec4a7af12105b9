import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readOutbox } from '../../../test/support/harness.js';
import { CARDS, createCampaignSite, ledgerSnapshot, liveCampaign, mailsTo, makeFans, pledge, pledgeStatuses, type CampaignSite } from '../../../test/support/funding/campaign-site.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import type { PaymentServices } from '../payments/index.js';
import { ProviderError } from '../providers/index.js';
import * as q from './queries.js';
import { cancelCampaign, cancelPledge, changePledge, extendCampaign, startPledge, updateCampaign } from './service.js';
import { runSettlement } from './settlement.js';
import { campaignInput } from '../../../test/support/funding/campaign-site.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The deadline of the default campaign input: 20 December 2026, 18:00 in Paris (17:00 UTC). */
const DEADLINE = new Date('2026-12-20T17:00:00Z');

async function emails(cs: CampaignSite, userId: string): Promise<string> {
  return (await cs.site.deps.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]))[0]!.email;
}

async function campaignPayments(cs: CampaignSite, campaignId: string) {
  return cs.site.deps.db.query<{ status: string; amount: number }>(
    `SELECT pay.status, pay.amount FROM payments pay JOIN campaign_pledges p ON pay.idempotency_key LIKE 'campaign:' || p.id::text || ':%' WHERE p.campaign_id = $1`,
    [campaignId],
  );
}

describe('campaigns: all-or-nothing, settled at the deadline', () => {
  let cs: CampaignSite;
  before(async () => {
    cs = await createCampaignSite(new Date('2026-12-01T10:00:00Z'));
  });
  after(() => cs.site.close());

  it('success: every pledge is charged once at the deadline, the page total freezes, the books are exact to the cent', async () => {
    const campaign = await liveCampaign(cs);
    assert.equal(campaign.deadline.toISOString(), DEADLINE.toISOString(), 'the deadline is 18:00 in Paris');
    const [a, b, c] = await makeFans(cs, 3);
    await pledge(cs, campaign, a!, '50.00');
    await pledge(cs, campaign, b!, '40.01');
    await pledge(cs, campaign, c!, '12.34');
    assert.deepEqual(await campaignPayments(cs, campaign.id), [], 'pledging charges nothing');
    cs.clock.advance(DEADLINE.getTime() - cs.clock.now().getTime());
    await cs.runJobs();
    const after = (await q.findCampaign(cs.site.deps.db, campaign.id))!;
    assert.equal(after.state, 'successful');
    assert.deepEqual({ amount: after.final_amount, backers: after.final_backers }, { amount: 10235, backers: 3 });
    assert.deepEqual(await pledgeStatuses(cs, campaign.id), ['collected', 'collected', 'collected']);
    const settlement = (await q.findSettlement(cs.site.deps.db, campaign.id))!;
    assert.equal(settlement.stage, 'grace', 'waits 7 days for errored pledges before closing');
    cs.clock.advance(7 * DAY);
    await cs.runJobs();
    const done = (await q.findSettlement(cs.site.deps.db, campaign.id))!;
    assert.equal(done.stage, 'done');
    assert.deepEqual({ ...done.report!, pledges: done.report!.pledges }, {
      outcome: 'successful', currency: 'EUR', frozenAmount: 10235, frozenBackers: 3, pledges: { collected: 3 }, collectedAmount: 10235, ledgerGross: 10235, ledgerExact: true, ledgerCheckOk: true,
    });
    assert.deepEqual((await campaignPayments(cs, campaign.id)).map((p) => p.status), ['succeeded', 'succeeded', 'succeeded']);
    assert.deepEqual(await checkLedgerInvariants(cs.site.deps.db), []);
    // A pledge change after the deadline is refused: the page total stays what it was.
    await assert.rejects(changePledge(cs.site.deps, after, a!, { amount: '99.00', rewardId: null }), /campaign.closed/);
  });

  it('failure: goal missed → nothing charged, backers told, saved methods detached', async () => {
    const campaign = await liveCampaign(cs, { deadline: '2026-12-30T18:00' });
    const [a, b] = await makeFans(cs, 2);
    await pledge(cs, campaign, a!, '30.00');
    const pb = await pledge(cs, campaign, b!, '20.00');
    cs.clock.advance(campaign.deadline.getTime() - cs.clock.now().getTime());
    await cs.runJobs();
    assert.equal((await q.findCampaign(cs.site.deps.db, campaign.id))!.state, 'failed');
    assert.deepEqual(await pledgeStatuses(cs, campaign.id), ['released', 'released']);
    assert.deepEqual(await campaignPayments(cs, campaign.id), []);
    const pledgeB = (await q.findPledge(cs.site.deps.db, pb))!;
    assert.equal(pledgeB.method_detached, true);
    await assert.rejects(
      cs.bank.chargeSaved({ customerRef: pledgeB.customer_ref!, paymentMethodRef: pledgeB.payment_method_ref!, amount: 100, currency: 'EUR', idempotencyKey: 'after-detach', metadata: {} }),
      (e: unknown) => e instanceof ProviderError && e.code === 'not_found',
    );
    assert.equal(mailsTo(readOutbox(cs.site.outboxDir), await emails(cs, b!), /did not reach its goal/).length, 1);
    assert.equal((await q.findSettlement(cs.site.deps.db, campaign.id))!.report!.ledgerCheckOk, true);
  });

  it('cancellation: a live campaign cancelled → nothing charged, backers told, methods detached', async () => {
    cs.clock.advance(-30 * DAY); // back before the campaigns' deadlines
    const campaign = await liveCampaign(cs, { deadline: '2026-12-10T12:00' });
    const [a] = await makeFans(cs, 1);
    const pa = await pledge(cs, campaign, a!, '500.00');
    await cancelCampaign(cs.site.deps, campaign.id);
    await cs.runJobs();
    const after = (await q.findCampaign(cs.site.deps.db, campaign.id))!;
    assert.equal(after.state, 'cancelled');
    assert.equal((await q.findSettlement(cs.site.deps.db, campaign.id))!.outcome, 'cancelled');
    assert.equal((await q.findPledge(cs.site.deps.db, pa))!.status, 'released');
    assert.equal((await q.findPledge(cs.site.deps.db, pa))!.method_detached, true);
    assert.deepEqual(await campaignPayments(cs, campaign.id), []);
    assert.equal(mailsTo(readOutbox(cs.site.outboxDir), await emails(cs, a!), /The creator cancelled/).length, 1);
    cs.clock.advance(30 * DAY);
  });

  it('backer-count goals: reached with 3 backers of 1 € each, missed with 2', async () => {
    cs.clock.advance(-40 * DAY);
    const reached = await liveCampaign(cs, { goalKind: 'backers', goal: '3', minPledge: '1.00', deadline: '2026-11-25T12:00' });
    const missed = await liveCampaign(cs, { goalKind: 'backers', goal: '3', minPledge: '1.00', deadline: '2026-11-25T12:00' });
    const fans = await makeFans(cs, 3);
    for (const fan of fans) await pledge(cs, reached, fan, '1.00');
    for (const fan of fans.slice(0, 2)) await pledge(cs, missed, fan, '100.00');
    cs.clock.advance(reached.deadline.getTime() - cs.clock.now().getTime());
    await cs.runJobs();
    assert.equal((await q.findCampaign(cs.site.deps.db, reached.id))!.state, 'successful');
    assert.equal((await q.findCampaign(cs.site.deps.db, missed.id))!.state, 'failed', '200 € from 2 backers does not make 3 backers');
    assert.deepEqual(await pledgeStatuses(cs, reached.id), ['collected', 'collected', 'collected']);
    cs.clock.advance(40 * DAY);
  });

  it('a live campaign’s goal and deadline are locked; the deadline extends once, by at most the original length', async () => {
    cs.clock.advance(-60 * DAY);
    const now = cs.clock.now(); // 2026-11-? : launch, then a 10-day campaign
    const deadlineWall = new Date(now.getTime() + 10 * DAY).toISOString().slice(0, 16);
    const campaign = await liveCampaign(cs, { deadline: deadlineWall, timeZone: 'UTC' });
    await assert.rejects(updateCampaign(cs.site.deps, campaign, { ...campaignInput({ slug: campaign.slug, deadline: deadlineWall, timeZone: 'UTC' }), goal: '200.00' }), (e: { fields?: object }) => 'goal' in (e.fields ?? {}));
    await updateCampaign(cs.site.deps, campaign, { ...campaignInput({ slug: campaign.slug, deadline: deadlineWall, timeZone: 'UTC' }), title: 'Season 2, renamed' });
    const tooFar = new Date(now.getTime() + 20 * DAY + HOUR).toISOString().slice(0, 16);
    await assert.rejects(extendCampaign(cs.site.deps, campaign.id, tooFar), (e: { fields?: Record<string, string> }) => e.fields?.['deadline'] === 'campaign.extension_too_long');
    await extendCampaign(cs.site.deps, campaign.id, new Date(now.getTime() + 20 * DAY).toISOString().slice(0, 16));
    await assert.rejects(extendCampaign(cs.site.deps, campaign.id, new Date(now.getTime() + 20 * DAY + 60_000).toISOString().slice(0, 16)), (e: { fields?: Record<string, string> }) => e.fields?.['deadline'] === 'campaign.already_extended');
    // The job queued for the original deadline finds the campaign still running and does nothing.
    cs.clock.advance(10 * DAY + 60_000);
    await cs.runJobs();
    assert.equal((await q.findCampaign(cs.site.deps.db, campaign.id))!.state, 'live');
    cs.clock.advance(10 * DAY);
    await cs.runJobs();
    assert.equal((await q.findCampaign(cs.site.deps.db, campaign.id))!.state, 'failed');
    cs.clock.advance(40 * DAY);
  });

  it('limited rewards: 50 concurrent pledges for the last 5 units sell exactly 5', async () => {
    cs.clock.advance(-60 * DAY);
    const campaign = await liveCampaign(cs, { deadline: '2026-11-20T12:00' });
    const rewardId = await q.insertReward(cs.site.deps.db, campaign.id, { title: 'Signed DVD', description: '', price: 2500, quantity: 7, deliveryMonth: '2027-06' });
    const early = await makeFans(cs, 2);
    for (const fan of early) await pledge(cs, campaign, fan, '25.00', CARDS.good, rewardId);
    const fans = await makeFans(cs, 50);
    const results = await Promise.allSettled(fans.map((fan) => startPledge(cs.site.deps, cs.site.services.payments, campaign, fan, { amount: '25.00', rewardId, provider: 'test' }, 'en')));
    const won = results.filter((r) => r.status === 'fulfilled');
    const soldOut = results.filter((r) => r.status === 'rejected' && (r.reason as { fields?: Record<string, string> }).fields?.['reward'] === 'campaign.reward_sold_out');
    assert.equal(won.length, 5);
    assert.equal(soldOut.length, 45, 'every other pledge is told the reward is sold out');
    const reward = (await q.findReward(cs.site.deps.db, campaign.id, rewardId))!;
    assert.deepEqual({ claimed: reward.claimed, quantity: reward.quantity }, { claimed: 7, quantity: 7 });
    // Cancelling a pledge gives its unit back.
    await cancelPledge(cs.site.deps, cs.site.services.payments, campaign, early[0]!);
    assert.equal((await q.findReward(cs.site.deps.db, campaign.id, rewardId))!.claimed, 6);
    cs.clock.advance(60 * DAY);
  });

  it('BTCPay cannot pre-authorize: a bitcoin pledge is refused with a clear message', async () => {
    cs.clock.advance(-60 * DAY);
    const campaign = await liveCampaign(cs, { deadline: '2026-11-20T12:00' });
    const [fan] = await makeFans(cs, 1);
    const btcpay = { id: 'btcpay', livemode: false, capabilities: { savedPaymentMethods: false, refunds: false, setupWithoutCharge: false } };
    const services = { ...cs.site.services.payments, enabled: ['btcpay'], get: () => btcpay } as unknown as PaymentServices;
    await assert.rejects(startPledge(cs.site.deps, services, campaign, fan!, { amount: '10.00', rewardId: null, provider: 'btcpay' }, 'en'), (e: { fields?: Record<string, string> }) => e.fields?.['provider'] === 'campaign.provider_cannot_preauthorize');
    assert.deepEqual(await pledgeStatuses(cs, campaign.id), [], 'no pledge is left behind');
    cs.clock.advance(60 * DAY);
  });

  it('settlement can be restarted after a crash in the middle of the charges: same ledger, each pledge charged once', async () => {
    cs.clock.advance(-60 * DAY);
    const campaign = await liveCampaign(cs, { deadline: '2026-11-20T12:00', goal: '10.00' });
    const fans = await makeFans(cs, 6);
    for (const [i, fan] of fans.entries()) await pledge(cs, campaign, fan, `${10 + i}.${i}5`, i === 3 ? CARDS.declinesLater : CARDS.good);
    cs.clock.advance(campaign.deadline.getTime() - cs.clock.now().getTime());
    // The provider charges, then the process dies before the answer is recorded: on the 3rd charge.
    let calls = 0;
    const real = cs.site.services.payments;
    const crashing: PaymentServices = {
      ...real,
      get: (id) => {
        const p = real.get(id)!;
        return {
          ...p,
          chargeSaved: async (input) => {
            const result = await p.chargeSaved(input);
            if (++calls === 3) throw new Error('killed');
            return result;
          },
        };
      },
    };
    await assert.rejects(runSettlement(cs.settlement(crashing), campaign.id), /killed/);
    assert.equal((await q.findSettlement(cs.site.deps.db, campaign.id))!.stage, 'charge', 'the stage did not advance');
    const first = await runSettlement(cs.settlement(), campaign.id);
    assert.equal(first.stage, 'grace');
    assert.equal((await q.findSettlement(cs.site.deps.db, campaign.id))!.restarts, 1, 'the restart is counted');
    const snapshot = await ledgerSnapshot(cs);
    assert.equal(await runSettlement(cs.settlement(), campaign.id).then((r) => r.stage), 'grace');
    assert.deepEqual(await ledgerSnapshot(cs), snapshot, 'running it again changes nothing');
    const charges = await cs.site.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM test_bank_objects WHERE kind = 'payment' AND data->'metadata'->>'purpose' = 'campaign' AND data->'metadata'->>'pledgeId' IN (SELECT id::text FROM campaign_pledges WHERE campaign_id = $1)`, [campaign.id]);
    assert.equal(charges[0]!.n, 6, 'the bank saw one charge per pledge, the crashed one included');
    assert.deepEqual((await pledgeStatuses(cs, campaign.id)).sort(), ['collected', 'collected', 'collected', 'collected', 'collected', 'errored']);
    cs.clock.advance(7 * DAY);
    await cs.runJobs();
    const report = (await q.findSettlement(cs.site.deps.db, campaign.id))!.report!;
    assert.equal(report.ledgerExact, true);
    assert.equal(report.collectedAmount, 1005 + 1115 + 1225 + 1445 + 1555);
    assert.deepEqual(await checkLedgerInvariants(cs.site.deps.db), []);
    cs.clock.advance(60 * DAY);
  });
});
