// Issue 9, money: a fan who clicked Join twice and paid the earlier checkout was charged and got no
// membership (the welcome page even said "Nothing was charged"); ten parallel joins then paying every
// checkout gave ten charges for one membership, and on PostgreSQL HTTP 500s from memberships_one_live.
// These tests fail on the code before the fix and run on PGlite and PostgreSQL alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../../core/jobs/index.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { checkLedgerInvariants } from '../ledger/index.js';

/** An e-mail's text with quoted-printable undone, to search it. */
const unfold = (mail: string) => Buffer.from(mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));

/** Pays on the test bank's page with a card that succeeds; returns where the bank sends the fan. */
async function pay(client: TestClient, checkoutUrl: string): Promise<string> {
  const path = new URL(checkoutUrl).pathname;
  await client.get(path);
  const paid = await client.post(path, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
  assert.equal(paid.res.status, 303, paid.html);
  return new URL(paid.res.headers.get('location')!).pathname;
}

describe('joining a tier twice never takes money for nothing', () => {
  let site: TestSite;
  let owner: TestClient;
  let channelId = '';
  let tierId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });
  const join = async (fan: TestClient) => {
    const res = await fan.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    assert.equal(res.res.status, 303, res.html);
    return res.res.headers.get('location')!;
  };
  const paymentsOf = (email: string) =>
    site.deps.db.query<{ status: string; undeliverable_reason: string | null }>(
      `SELECT p.status, p.undeliverable_reason FROM payments p JOIN users u ON u.id = p.user_id WHERE u.email = $1 ORDER BY p.created_at`,
      [email],
    );
  const liveMemberships = (email: string) =>
    site.deps.db.query<{ id: string; status: string }>(`SELECT m.id, m.status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.status <> 'expired'`, [email]);

  before(async () => {
    site = await createTestSite({ clock });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
    tierId = (await site.deps.db.query<{ id: string }>(
      `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ($1, 'Supporter', 'EUR', 500) RETURNING id`,
      [channelId],
    ))[0]!.id;
  });
  after(() => site.close());

  it('honours the earlier checkout when the fan pays it, and refunds the later one paid too', async () => {
    const fan = await signUpFan(site, 'twice@example.org');
    const first = await join(fan); // first tab
    const second = await join(fan); // second tab: the first membership is superseded
    const welcomeFirst = await pay(fan, first);
    await runJobs();
    assert.deepEqual((await liveMemberships('twice@example.org')).map((m) => m.status), ['active'], 'the paid checkout made them a member');
    const page = await fan.get(welcomeFirst);
    assert.match(page.html, /You are a member/);
    assert.doesNotMatch(page.html, /Nothing was charged/);

    const welcomeSecond = await pay(fan, second);
    await runJobs(); // the payment, then the refund job, then the bank's refund webhook
    assert.deepEqual((await paymentsOf('twice@example.org')).map((p) => [p.status, p.undeliverable_reason]), [['succeeded', null], ['refunded', 'already_member']]);
    assert.equal((await liveMemberships('twice@example.org')).length, 1);
    const refundedPage = await fan.get(welcomeSecond);
    assert.match(refundedPage.html, /refunded in full/);
    assert.doesNotMatch(refundedPage.html, /Nothing was charged/);
    const mail = readOutbox(site.outboxDir).map(unfold).find((m) => m.includes('To: twice@example.org') && m.includes('you were already a member of this channel. We have refunded it in full'));
    assert.ok(mail, 'the fan is told by e-mail');
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    // The creator sees it in the Studio.
    const revenue = await owner.get('/studio/channels/camille/revenue');
    assert.match(revenue.html, /refunded automatically to the fan: they were already a member/);
  });

  it('ends ten parallel joins, each checkout paid, with one membership and nine refunds, and no 5xx', async () => {
    const fan = await signUpFan(site, 'tenfold@example.org');
    await fan.loadCsrf();
    const joins = await Promise.all(Array.from({ length: 10 }, () => fan.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' })));
    assert.deepEqual(joins.map((j) => j.res.status), Array(10).fill(303), joins.map((j) => j.html.slice(0, 200)).join('\n'));
    const checkouts = [...new Set(joins.map((j) => j.res.headers.get('location')!))];
    assert.equal(checkouts.length, 10);
    for (const checkout of checkouts) await pay(fan, checkout);
    await runJobs();
    await runJobs();
    assert.equal((await liveMemberships('tenfold@example.org')).length, 1);
    assert.equal((await liveMemberships('tenfold@example.org'))[0]!.status, 'active');
    const payments = await paymentsOf('tenfold@example.org');
    assert.equal(payments.filter((p) => p.status === 'succeeded' && !p.undeliverable_reason).length, 1);
    assert.equal(payments.filter((p) => p.status === 'refunded' && p.undeliverable_reason === 'already_member').length, 9);
    // Each refund is its own ledger transaction pointing at its payment: the books were never edited.
    const refunds = await site.deps.db.query(
      `SELECT 1 FROM ledger_transactions r JOIN payments p ON p.ledger_transaction_id = r.reverses_transaction_id JOIN users u ON u.id = p.user_id
        WHERE r.kind = 'refund' AND u.email = 'tenfold@example.org'`,
    );
    assert.equal(refunds.length, 9);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    const studio = await owner.get('/studio/channels/camille/revenue');
    assert.equal(studio.res.status, 200);
  });

  it('keeps saying "nothing was charged" only for a superseded checkout nobody paid', async () => {
    const fan = await signUpFan(site, 'abandon@example.org');
    const first = await join(fan);
    await join(fan);
    const checkoutId = new URL(first).pathname.split('/').at(-1)!;
    const [payment] = await site.deps.db.query<{ membership_id: string }>('SELECT membership_id FROM payments WHERE checkout_ref = $1', [checkoutId]);
    await site.deps.db.query(`UPDATE payments SET status = 'expired' WHERE checkout_ref = $1`, [checkoutId]);
    const page = await fan.get(`/memberships/${payment!.membership_id}/welcome`);
    assert.match(page.html, /Nothing was charged/);
  });
});
