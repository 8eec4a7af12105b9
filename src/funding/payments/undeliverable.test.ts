// Issue 9: a payment that succeeds for something that can no longer be delivered is refunded
// automatically and the fan is told; signed webhooks that can never apply are acknowledged (2xx, so
// providers stop retrying), recorded and shown to the creator instead of answering 500.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hmac } from '../../core/crypto.js';
import { enqueue, runDueJobsOnce } from '../../core/jobs/index.js';
import { defineCapability } from '../../core/module.js';
import { MODULES } from '../../modules.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { startFakeBtcpay, type FakeBtcpay } from '../../../test/fakes/btcpay-server.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import type { PaymentEvent } from '../providers/index.js';
import { signTestEvent } from '../providers/test-provider/webhooks.js';
import { TEST_WEBHOOK_TOLERANCE_SECONDS } from '../providers/index.js';
import { UNDELIVERABLE_REFUND_JOB } from './refunds.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const unfold = (mail: string) => Buffer.from(mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

/** A capability standing for the bundles capability that lands later: its purpose says "sold out". */
const soldOutBundles = defineCapability({
  name: 'sold-out-bundles',
  routes: [],
  contributes: { 'payments.purposes': () => ({ bundle: { succeeded: async () => ({ undeliverable: 'sold_out' }) } }) },
  tables: {},
  messages: { en: {}, fr: {} },
});

