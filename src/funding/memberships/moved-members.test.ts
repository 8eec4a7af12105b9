import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { mailText } from '../../../test/support/fan-budget/site.js';
import { createManualClock, createSetUpSite, createTestSite, latestMagicToken, readOutbox, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { startFakeStripe, type FakeStripe } from '../../../test/fakes/stripe-server.js';
import { createStripeProvider } from '../providers/index.js';
import { runDueJobsOnce } from '../../core/jobs/index.js';
import { paymentAccounts, sameAccount, scheduleChannelRenewals, sitePaymentAccounts, type PaymentAccounts } from './moved-members.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const DAY = 86_400_000;
const clock = createManualClock(NOW);
/** Moves the manual clock to `at` (never back). */
const setClock = (at: Date) => clock.advance(at.getTime() - clock.now().getTime());

/** What the tests check of a membership. */
async function membershipRow(site: TestSite, id: string) {
  return (
    await site.deps.db.query<{ status: string; current_period_start: Date; current_period_end: Date; ended_at: Date | null; payment_method_needed_since: Date | null; customer_ref: string | null; payment_method_ref: string | null }>(
      'SELECT status, current_period_start, current_period_end, ended_at, payment_method_needed_since, customer_ref, payment_method_ref FROM memberships WHERE id = $1',
      [id],
    )
  )[0]!;
}

/** The statuses of a membership's renewal payments. */
async function renewalStatuses(site: TestSite, id: string): Promise<string[]> {
  return (await site.deps.db.query<{ status: string }>("SELECT status FROM payments WHERE membership_id = $1 AND idempotency_key LIKE 'renew:%'", [id])).map((p) => p.status);
}

describe('members of a channel that moved from another payment account', () => {
  let site: TestSite;
  let channelId = '';
  let tierId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock, maxJobs: 100 });
  const ids: Record<string, string> = {};
  let periodEnd = new Date(0);

  /** The e-mails sent to `to` whose subject contains `subject`. */
  const mails = (to: string, subject: RegExp) => readOutbox(site.outboxDir).map(mailText).filter((m) => m.includes(`To: ${to}`) && subject.test(m));
  const membership = (id: string) => membershipRow(site, id);
  const renewals = (id: string) => renewalStatuses(site, id);
  const imported = (from: PaymentAccounts | undefined, here: PaymentAccounts) => site.deps.db.transaction((tx) => scheduleChannelRenewals(site.deps, tx, channelId, { from, here }));

  /** Signs a fan up and joins with the test bank's card (saved for renewals); returns the membership id. */
  async function join(email: string): Promise<string> {
    const member = new TestClient(site.app);
    await member.post('/signup', { email, display_name: email.split('@')[0]! });
    await member.post('/auth/magic', { token: latestMagicToken(site.outboxDir, email) });
    await member.get('/');
    const joined = await member.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    const page = new URL(joined.res.headers.get('location')!).pathname;
    await member.get(page);
    assert.equal((await member.post(page, { number: '4242424242424242', expiry: '12/34', cvc: '123' })).res.status, 303);
    await runJobs();
    return (await site.deps.db.query<{ id: string }>('SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1', [email]))[0]!.id;
  }

  before(async () => {
    ({ site, channelId } = await createSetUpSite(clock));
    tierId = (await site.deps.db.query<{ id: string }>(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ($1, 'Soutien', 'EUR', 500) RETURNING id`, [channelId]))[0]!.id;
    ids.confirms = await join('confirms@example.org');
    ids.silent = await join('silent@example.org');
    ids.cancelled = await join('cancelled@example.org');
    await site.deps.db.query(`UPDATE users SET language = 'fr' WHERE email = 'confirms@example.org'`);
    await site.deps.db.query(`UPDATE memberships SET status = 'cancelled' WHERE id = $1`, [ids.cancelled]);
    periodEnd = (await membership(ids.confirms)).current_period_end;
  });
  after(() => site.close());

  it('compares accounts per rail: the same identity renews as before; another, or none recorded, does not', async () => {
    const here = await sitePaymentAccounts(site.deps);
    assert.match(here.test ?? '', /^test-bank-/);
    const table: [PaymentAccounts | undefined, boolean][] = [
      [here, true],
      [{ test: 'test-bank-elsewhere' }, false],
      [{ stripe: 'acct_1' }, false],
      [{}, false],
      [undefined, false],
    ];
    for (const [from, same] of table) assert.equal(sameAccount('test', { from, here }), same, JSON.stringify(from));
    // A rail that cannot answer: left out at export (its members are then asked), an error at import (retried).
    const down = { providers: {}, enabled: ['stripe' as const], get: () => ({ accountIdentity: async () => Promise.reject(new Error('stripe down')) }) } as never;
    assert.deepEqual(await paymentAccounts(down), {});
    await assert.rejects(paymentAccounts(down, { strict: true }), /stripe down/);
    // Imported from a site with the same test bank: nothing asked of anyone, the saved cards stay.
    await imported(here, here);
    for (const id of Object.values(ids)) assert.equal((await membership(id)).payment_method_needed_since, null);
    assert.ok((await membership(ids.confirms!)).payment_method_ref);
  });

  it('asks each live member once, in their language, with a signed link that opens without signing in', async () => {
    const here = await sitePaymentAccounts(site.deps);
    // A member whose renewal was failing on the old site when the channel left (past due, in grace).
    ids.late = await join('late@example.org');
    await site.deps.db.query(
      `UPDATE memberships SET status = 'past_due', current_period_start = $2, current_period_end = $3, grace_until = $4, renewal_failures = 1 WHERE id = $1`,
      [ids.late, new Date(NOW.getTime() - 31 * DAY), new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + 6 * DAY)],
    );
    await imported({ test: 'test-bank-elsewhere' }, here);
    await imported({ test: 'test-bank-elsewhere' }, here); // an import resumed or run again changes nothing
    for (const id of [ids.confirms!, ids.silent!]) {
      const row = await membership(id);
      assert.ok(row.payment_method_needed_since, 'asked for a payment method');
      assert.equal(row.payment_method_ref, null, 'the old card reference names nothing here');
    }
    assert.equal((await membership(ids.cancelled!)).payment_method_needed_since, null, 'a cancelled membership just ends');
    await runJobs();
    await runJobs();
    const french = mails('confirms@example.org', /a déménagé sur un nouveau site/);
    assert.equal(french.length, 1, 'one e-mail');
    assert.match(french[0]!, /rien n’est débité maintenant/);
    assert.equal(mails('silent@example.org', /has moved to a new site/).length, 1);
    assert.equal(mails('cancelled@example.org', /payment method/).length, 0);

    const link = /\/memberships\/[0-9a-f-]{36}\/payment-method\?sig=[\w-]+/.exec(french[0]!)![0];
    const visitor = new TestClient(site.app, { 'accept-language': 'fr' });
    // One character of the signature changed (to another character: a signature starting with "x" made the
    // "forged" link the real one once in 64 runs).
    const forged = await visitor.get(link.replace(/sig=(\w)/, (_, first: string) => `sig=${first === 'x' ? 'y' : 'x'}`));
    assert.equal(forged.res.status, 403);
    assert.match(forged.html, /Ce lien n’est pas valide/);
    assert.equal((await visitor.get(`/memberships/${ids.silent}/payment-method?sig=${new URL(link, 'http://x').searchParams.get('sig')}`)).res.status, 403, 'one membership per link');
    const page = await visitor.get(link);
    assert.equal(page.res.status, 200);
    assert.match(page.html, /Rien n’est débité maintenant/);

    // Confirming opens the test bank's setup page: a card saved, nothing charged.
    const confirm = await visitor.post(`/memberships/${ids.confirms}/payment-method`, { sig: new URL(link, 'http://x').searchParams.get('sig')! });
    assert.equal(confirm.res.status, 303, confirm.html);
    const bank = new URL(confirm.res.headers.get('location')!).pathname;
    await visitor.get(bank);
    const saved = await visitor.post(bank, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
    assert.equal(saved.res.status, 303, saved.html);
    await runJobs();
    const confirmed = await membership(ids.confirms!);
    assert.equal(confirmed.payment_method_needed_since, null);
    assert.ok(confirmed.payment_method_ref, 'the new method is kept for the renewal');
    assert.deepEqual(await renewals(ids.confirms!), [], 'nothing charged on confirming');
    assert.match((await visitor.get(link)).html, /sera renouvelé le/);

    // The past-due member confirms within grace: charged at once, once, for the period that was due.
    const late = /\/memberships\/[0-9a-f-]{36}\/payment-method\?sig=[\w-]+/.exec(mails('late@example.org', /has moved to a new site/)[0]!)![0];
    const lateVisitor = new TestClient(site.app);
    await lateVisitor.get(late);
    const lateConfirm = await lateVisitor.post(`/memberships/${ids.late}/payment-method`, { sig: new URL(late, 'http://x').searchParams.get('sig')! });
    const lateBank = new URL(lateConfirm.res.headers.get('location')!).pathname;
    await lateVisitor.get(lateBank);
    assert.equal((await lateVisitor.post(lateBank, { number: '4242424242424242', expiry: '12/34', cvc: '123' })).res.status, 303);
    await runJobs();
    await runJobs();
    const caughtUp = await membership(ids.late!);
    assert.equal(caughtUp.status, 'active');
    assert.equal(caughtUp.current_period_start.toISOString(), new Date(NOW.getTime() - DAY).toISOString(), 'the period that was due, without a gap');
    assert.deepEqual(await renewals(ids.late!), ['succeeded']);
  });

  it('reminds only who has not confirmed, then charges each confirmed member once and ends the others with their paid period', async () => {
    setClock(new Date(periodEnd.getTime() - 3 * DAY + 60_000));
    await runJobs();
    assert.equal(mails('silent@example.org', /no payment method is confirmed/).length, 1, 'a reminder before the renewal');
    assert.equal(mails('confirms@example.org', /aucun moyen de paiement n’est encore confirmé/).length, 0, 'no reminder once confirmed');

    setClock(new Date(periodEnd.getTime() + 60_000));
    await runJobs();
    await runJobs();
    const renewed = await membership(ids.confirms!);
    assert.equal(renewed.status, 'active');
    assert.equal(renewed.current_period_start.toISOString(), periodEnd.toISOString(), 'the new period starts where the paid one ended: nothing skipped');
    assert.deepEqual(await renewals(ids.confirms!), ['succeeded'], 'charged once');
    for (const id of [ids.silent!, ids.cancelled!]) {
      const ended = await membership(id);
      assert.equal(ended.status, 'expired');
      assert.equal(ended.ended_at?.toISOString(), periodEnd.toISOString(), 'ends with the period paid for');
      assert.deepEqual(await renewals(id), [], 'never charged');
    }
    const link = /\/memberships\/[0-9a-f-]{36}\/payment-method\?sig=[\w-]+/.exec(mails('silent@example.org', /has moved/)[0]!)![0];
    assert.match((await new TestClient(site.app).get(link)).html, /This membership has ended/);

    // Running the jobs again (a retried job) charges nobody twice.
    await runJobs();
    assert.deepEqual(await renewals(ids.confirms!), ['succeeded']);
    // The next period renews as any other.
    setClock(new Date(renewed.current_period_end.getTime() + 60_000));
    await runJobs();
    assert.deepEqual(await renewals(ids.confirms!), ['succeeded', 'succeeded']);
    assert.equal((await membership(ids.confirms!)).current_period_start.toISOString(), renewed.current_period_end.toISOString());
    // The caught-up member: one charge per period, each period starting where the last ended.
    const periods = await site.deps.db.query<{ period_start: Date; period_end: Date }>(
      "SELECT period_start, period_end FROM payments WHERE membership_id = $1 AND status = 'succeeded' AND idempotency_key LIKE 'renew:%' ORDER BY period_start",
      [ids.late],
    );
    assert.ok(periods.length >= 2);
    for (const [i, p] of periods.slice(1).entries()) assert.equal(p.period_start.toISOString(), periods[i]!.period_end.toISOString(), 'never twice, never skipped');
    const checks = await site.deps.db.query<{ ok: boolean }>(`SELECT ok FROM ledger_checks WHERE trigger = 'membership.renew'`);
    assert.ok(checks.length > 0 && checks.every((c) => c.ok), 'every renewal ended with a clean ledger self-check');
  });
});

describe('a moved member on a Stripe site re-confirms through Stripe’s setup mode', () => {
  const stripeClock = createManualClock(NOW);
  const WEBHOOK_SECRET = 'whsec_moved_members';
  let fake: FakeStripe;
  let site: TestSite;
  let channelId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: stripeClock, maxJobs: 100 });
  /** Stripe delivers `type` about `object` to the site's webhook endpoint, signed, dated now. */
  async function deliver(type: string, object: object) {
    const { body, headers } = fake.webhook(type, object, WEBHOOK_SECRET, stripeClock.now());
    const res = await site.app.request('/webhooks/stripe', { method: 'POST', body, headers });
    assert.equal(res.status, 200, await res.text());
  }
  const membership = (id: string) => membershipRow(site, id);
  const renewals = (id: string) => renewalStatuses(site, id);

  before(async () => {
    fake = await startFakeStripe();
    const stripe = createStripeProvider({ secretKey: fake.apiKey, webhookSecret: WEBHOOK_SECRET, api: { host: '127.0.0.1', port: fake.port, protocol: 'http' }, clock: stripeClock, maxNetworkRetries: 0 });
    const payments = { providers: { stripe }, enabled: ['stripe' as const], get: (id: string) => (id === 'stripe' ? stripe : undefined) };
    site = await createTestSite({ clock: stripeClock, env: { SESSION_TTL_DAYS: '365' }, services: { payments } });
    await new TestClient(site.app).post('/setup', setupFields({ channel_language: 'en' }));
    channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
  });
  after(async () => {
    await site.close();
    await fake.close();
  });

  it('saves the new card through a setup session and webhook, then the renewal charges it once off-session', async () => {
    const tierId = (await site.deps.db.query<{ id: string }>(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ($1, 'Soutien', 'EUR', 500) RETURNING id`, [channelId]))[0]!.id;
    // A member joined through Stripe (the card saved for renewals) on the site the channel came from.
    const member = await signUpFan(site, 'stripe-fan@example.org');
    const joined = await member.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'stripe' });
    const joinSession = /cs_test_\w+/.exec(joined.res.headers.get('location') ?? '')![0];
    await deliver('checkout.session.completed', fake.completeCheckout(joinSession).session);
    const id = (await site.deps.db.query<{ id: string }>("SELECT id FROM memberships WHERE status = 'active'"))[0]!.id;
    const periodEnd = (await membership(id)).current_period_end;

    // The channel arrives from a site with another Stripe account: the old card names nothing here.
    const here = await paymentAccounts(site.services.payments, { strict: true });
    assert.match(here.stripe ?? '', /^acct_/);
    await site.deps.db.transaction((tx) => scheduleChannelRenewals(site.deps, tx, channelId, { from: { stripe: 'acct_elsewhere' }, here }));
    assert.ok((await membership(id)).payment_method_needed_since);
    await runJobs();
    const mail = readOutbox(site.outboxDir).map(mailText).find((m) => m.includes('To: stripe-fan@example.org') && /has moved to a new site/.test(m))!;
    const link = /\/memberships\/[0-9a-f-]{36}\/payment-method\?sig=[\w-]+/.exec(mail)![0];

    // Confirming opens Stripe's setup page (no sign-in needed): a SetupIntent, nothing charged.
    const visitor = new TestClient(site.app);
    assert.match((await visitor.get(link)).html, /Nothing is charged now/);
    const confirm = await visitor.post(`/memberships/${id}/payment-method`, { sig: new URL(link, 'http://x').searchParams.get('sig')! });
    assert.equal(confirm.res.status, 303, confirm.html);
    const setupSession = /cs_test_\w+/.exec(confirm.res.headers.get('location')!)![0];
    assert.equal(fake.sessions.get(setupSession)!['mode'], 'setup');
    const intentsBefore = fake.paymentIntents.size;
    const done = fake.completeSetup(setupSession);
    await deliver('checkout.session.completed', done.session);
    await deliver('checkout.session.completed', done.session); // a redelivery changes nothing
    await runJobs();
    const confirmed = await membership(id);
    assert.equal(confirmed.payment_method_needed_since, null);
    assert.equal(confirmed.payment_method_ref, done.paymentMethod['id'], 'the method the SetupIntent saved');
    assert.equal(confirmed.customer_ref, done.setupIntent['customer']);
    assert.equal(fake.paymentIntents.size, intentsBefore, 'nothing charged on confirming');
    assert.deepEqual(await renewals(id), []);

    // At the period end: one off-session PaymentIntent with that customer and method, the period contiguous.
    stripeClock.advance(periodEnd.getTime() + 60_000 - stripeClock.now().getTime());
    await runJobs();
    await runJobs();
    const charges = [...fake.paymentIntents.values()].filter((pi) => pi['payment_method'] === done.paymentMethod['id']);
    assert.equal(charges.length, 1, 'charged once');
    assert.equal(charges[0]!['customer'], done.setupIntent['customer']);
    assert.equal(fake.posts('/v1/payment_intents').at(-1)!.body.includes('off_session=true'), true);
    // Stripe's own event for that PaymentIntent arrives later: still one payment.
    await deliver('payment_intent.succeeded', charges[0]!);
    await runJobs();
    const renewed = await membership(id);
    assert.equal(renewed.status, 'active');
    assert.equal(renewed.current_period_start.toISOString(), periodEnd.toISOString(), 'nothing skipped');
    assert.deepEqual(await renewals(id), ['succeeded'], 'never twice');
  });
});
