import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient } from '../../test/support/client.js';
import { payOnTestBank } from '../../test/support/funding/pay.js';
import { createManualClock, createSetUpSite, latestMagicToken, readOutbox, type TestSite } from '../../test/support/harness.js';
import { checkLedgerInvariants, channelBalances } from './ledger/index.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const DAY = 86_400_000;


describe('funding: tips and memberships with the test provider', () => {
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let channelId = '';
  let videoShortId = '';
  let membersVideoShortId = '';
  let tierId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });

  before(async () => {
    ({ site, owner, channelId } = await createSetUpSite(clock));
    // Two ready videos, inserted directly (transcoding is tested elsewhere): one public, one for members.
    for (const [shortId, visibility] of [['PublicVid1', 'public'], ['MembersV01', 'members']] as const) {
      await site.deps.db.query(
        `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ($1, $2, $3, 'ready', $4, $5, 10)`,
        [shortId, channelId, `Video ${visibility}`, visibility, `videos/${shortId}/hls`],
      );
      await site.deps.storage.put(`videos/${shortId}/hls/master.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
      await site.deps.storage.put(`videos/${shortId}/hls/240p/seg_00000.m4s`, new Uint8Array(10));
    }
    videoShortId = 'PublicVid1';
    membersVideoShortId = 'MembersV01';
    tierId = (await site.deps.db.query<{ id: string }>(
      `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, yearly_price, members_only_videos, early_access_days) VALUES ($1, 'Supporter', 'EUR', 500, 5000, true, 2) RETURNING id`,
      [channelId],
    ))[0]!.id;
    fan = new TestClient(site.app);
    await fan.post('/signup', { email: 'fan@example.org', display_name: 'Lou' });
    await fan.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'fan@example.org') });
    await fan.get('/');
  });
  after(() => site.close());

  it('shows a tip widget under every video, in the fan language, with the creator minimum', async () => {
    const page = await new TestClient(site.app, { 'accept-language': 'fr' }).get(`/v/${videoShortId}`);
    assert.match(page.html, /Soutenir cette vidéo/);
    assert.match(page.html, /à partir de 1,00/);
  });

  it('refuses a tip below the minimum, malformed or too precise, and creates nothing', async () => {
    for (const [amount, message] of [['0,50', /below the minimum/], ['abc', /Enter an amount/], ['5.555', /fewer decimals/], ['-5', /Enter an amount/], ['99999999', /too large/]] as const) {
      const res = await fan.post(`/v/${videoShortId}/tip`, { amount, provider: 'test' });
      assert.equal(res.res.status, 422, amount);
      assert.match(res.html, message);
    }
    assert.equal((await site.deps.db.query('SELECT 1 FROM payments')).length, 0);
  });

  it('takes a tip end to end: checkout, delayed webhook, ledger, moderated message, receipt', async () => {
    const start = await fan.post(`/v/${videoShortId}/tip`, { amount: '5,00', message: 'Bravo !', provider: 'test' });
    assert.equal(start.res.status, 303);
    const back = await payOnTestBank(fan, start.res.headers.get('location')!, '4242424242424242');
    assert.match(back, /\/tips\/[0-9a-f-]+\/thanks$/);
    const pending = await fan.get(new URL(back).pathname);
    assert.match(pending.html, /being confirmed/);
    await runJobs(); // the bank's webhook arrives through the job queue
    const thanks = await fan.get(new URL(back).pathname);
    assert.match(thanks.html, /is confirmed/);
    const [payment] = await site.deps.db.query<{ status: string; processor_fee: number; platform_fee: number }>(`SELECT status, processor_fee, platform_fee FROM payments`);
    assert.deepEqual(payment, { status: 'succeeded', processor_fee: 33, platform_fee: 0 }); // 1.5 % of 500 + 25, rounded half up
    const balances = await channelBalances(site.deps.db, channelId);
    assert.equal(balances.find((b) => b.currency === 'EUR')?.payable.amount, 467);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    assert.ok(readOutbox(site.outboxDir).some((m) => m.includes('Subject: Your tip to')));
    // The message waits for the creator before it shows.
    assert.doesNotMatch((await new TestClient(site.app).get(`/v/${videoShortId}`)).html, /Bravo/);
    const studio = await owner.get('/studio/channels/camille/tips');
    assert.match(studio.html, /Bravo/);
    const paymentId = /\/tips\/([0-9a-f-]+)\/approve/.exec(studio.html)![1];
    assert.equal((await owner.post(`/studio/channels/camille/tips/${paymentId}/approve`, {})).res.status, 303);
    assert.match((await new TestClient(site.app).get(`/v/${videoShortId}`)).html, /Bravo/);
  });

  it('counts a replayed webhook once', async () => {
    const [job] = await site.deps.db.query<{ payload: unknown }>(`SELECT payload FROM jobs WHERE type = 'payments.test_webhook' ORDER BY id LIMIT 1`);
    const delivery = job!.payload as { body: string; headers: Record<string, string> };
    const before = await channelBalances(site.deps.db, channelId);
    const replay = await site.app.request('/webhooks/test', { method: 'POST', body: delivery.body, headers: delivery.headers });
    assert.equal(replay.status, 200);
    assert.deepEqual(await channelBalances(site.deps.db, channelId), before);
  });

  it('refuses a webhook with a bad signature or for an unknown provider', async () => {
    const forged = await site.app.request('/webhooks/test', { method: 'POST', body: '{"id":"evt_x"}', headers: { 'content-type': 'application/json', 'fanfare-test-signature': 't=1,v1=00' } });
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'bad_signature');
    assert.equal((await site.app.request('/webhooks/nope', { method: 'POST', body: '{}' })).status, 404);
  });

  it('records a declined card as failed and counts nothing', async () => {
    const start = await fan.post(`/v/${videoShortId}/tip`, { amount: '3', provider: 'test' });
    const path = new URL(start.res.headers.get('location')!).pathname;
    await fan.get(path);
    const declined = await fan.post(path, { number: '4000000000000002', expiry: '12/34', cvc: '123' });
    assert.equal(declined.res.status, 402);
    assert.match(declined.html, /declined/);
    await runJobs();
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('keeps members-only videos from fans who are not members: page, playlist, segment', async () => {
    const paywall = await fan.get(`/v/${membersVideoShortId}`);
    assert.equal(paywall.res.status, 200, 'a paywall, not a 404');
    assert.match(paywall.html, /This video is for members/);
    assert.doesNotMatch(paywall.html, /master\.m3u8/, 'no player');
    assert.equal((await fan.request(`/media/v/${membersVideoShortId}/master.m3u8`)).status, 404);
    assert.equal((await fan.request(`/media/v/${membersVideoShortId}/240p/seg_00000.m4s`)).status, 404);
  });

  it('lets a fan join a tier, then watch members-only videos and read the private feed', async () => {
    const tiers = await fan.get('/c/camille/membership');
    assert.match(tiers.html, /Supporter/);
    const join = await fan.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    assert.equal(join.res.status, 303, join.html);
    const back = await payOnTestBank(fan, join.res.headers.get('location')!, '4242424242424242');
    assert.match(back, /\/memberships\/[0-9a-f-]+\/welcome$/);
    await runJobs();
    assert.match((await fan.get(new URL(back).pathname)).html, /You are a member/);
    assert.ok(await plays(fan, membersVideoShortId));
    assert.equal((await fan.request(`/media/v/${membersVideoShortId}/240p/seg_00000.m4s`)).status, 200);
    const account = await fan.get('/account/memberships');
    const membershipId = /\/memberships\/([0-9a-f-]+)\/feed/.exec(account.html)![1];
    const feedPage = await fan.post(`/memberships/${membershipId}/feed`, {});
    const feedUrl = /value="(http[^"]+members\.rss\?token=[^"]+)"/.exec(feedPage.html)![1]!;
    const feed = await new TestClient(site.app).request(new URL(feedUrl).pathname + new URL(feedUrl).search);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /Video members/);
    assert.equal((await new TestClient(site.app).request('/c/camille/members.rss?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status, 403);
  });

  it('renews the membership off-session at the end of the period', async () => {
    clock.advance(31 * DAY);
    await runJobs();
    const [m] = await site.deps.db.query<{ status: string; current_period_end: Date }>('SELECT status, current_period_end FROM memberships');
    assert.equal(m!.status, 'active');
    assert.ok(m!.current_period_end.getTime() > clock.now().getTime());
    const count = await site.deps.db.query(`SELECT 1 FROM payments WHERE purpose = 'membership' AND status = 'succeeded'`);
    assert.equal(count.length, 2);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('cancelling keeps access until the period ends, then access stops', async () => {
    const account = await fan.get('/account/memberships');
    const membershipId = /\/memberships\/([0-9a-f-]+)\/cancel/.exec(account.html)![1];
    assert.equal((await fan.post(`/memberships/${membershipId}/cancel`, {})).res.status, 303);
    assert.ok(await plays(fan, membersVideoShortId), 'still paid up');
    clock.advance(31 * DAY);
    await runJobs();
    assert.ok(!(await plays(fan, membersVideoShortId)), 'lapsed');
    const [m] = await site.deps.db.query<{ status: string }>('SELECT status FROM memberships ORDER BY created_at DESC LIMIT 1');
    assert.equal(m!.status, 'expired');
  });

  it('goes past due when the saved card declines a renewal, e-mails the fan, and ends after the grace period', async () => {
    const other = new TestClient(site.app);
    await other.post('/signup', { email: 'late@example.org', display_name: 'Late' });
    await other.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'late@example.org') });
    await other.get('/');
    const join = await other.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    await payOnTestBank(other, join.res.headers.get('location')!, '4000000000000341'); // pays now, declines off-session
    await runJobs();
    assert.ok(await plays(other, membersVideoShortId));
    clock.advance(31 * DAY);
    await runJobs();
    const [m] = await site.deps.db.query<{ status: string; renewal_failures: number }>(`SELECT m.status, m.renewal_failures FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'late@example.org'`);
    assert.equal(m!.status, 'past_due');
    assert.ok(readOutbox(site.outboxDir).some((mail) => mail.includes('To: late@example.org') && mail.includes('payment failed')));
    assert.ok(await plays(other, membersVideoShortId), 'grace period');
    for (let i = 0; i < 4; i++) {
      clock.advance(3 * DAY);
      await runJobs();
    }
    assert.ok(!(await plays(other, membersVideoShortId)), 'grace over');
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('records a dispute that arrives after the payment, as its own transaction, and keeps the books balanced', async () => {
    const start = await fan.post(`/v/${videoShortId}/tip`, { amount: '10', provider: 'test' });
    await payOnTestBank(fan, start.res.headers.get('location')!, '4000000000000259'); // pays, then disputed
    await runJobs();
    const paymentId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM payments WHERE amount = 1000 AND purpose = 'tip'`))[0]!.id;
    assert.equal((await site.deps.db.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [paymentId]))[0]!.status, 'succeeded');
    const before = (await channelBalances(site.deps.db, channelId)).find((b) => b.currency === 'EUR')!.payable.amount;
    clock.advance(2 * 60_000); // the bank's dispute is delivered a minute after the payment
    await runJobs();
    assert.equal((await site.deps.db.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [paymentId]))[0]!.status, 'disputed');
    const after = (await channelBalances(site.deps.db, channelId)).find((b) => b.currency === 'EUR')!.payable.amount;
    assert.ok(after < before, 'the disputed money is held back from the creator');
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('refuses a refund event that arrives before its payment (409, the provider retries), and applies it later', async () => {
    const start = await fan.post(`/v/${videoShortId}/tip`, { amount: '4', provider: 'test' });
    const location = start.res.headers.get('location')!;
    await payOnTestBank(fan, location, '4242424242424242');
    const paymentId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM payments WHERE amount = 400`))[0]!.id;
    const bank = site.services.payments.providers.test!;
    const providerRef = (await site.deps.db.query<{ checkout_ref: string }>('SELECT checkout_ref FROM payments WHERE id = $1', [paymentId]))[0]!.checkout_ref;
    assert.ok(providerRef && bank);
    // The payment's webhook is still queued: a refund about it now is out of order.
    const { signTestEvent } = await import('./providers/test-provider/webhooks.js');
    const { hmac } = await import('../core/crypto.js');
    const early = signTestEvent(
      { provider: 'test', eventId: `evt_early_refund_${paymentId}`, type: 'refund.succeeded', providerRef: 'pay_unknown_yet', amount: 400, currency: 'EUR', occurredAt: clock.now(), metadata: { paymentId }, livemode: false },
      hmac(site.deps.signingSecret, 'payments:test-bank-webhooks'),
      clock.now(),
    );
    const res = await site.app.request('/webhooks/test', { method: 'POST', body: early.body, headers: early.headers });
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'out_of_order');
    await runJobs(); // the payment arrives
    const again = await site.app.request('/webhooks/test', { method: 'POST', body: early.body, headers: early.headers });
    assert.equal(again.status, 200, 'the retried refund applies once the payment is known');
    assert.equal((await site.deps.db.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [paymentId]))[0]!.status, 'refunded');
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('upgrades a tier at once with a prorated charge, and schedules a downgrade for the next renewal', async () => {
    const premiumId = (await site.deps.db.query<{ id: string }>(
      `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, rank) VALUES ($1, 'Premium', 'EUR', 1500, 1) RETURNING id`,
      [channelId],
    ))[0]!.id;
    const member = new TestClient(site.app);
    await member.post('/signup', { email: 'up@example.org', display_name: 'Up' });
    await member.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'up@example.org') });
    await member.get('/');
    const join = await member.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    await payOnTestBank(member, join.res.headers.get('location')!, '4242424242424242');
    await runJobs();
    clock.advance(15 * DAY); // about half the period left
    const membershipId = (await site.deps.db.query<{ id: string }>(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'up@example.org'`))[0]!.id;
    const up = await member.post(`/memberships/${membershipId}/change`, { tier: premiumId });
    assert.equal(up.res.status, 303, up.html);
    assert.match(up.res.headers.get('location')!, /membership_upgraded/);
    const [charge] = await site.deps.db.query<{ amount: number; status: string }>(`SELECT amount, status FROM payments WHERE membership_id = $1 AND period_start IS NULL ORDER BY created_at DESC LIMIT 1`, [membershipId]);
    assert.equal(charge!.status, 'succeeded');
    assert.ok(charge!.amount > 400 && charge!.amount < 600, `about half of the 10 € difference, got ${charge!.amount}`);
    const down = await member.post(`/memberships/${membershipId}/change`, { tier: tierId });
    assert.match(down.res.headers.get('location')!, /membership_downgrade_scheduled/);
    const [m] = await site.deps.db.query<{ tier_id: string; pending_tier_id: string }>('SELECT tier_id, pending_tier_id FROM memberships WHERE id = $1', [membershipId]);
    assert.deepEqual([m!.tier_id, m!.pending_tier_id], [premiumId, tierId]);
    const bad = await member.post(`/memberships/${membershipId}/change`, { tier: 'not-a-tier' });
    assert.equal(bad.res.status, 422);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('makes a membership past due when the bank wants the fan present for a renewal', async () => {
    const member = new TestClient(site.app);
    await member.post('/signup', { email: 'sca@example.org', display_name: 'Sca' });
    await member.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'sca@example.org') });
    await member.get('/');
    const join = await member.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    // This card wants 3-D Secure every time: the fan authenticates at checkout; renewals then need them too.
    const next = await payOnTestBank(member, join.res.headers.get('location')!, '4000002760003184');
    assert.match(next, /\/authenticate$/);
    const authenticated = await member.post(new URL(next, site.deps.config.publicUrl).pathname, { outcome: 'complete' });
    assert.equal(authenticated.res.status, 303, authenticated.html);
    await runJobs();
    assert.equal((await site.deps.db.query<{ status: string }>(`SELECT m.status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'sca@example.org'`))[0]!.status, 'active');
    clock.advance(31 * DAY);
    await runJobs();
    const [m] = await site.deps.db.query<{ status: string }>(`SELECT m.status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'sca@example.org'`);
    assert.equal(m!.status, 'past_due');
    const [p] = await site.deps.db.query<{ status: string }>(`SELECT p.status FROM payments p JOIN users u ON u.id = p.user_id WHERE u.email = 'sca@example.org' AND p.period_start IS NOT NULL`);
    assert.equal(p!.status, 'requires_action');
  });

  it('answers joining without login, with a bad tier, or twice, clearly', async () => {
    const anonymous = new TestClient(site.app);
    await anonymous.get('/login');
    const redirect = await anonymous.post('/c/camille/membership/join', { tier: tierId });
    assert.equal(redirect.res.status, 303);
    assert.match(redirect.res.headers.get('location')!, /^\/login\?back=/);
    const bad = await fan.post('/c/camille/membership/join', { tier: 'nope', interval: 'month' });
    assert.equal(bad.res.status, 422);
    assert.match(bad.html, /Choose one of the tiers offered/);
    const badInterval = await fan.post('/c/camille/membership/join', { tier: tierId, interval: 'weekly' });
    assert.equal(badInterval.res.status, 422);
  });
});

/** The watch page holds the player (a member), not the paywall. */
async function plays(client: TestClient, shortId: string): Promise<boolean> {
  const page = await client.get(`/v/${shortId}`);
  return page.res.status === 200 && page.html.includes('master.m3u8');
}