describe('payments that cannot be delivered are refunded, never kept', () => {
  let site: TestSite;
  let owner: TestClient;
  let channelId = '';
  let btcpay: FakeBtcpay;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });
  const bank = () => site.services.payments.providers.test!;
  const statusOf = async (id: string) => (await site.deps.db.query<{ status: string; undeliverable_reason: string | null }>('SELECT status, undeliverable_reason FROM payments WHERE id = $1', [id]))[0]!;
  const sign = (event: Omit<PaymentEvent, 'provider' | 'livemode'>) =>
    signTestEvent({ provider: 'test', livemode: false, ...event }, hmac(site.deps.signingSecret, 'payments:test-bank-webhooks'), clock.now());
  const post = (delivery: { body: string; headers: Record<string, string> }, provider = 'test') =>
    site.app.request(`/webhooks/${provider}`, { method: 'POST', body: delivery.body, headers: delivery.headers });

  /** A payment of `purpose` with its test-bank checkout, as a funding capability would start it. */
  async function checkout(purpose: 'tip' | 'bundle' | 'campaign', amount = 800): Promise<{ paymentId: string; checkoutId: string }> {
    const paymentId = randomUUID();
    await site.deps.db.query(
      `INSERT INTO payments (id, purpose, channel_id, amount, currency, provider, idempotency_key, email) VALUES ($1, $2, $3, $4, 'EUR', 'test', $5, 'buyer@example.org')`,
      [paymentId, purpose, channelId, amount, `${purpose}:${paymentId}`],
    );
    const session = await bank().createCheckout({ amount, currency: 'EUR', description: purpose, idempotencyKey: `${purpose}:${paymentId}`, successUrl: 'http://localhost/ok', cancelUrl: 'http://localhost/no', metadata: { paymentId, purpose } });
    await site.deps.db.query('UPDATE payments SET checkout_ref = $2 WHERE id = $1', [paymentId, session.providerRef]);
    return { paymentId, checkoutId: session.providerRef };
  }
  const payCard = (checkoutId: string) => bank().payCheckout(checkoutId, { number: '4242424242424242', expiry: '12/34', cvc: '123' });

  before(async () => {
    btcpay = await startFakeBtcpay();
    site = await createTestSite({
      clock,
      // Without campaigns: a campaign payment here has no purpose handler (see the last test).
      modules: [...MODULES.filter((m) => m.name !== 'campaigns'), soldOutBundles],
      env: { BTCPAY_URL: btcpay.url, BTCPAY_API_KEY: btcpay.apiKey, BTCPAY_STORE_ID: btcpay.storeId, BTCPAY_WEBHOOK_SECRET: btcpay.webhookSecret, PAYMENTS_TEST_PROVIDER: 'true' },
    });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
  });
  after(async () => {
    await site.close();
    await btcpay.close();
  });

  it('refunds a payment whose purpose answers undeliverable (a sold-out bundle), tells the fan, and shows the creator', async () => {
    const { paymentId, checkoutId } = await checkout('bundle');
    await payCard(checkoutId);
    await runJobs();
    assert.deepEqual(await statusOf(paymentId), { status: 'refunded', undeliverable_reason: 'sold_out' });
    const mail = readOutbox(site.outboxDir).map(unfold).find((m) => m.includes('To: buyer@example.org') && m.includes('We have refunded it in full'));
    assert.ok(mail, 'the fan is told');
    assert.match((await owner.get('/studio/channels/camille/revenue')).html, /refunded automatically to the fan: sold_out/);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    // Refunded once: the job again, and the bank's events again, change nothing.
    await site.deps.db.query(`UPDATE jobs SET status = 'queued', run_at = $1, finished_at = NULL WHERE type = $2`, [clock.now(), UNDELIVERABLE_REFUND_JOB]);
    await runJobs();
    await site.deps.db.query('UPDATE payments SET refund_requested_at = NULL WHERE id = $1', [paymentId]); // as if it crashed before recording
    await site.deps.db.query(`UPDATE jobs SET status = 'queued', run_at = $1, finished_at = NULL WHERE type = $2`, [clock.now(), UNDELIVERABLE_REFUND_JOB]);
    await runJobs();
    const refunds = await site.deps.db.query(`SELECT 1 FROM test_bank_objects WHERE kind = 'refund' AND data->>'paymentRef' = (SELECT provider_ref FROM payments WHERE id = $1)`, [paymentId]);
    assert.equal(refunds.length, 1);
  });

  it('refunds a payment of a purpose nothing on the site handles (a campaign without its capability)', async () => {
    const { paymentId, checkoutId } = await checkout('campaign');
    await payCard(checkoutId);
    await runJobs();
    assert.deepEqual(await statusOf(paymentId), { status: 'refunded', undeliverable_reason: 'no_purpose_handler' });
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('refunds a tip that can no longer reach the creator, and its thanks page says refunded, not "nothing was charged"', async () => {
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ('TipVideo01', $1, 'Tip me', 'ready', 'public', 'videos/TipVideo01/hls', 10)`,
      [channelId],
    );
    const fan = await signUpFan(site, 'tipper@example.org');
    const start = await fan.post('/v/TipVideo01/tip', { amount: '5', provider: 'test' });
    assert.equal(start.res.status, 303, start.html);
    const paymentId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM payments WHERE purpose = 'tip' ORDER BY created_at DESC LIMIT 1`))[0]!.id;
    await site.deps.db.query('DELETE FROM tips WHERE payment_id = $1', [paymentId]);
    const path = new URL(start.res.headers.get('location')!).pathname;
    await fan.get(path);
    await fan.post(path, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
    await runJobs();
    assert.deepEqual(await statusOf(paymentId), { status: 'refunded', undeliverable_reason: 'tip_missing' });
    const thanks = await fan.get(`/tips/${paymentId}/thanks`);
    assert.match(thanks.html, /refunded in full/);
    assert.doesNotMatch(thanks.html, /Nothing was charged/);
    assert.ok(readOutbox(site.outboxDir).map(unfold).some((m) => m.includes('To: tipper@example.org') && m.includes('We have refunded it in full')));
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('acknowledges a signed payment with the wrong amount (2xx), applies nothing, records it and warns the creator', async () => {
    const { paymentId, checkoutId } = await checkout('tip', 700);
    const wrong = sign({ eventId: `evt_wrong_${paymentId}`, type: 'payment.succeeded', providerRef: `pi_wrong_${paymentId}`, checkoutRef: checkoutId, amount: 1, currency: 'EUR', occurredAt: clock.now(), metadata: { paymentId } });
    const res = await post(wrong);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1, refused: 1 });
    assert.equal((await statusOf(paymentId)).status, 'pending');
    const [recorded] = await site.deps.db.query<{ refused_reason: string }>('SELECT refused_reason FROM provider_events WHERE event_id = $1', [`evt_wrong_${paymentId}`]);
    assert.match(recorded!.refused_reason, /provider reports 1 EUR, expected 700 EUR/);
    const again = await post(wrong);
    assert.equal(again.status, 200, 'a redelivery is acknowledged too');
    assert.equal((await site.deps.db.query(`SELECT 1 FROM payment_notices WHERE payment_id = $1`, [paymentId])).length, 1);
    assert.match((await owner.get('/studio/channels/camille/revenue')).html, /sent an event this site refused/);
  });

  it('acknowledges a signed refund larger than what is left of the payment, and records it', async () => {
    const { paymentId, checkoutId } = await checkout('tip', 600);
    await site.deps.db.query(`INSERT INTO tips (payment_id) VALUES ($1)`, [paymentId]);
    await payCard(checkoutId);
    await runJobs();
    assert.equal((await statusOf(paymentId)).status, 'succeeded');
    const providerRef = (await site.deps.db.query<{ provider_ref: string }>('SELECT provider_ref FROM payments WHERE id = $1', [paymentId]))[0]!.provider_ref;
    const tooMuch = sign({ eventId: `evt_big_refund_${paymentId}`, type: 'refund.succeeded', providerRef, amount: 60_000, currency: 'EUR', occurredAt: clock.now(), metadata: { paymentId } });
    const res = await post(tooMuch);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1, refused: 1 });
    assert.equal((await statusOf(paymentId)).status, 'succeeded');
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('acknowledges a signed BTCPay webhook about an invoice BTCPay does not know, and warns the site owner', async () => {
    const delivery = btcpay.webhook('InvoiceSettled', 'UnknownInvoice1');
    const res = await post(delivery, 'btcpay');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 0, refused: 1 });
    assert.equal((await site.deps.db.query(`SELECT 1 FROM payment_notices WHERE channel_id IS NULL AND kind = 'webhook_refused'`)).length, 1);
  });

  it('leaves a notice asking for a refund by hand when the rail cannot refund (BTCPay)', async () => {
    const paymentId = randomUUID();
    await site.deps.db.query(
      `INSERT INTO payments (id, purpose, channel_id, amount, currency, provider, provider_ref, status, idempotency_key, undeliverable_reason)
       VALUES ($1, 'bundle', $2, 1200, 'EUR', 'btcpay', $3, 'succeeded', $4, 'sold_out')`,
      [paymentId, channelId, `inv_${paymentId}`, `bundle:${paymentId}`],
    );
    await enqueue(site.deps.db, { type: UNDELIVERABLE_REFUND_JOB, payload: { paymentId } }, clock);
    const summary = await runJobs();
    assert.equal(summary.failed, 1, 'given up at once: retrying cannot help');
    const [notice] = await site.deps.db.query<{ kind: string; detail: string }>('SELECT kind, detail FROM payment_notices WHERE payment_id = $1', [paymentId]);
    assert.equal(notice!.kind, 'auto_refund_failed');
    assert.match((await owner.get('/studio/channels/camille/revenue')).html, /could not be refunded automatically/);
  });

  it('lets the creator dismiss a notice: the Studio stops showing it, the row stays', async () => {
    const [notice] = await site.deps.db.query<{ id: string }>(`SELECT id FROM payment_notices WHERE kind = 'auto_refund_failed' ORDER BY id DESC LIMIT 1`);
    const before = (await owner.get('/studio/channels/camille/revenue')).html;
    assert.match(before, new RegExp(`action="/studio/channels/camille/revenue/notices/${notice!.id}/dismiss"`));
    const dismissed = await owner.post(`/studio/channels/camille/revenue/notices/${notice!.id}/dismiss`, {});
    assert.equal(dismissed.res.status, 303);
    assert.doesNotMatch((await owner.get('/studio/channels/camille/revenue')).html, /could not be refunded automatically/);
    assert.equal((await site.deps.db.query(`SELECT 1 FROM payment_notices WHERE id = $1 AND dismissed_at IS NOT NULL`, [notice!.id])).length, 1);
    assert.equal((await owner.post(`/studio/channels/camille/revenue/notices/${notice!.id}/dismiss`, {})).res.status, 404, 'twice: nothing left to dismiss');
    assert.equal((await owner.post('/studio/channels/camille/revenue/notices/99999999/dismiss', {})).res.status, 404);
    assert.equal((await owner.post('/studio/channels/camille/revenue/notices/abc/dismiss', {})).res.status, 404);
  });

  it('refuses test-bank webhooks signed longer ago, or further ahead, than the tolerance', async () => {
    const { paymentId, checkoutId } = await checkout('tip', 900);
    const event = { eventId: `evt_old_${paymentId}`, type: 'payment.succeeded' as const, providerRef: `pi_old_${paymentId}`, checkoutRef: checkoutId, amount: 900, currency: 'EUR' as const, metadata: { paymentId } };
    const old = sign({ ...event, occurredAt: new Date(clock.now().getTime() - (TEST_WEBHOOK_TOLERANCE_SECONDS + 60) * 1000) });
    assert.equal((await post(old)).status, 400);
    const ahead = sign({ ...event, occurredAt: new Date(clock.now().getTime() + (TEST_WEBHOOK_TOLERANCE_SECONDS + 60) * 1000) });
    assert.equal((await post(ahead)).status, 400);
    assert.equal((await statusOf(paymentId)).status, 'pending');
  });
});
