import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { createManualClock } from '../../../core/clock.js';
import { WebhookSignatureError } from '../errors.js';
import { startFakeStripe, type FakeStripe } from '../../../../test/fakes/stripe-server.js';
import { checkoutInput } from '../../../../test/support/funding/test-bank.js';
import type { PaymentProvider } from '../types.js';
import { createStripeProvider } from './provider.js';

const SECRET = 'whsec_fanfare_test_secret';
const sdk = new Stripe('sk_test_unused');
const clock = createManualClock(new Date('2026-03-01T10:00:00Z'));
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

let fake: FakeStripe;
let stripe: PaymentProvider;
let eventSeq = 0;

before(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider({ secretKey: fake.apiKey, webhookSecret: SECRET, api: { host: '127.0.0.1', port: fake.port, protocol: 'http' }, clock, maxNetworkRetries: 0 });
});
after(() => fake.close());

/** A webhook as Stripe sends it: the event JSON and its Stripe-Signature header, made by the SDK itself. */
function webhook(type: string, object: object, options: { previous?: object; secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify({
    id: `evt_test_${++eventSeq}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: nowSeconds(),
    data: { object, ...(options.previous ? { previous_attributes: options.previous } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  const header = sdk.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp ?? nowSeconds() });
  return { payload, headers: new Headers({ 'stripe-signature': header, 'content-type': 'application/json' }) };
}

const refusedFor = (reason: string) => (e: unknown) => e instanceof WebhookSignatureError && e.provider === 'stripe' && e.reason === reason;

async function paidCheckout(save = false) {
  const session = await stripe.createCheckout(checkoutInput({ savePaymentMethod: save, amount: 1000 }));
  return fake.completeCheckout(session.providerRef);
}

describe('Stripe webhook signatures', () => {
  it('accepts a webhook signed with the endpoint secret', async () => {
    const { payload, headers } = webhook('customer.created', { id: 'cus_1', object: 'customer' });
    assert.deepEqual(await stripe.verifyWebhook(payload, headers), []);
  });

  it('accepts the raw body as bytes', async () => {
    const { payload, headers } = webhook('customer.created', { id: 'cus_1', object: 'customer' });
    assert.deepEqual(await stripe.verifyWebhook(new TextEncoder().encode(payload), headers), []);
  });

  it('refuses a webhook signed with another secret', async () => {
    const { payload, headers } = webhook('customer.created', { id: 'cus_1' }, { secret: 'whsec_someone_else' });
    await assert.rejects(stripe.verifyWebhook(payload, headers), refusedFor('mismatch'));
  });

  it('refuses a tampered body', async () => {
    const { payload, headers } = webhook('charge.refunded', { id: 'ch_1', amount_refunded: 100 });
    await assert.rejects(stripe.verifyWebhook(payload.replace('"amount_refunded":100', '"amount_refunded":900'), headers), refusedFor('mismatch'));
  });

  it('refuses a body that was parsed and serialized again', async () => {
    const { payload, headers } = webhook('customer.created', { id: 'cus_1' });
    await assert.rejects(stripe.verifyWebhook(JSON.stringify(JSON.parse(payload), null, 2), headers), refusedFor('mismatch'));
  });

  it('refuses a signature older than five minutes', async () => {
    const { payload, headers } = webhook('customer.created', { id: 'cus_1' }, { timestamp: nowSeconds() - 301 });
    await assert.rejects(stripe.verifyWebhook(payload, headers), refusedFor('expired'));
  });

  // Issue 9: the SDK checked only the past; a webhook signed ten minutes ahead was accepted.
  it('refuses a signature dated more than five minutes in the future, and accepts small clock skew', async () => {
    const ahead = webhook('customer.created', { id: 'cus_1' }, { timestamp: nowSeconds() + 600 });
    await assert.rejects(stripe.verifyWebhook(ahead.payload, ahead.headers), refusedFor('expired'));
    const skewed = webhook('customer.created', { id: 'cus_1' }, { timestamp: nowSeconds() + 30 });
    assert.deepEqual(await stripe.verifyWebhook(skewed.payload, skewed.headers), []);
  });

  it('refuses a missing or unreadable signature header', async () => {
    const { payload } = webhook('customer.created', { id: 'cus_1' });
    await assert.rejects(stripe.verifyWebhook(payload, new Headers()), refusedFor('missing'));
    await assert.rejects(stripe.verifyWebhook(payload, new Headers({ 'stripe-signature': 'nonsense' })), refusedFor('malformed'));
  });
});

describe('Stripe events', () => {
  it('maps a paid checkout to one payment.succeeded with its fee, checkout and metadata', async () => {
    const { session, paymentIntent } = await paidCheckout();
    const { payload, headers } = webhook('checkout.session.completed', session);
    const events = await stripe.verifyWebhook(payload, headers);
    assert.equal(events.length, 1);
    const [paid] = events;
    assert.equal(paid!.type, 'payment.succeeded');
    assert.equal(paid!.provider, 'stripe');
    assert.equal(paid!.providerRef, paymentIntent['id']);
    assert.equal(paid!.checkoutRef, session['id']);
    assert.equal(paid!.amount, 1000);
    assert.equal(paid!.currency, 'EUR');
    assert.equal(paid!.fee, 40);
    assert.deepEqual(paid!.metadata, { paymentId: 'pay_1' }, 'without our marker');
    assert.equal(paid!.livemode, false);
    assert.equal(paid!.occurredAt.toISOString(), clock.now().toISOString());
  });

  it('announces the saved card of a checkout that saved it', async () => {
    const { session } = await paidCheckout(true);
    const { payload, headers } = webhook('checkout.session.completed', session);
    const [paid, saved] = await stripe.verifyWebhook(payload, headers);
    assert.equal(saved?.type, 'payment_method.saved');
    assert.match(saved!.customerRef!, /^cus_/);
    assert.equal(saved!.paymentMethodRef, 'pm_card_visa');
    assert.notEqual(saved!.eventId, paid!.eventId);
  });

  it('skips payment_intent events of checkout payments, which the session events announce', async () => {
    const { paymentIntent } = await paidCheckout();
    for (const type of ['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.requires_action']) {
      const { payload, headers } = webhook(type, paymentIntent);
      assert.deepEqual(await stripe.verifyWebhook(payload, headers), [], type);
    }
  });

  it('maps a renewal PaymentIntent that succeeded, with the fee fetched from Stripe', async () => {
    const charged = await stripe.chargeSaved({ customerRef: 'cus_1', paymentMethodRef: 'pm_card_visa', amount: 2000, currency: 'EUR', idempotencyKey: 'job-w1', metadata: { membershipId: 'm_9' } });
    const { payload, headers } = webhook('payment_intent.succeeded', fake.paymentIntents.get(charged.providerRef)!);
    const [paid] = await stripe.verifyWebhook(payload, headers);
    assert.equal(paid?.type, 'payment.succeeded');
    assert.equal(paid?.fee, 55);
    assert.equal(paid?.checkoutRef, undefined);
    assert.deepEqual(paid?.metadata, { membershipId: 'm_9' });
  });

  it('maps a failed renewal with its decline code', async () => {
    const declined = await stripe.chargeSaved({ customerRef: 'cus_1', paymentMethodRef: 'pm_card_chargeDeclinedInsufficientFunds', amount: 2000, currency: 'EUR', idempotencyKey: 'job-w2', metadata: {} });
    const { payload, headers } = webhook('payment_intent.payment_failed', fake.paymentIntents.get(declined.providerRef)!);
    const [failed] = await stripe.verifyWebhook(payload, headers);
    assert.equal(failed?.type, 'payment.failed');
    assert.equal(failed?.declineCode, 'insufficient_funds');
  });

  it('maps charge.refunded to the amount of this refund only', async () => {
    const { paymentIntent } = await paidCheckout();
    const charge = { ...fake.chargeOf(paymentIntent['id']), amount_refunded: 700 };
    const { payload, headers } = webhook('charge.refunded', charge, { previous: { amount_refunded: 300 } });
    const [refund] = await stripe.verifyWebhook(payload, headers);
    assert.deepEqual([refund?.type, refund?.providerRef, refund?.amount, refund?.currency], ['refund.succeeded', paymentIntent['id'], 400, 'EUR']);
    assert.deepEqual(refund?.metadata, { paymentId: 'pay_1' });
  });

  it('maps a dispute opened, with the dispute fee, and its outcome', async () => {
    const { paymentIntent } = await paidCheckout();
    const dispute = {
      id: 'du_1',
      object: 'dispute',
      amount: 1000,
      currency: 'eur',
      payment_intent: paymentIntent['id'],
      charge: paymentIntent['latest_charge'],
      status: 'needs_response',
      balance_transactions: [{ id: 'txn_d1', object: 'balance_transaction', amount: -1000, currency: 'eur', fee: 2000 }],
    };
    const opened = webhook('charge.dispute.created', dispute);
    const [event] = await stripe.verifyWebhook(opened.payload, opened.headers);
    assert.deepEqual([event?.type, event?.amount, event?.fee, event?.providerRef], ['dispute.opened', 1000, 2000, paymentIntent['id']]);
    const won = webhook('charge.dispute.closed', { ...dispute, status: 'won', balance_transactions: [...dispute.balance_transactions, { id: 'txn_d2', object: 'balance_transaction', amount: 1000, currency: 'eur', fee: 0 }] });
    const [closed] = await stripe.verifyWebhook(won.payload, won.headers);
    assert.deepEqual([closed?.type, closed?.fee], ['dispute.won', 0]);
    const lost = webhook('charge.dispute.closed', { ...dispute, status: 'lost' });
    assert.equal((await stripe.verifyWebhook(lost.payload, lost.headers))[0]?.type, 'dispute.lost');
  });

  it('maps an expired checkout to invoice.expired', async () => {
    const created = await stripe.createCheckout(checkoutInput());
    const session = { ...fake.sessions.get(created.providerRef)!, status: 'expired' };
    const { payload, headers } = webhook('checkout.session.expired', session);
    const [expired] = await stripe.verifyWebhook(payload, headers);
    assert.deepEqual([expired?.type, expired?.providerRef, expired?.checkoutRef, expired?.amount], ['invoice.expired', created.providerRef, created.providerRef, 1000]);
  });

  it('skips events in a currency Fanfare does not support: none of its payments is in one', async () => {
    const { paymentIntent } = await paidCheckout();
    const charge = { ...fake.chargeOf(paymentIntent['id']), currency: 'sek', amount_refunded: 700 };
    const { payload, headers } = webhook('charge.refunded', charge);
    assert.deepEqual(await stripe.verifyWebhook(payload, headers), []);
  });

  it('gives the same eventId for a redelivered event', async () => {
    const { session } = await paidCheckout();
    const { payload, headers } = webhook('checkout.session.completed', session);
    const first = await stripe.verifyWebhook(payload, headers);
    const again = await stripe.verifyWebhook(payload, headers);
    assert.deepEqual(again.map((e) => e.eventId), first.map((e) => e.eventId));
  });
});
