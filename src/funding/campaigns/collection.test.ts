import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestClient } from '../../../test/support/client.js';
import { readOutbox, signUpFan } from '../../../test/support/harness.js';
import { CARDS, createCampaignSite, liveCampaign, mailsTo, pledgeStatuses, type CampaignSite } from '../../../test/support/funding/campaign-site.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import * as q from './queries.js';

const HOUR = 3_600_000;

/** 24 October 2026, noon in Paris (10:00 UTC, summer time); Paris goes back to winter time on the 25th at 03:00. */
const DEADLINE = new Date('2026-10-24T10:00:00Z');

/** The fan pays (or saves a card on) a test bank page, authenticating when the bank asks. */
async function onTestBank(client: TestClient, checkoutUrl: string, card: string): Promise<void> {
  const path = new URL(checkoutUrl).pathname;
  await client.get(path);
  const paid = await client.post(path, { number: card, expiry: '12/34', cvc: '123' });
  assert.equal(paid.res.status, 303, paid.html);
  if (paid.res.headers.get('location')!.endsWith('/authenticate')) {
    await client.get(`${path}/authenticate`);
    const done = await client.post(`${path}/authenticate`, { outcome: 'complete' });
    assert.equal(done.res.status, 303, done.html);
  }
}

describe('campaigns: collecting pledges after the deadline (errored, authentication required, dropped)', () => {
  let cs: CampaignSite;
  let page = '';
  let campaignId = '';
  const fans: Record<string, { client: TestClient; email: string; id: string }> = {};

  before(async () => {
    cs = await createCampaignSite(new Date('2026-10-01T08:00:00Z'));
    const campaign = await liveCampaign(cs, { goal: '30.00', deadline: '2026-10-24T12:00', timeZone: 'Europe/Paris' });
    campaignId = campaign.id;
    page = `/c/camille/campaigns/${campaign.slug}`;
    for (const [name, card] of [['good', CARDS.good], ['fixer', CARDS.declinesLater], ['dropper', CARDS.declinesLater], ['authenticator', CARDS.alwaysAuthenticate]] as const) {
      const email = `${name}@example.org`;
      const client = await signUpFan(cs.site, email);
      const id = (await cs.site.deps.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]))[0]!.id;
      fans[name] = { client, email, id };
      const shown = await client.get(page);
      assert.match(shown.html, /Back it \(nothing charged now\)/);
      const start = await client.post(`${page}/pledge`, { amount: '10.00', reward: '', provider: 'test' });
      assert.equal(start.res.status, 303, start.html);
      await onTestBank(client, start.res.headers.get('location')!, card);
    }
    await cs.runJobs();
    assert.deepEqual(await pledgeStatuses(cs, campaignId), ['pledged', 'pledged', 'pledged', 'pledged']);
    assert.match((await fans['good']!.client.get(page)).html, /Your pledge: €10\.00 — Pledged/);
  });
  after(() => cs.site.close());

  it('at the deadline: collected, errored and authentication required, each told how to fix it', async () => {
    cs.clock.advance(DEADLINE.getTime() - cs.clock.now().getTime());
    await cs.runJobs();
    const statuses = Object.fromEntries(await Promise.all(Object.entries(fans).map(async ([name, f]) => [name, (await q.findFanPledge(cs.site.deps.db, campaignId, f.id))!.status])));
    assert.deepEqual(statuses, { good: 'collected', fixer: 'errored', dropper: 'errored', authenticator: 'authentication_required' });
    const outbox = readOutbox(cs.site.outboxDir);
    for (const name of ['fixer', 'dropper', 'authenticator']) {
      const mails = mailsTo(outbox, fans[name]!.email, /Fix your payment here/);
      assert.equal(mails.length, 1, `${name} is e-mailed at once`);
      // The automatic retry comes 7 days (168 h) after the deadline: 11:00 in Paris, now on winter time.
      assert.match(mails[0]!, /2026-10-31 11:00 \(Europe\/Paris\)/);
      assert.match(mails[0]!, new RegExp(`${page}/fix`));
    }
    assert.match((await fans['fixer']!.client.get(page)).html, /Errored[\s\S]*Fix payment/);
    // The creator sees each backer's state.
    const studio = await cs.owner.get(`/studio/channels/camille/campaigns/${campaignId}`);
    assert.match(studio.html, /data-pledge-status="errored"/);
    assert.match(studio.html, /data-pledge-status="authentication_required"/);
  });

  it('errored → fixed: the backer pays through the fix-payment link within the 7 days and is collected', async () => {
    cs.clock.advance(30 * HOUR);
    const fixer = fans['fixer']!;
    assert.match((await fixer.client.get(`${page}/fix`)).html, /Pay €10\.00 now/);
    const fix = await fixer.client.post(`${page}/fix`, {});
    assert.equal(fix.res.status, 303, fix.html);
    await onTestBank(fixer.client, fix.res.headers.get('location')!, CARDS.good);
    await cs.runJobs();
    assert.equal((await q.findFanPledge(cs.site.deps.db, campaignId, fixer.id))!.status, 'collected');
    assert.match((await fixer.client.get('/account/pledges')).html, /data-pledge-status="collected"/);
  });

  it('authentication required → the backer authenticates on the fix-payment page and is collected', async () => {
    const who = fans['authenticator']!;
    const fix = await who.client.post(`${page}/fix`, {});
    await onTestBank(who.client, fix.res.headers.get('location')!, CARDS.alwaysAuthenticate);
    await cs.runJobs();
    assert.equal((await q.findFanPledge(cs.site.deps.db, campaignId, who.id))!.status, 'collected');
  });

  it('errored → dropped: reminders every 48 h for 7 days (across the change to winter time), one retry, then dropped', async () => {
    const dropper = fans['dropper']!;
    const reminders = () => mailsTo(readOutbox(cs.site.outboxDir), dropper.email, /Fix your payment here/).length;
    const at = async (hoursAfterDeadline: number) => {
      cs.clock.advance(DEADLINE.getTime() + hoursAfterDeadline * HOUR - cs.clock.now().getTime());
      await cs.runJobs();
    };
    assert.equal(reminders(), 1);
    for (const [hours, expected] of [[48 - 1 / 60, 1], [48, 2], [96 - 1 / 60, 2], [96, 3], [144, 4], [167, 4]] as const) {
      await at(hours);
      assert.equal(reminders(), expected, `${expected} reminder(s) ${hours} h after the deadline`);
    }
    // A fix checkout begun in the last hour but only paid after the pledge was dropped must not collect it.
    const lateFix = await dropper.client.post(`${page}/fix`, {});
    assert.equal(lateFix.res.status, 303, lateFix.html);
    const lateCheckout = lateFix.res.headers.get('location')!;
    assert.match(lateCheckout, /\/pay\/test\//);
    await at(168 - 1 / 60);
    assert.equal((await q.findFanPledge(cs.site.deps.db, campaignId, dropper.id))!.status, 'errored');
    await at(168);
    assert.equal((await q.findFanPledge(cs.site.deps.db, campaignId, dropper.id))!.status, 'dropped', 'the one automatic retry failed too');
    assert.equal(mailsTo(readOutbox(cs.site.outboxDir), dropper.email, /It was dropped/).length, 1);
    assert.equal(reminders(), 4, 'no reminder after the 7 days');
    // The late payment goes through at the bank, but the pledge stays dropped: the purpose answers
    // "undeliverable" and the payments capability refunds it (the fan is told), never keeping it.
    await onTestBank(dropper.client, lateCheckout, CARDS.good);
    await cs.runJobs();
    const late = await cs.site.deps.db.query<{ status: string }>(`SELECT status FROM payments WHERE idempotency_key LIKE 'campaign-fix:%' AND user_id = $1`, [dropper.id]);
    assert.deepEqual(late.map((p) => p.status), ['refunded'], 'the late payment was refunded automatically');
    assert.equal((await q.findFanPledge(cs.site.deps.db, campaignId, dropper.id))!.status, 'dropped');

    const settlement = (await q.findSettlement(cs.site.deps.db, campaignId))!;
    assert.equal(settlement.stage, 'done');
    assert.deepEqual(settlement.report!.pledges, { collected: 3, dropped: 1 });
    assert.equal(settlement.report!.collectedAmount, 3000, 'only collected pledges count toward what the creator receives');
    assert.equal(settlement.report!.ledgerExact, true);
    assert.equal(settlement.report!.frozenAmount, 4000, 'the page total stays frozen at the deadline');
    assert.deepEqual(await checkLedgerInvariants(cs.site.deps.db), []);
  });
});
