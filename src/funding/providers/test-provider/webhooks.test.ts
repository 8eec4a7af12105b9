import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookSignatureError } from '../errors.js';
import { card, checkoutInput, createTestBankFixture, TEST_WEBHOOK_SECRET } from '../../../../test/support/funding/test-bank.js';
import { duplicatedAndReversed } from '../../../../test/support/funding/webhook-recorder.js';
import type { PaymentEvent } from '../types.js';
import { signTestEvent, TEST_SIGNATURE_HEADER, verifyTestWebhook } from './webhooks.js';

const event: PaymentEvent = {
  provider: 'test',
  eventId: 'evt_pi_test_1_payment_succeeded',
  type: 'payment.succeeded',
  providerRef: 'pi_test_1',
  amount: 1000,
  currency: 'EUR',
  fee: 40,
  occurredAt: new Date('2026-03-01T10:00:00Z'),
  metadata: { paymentId: 'pay_1' },
  livemode: false,
};
const now = new Date('2026-03-01T10:00:30Z');

function refusedFor(reason: string) {
  return (e: unknown) => e instanceof WebhookSignatureError && e.provider === 'test' && e.reason === reason;
}

describe('test bank webhook signatures', () => {
  it('accepts its own signature and gives back the event', () => {
    const d = signTestEvent(event, TEST_WEBHOOK_SECRET, event.occurredAt);
    assert.deepEqual(verifyTestWebhook(d.body, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now }), event);
  });

  it('accepts the raw body as bytes', () => {
    const d = signTestEvent(event, TEST_WEBHOOK_SECRET, event.occurredAt);
    const bytes = new TextEncoder().encode(d.body);
    assert.equal(verifyTestWebhook(bytes, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now }).eventId, event.eventId);
  });

  it('refuses a signature made with another secret', () => {
    const d = signTestEvent(event, 'another secret', event.occurredAt);
    assert.throws(() => verifyTestWebhook(d.body, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now }), refusedFor('mismatch'));
  });

  it('refuses a tampered body', () => {
    const d = signTestEvent(event, TEST_WEBHOOK_SECRET, event.occurredAt);
    const body = d.body.replace('"amount":1000', '"amount":100000');
    assert.throws(() => verifyTestWebhook(body, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now }), refusedFor('mismatch'));
  });

  it('refuses a missing or malformed signature header', () => {
    const d = signTestEvent(event, TEST_WEBHOOK_SECRET, event.occurredAt);
    assert.throws(() => verifyTestWebhook(d.body, new Headers(), { secret: TEST_WEBHOOK_SECRET, now }), refusedFor('missing'));
    const bad = new Headers({ [TEST_SIGNATURE_HEADER]: 'v1=abc' });
    assert.throws(() => verifyTestWebhook(d.body, bad, { secret: TEST_WEBHOOK_SECRET, now }), refusedFor('malformed'));
  });

  it('refuses an old signature only when a tolerance is set', () => {
    const d = signTestEvent(event, TEST_WEBHOOK_SECRET, event.occurredAt);
    const muchLater = new Date('2026-03-02T10:00:00Z');
    assert.equal(verifyTestWebhook(d.body, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now: muchLater }).type, 'payment.succeeded');
    assert.throws(
      () => verifyTestWebhook(d.body, new Headers(d.headers), { secret: TEST_WEBHOOK_SECRET, now: muchLater, toleranceSeconds: 300 }),
      refusedFor('expired'),
    );
  });
});

describe('test bank webhook delivery', () => {
  it('hands events over without processing them, so the app can deliver them later', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true }));
    await bank.provider.payCheckout(providerRef, card('4242424242424242'));
    const [delivery] = bank.webhooks.deliveries;
    assert.equal(delivery?.headers['content-type'], 'application/json');
    assert.match(delivery!.headers[TEST_SIGNATURE_HEADER]!, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(JSON.stringify(delivery)).notBefore, '2026-03-01T10:00:00.000Z', 'a delivery is plain JSON for a job payload');
  });

  it('verifies duplicated and reordered deliveries to the same set of events', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true }));
    await bank.provider.payCheckout(providerRef, card('4242424242424242'));
    const saved = (await bank.verify(bank.webhooks.deliveries)).find((e) => e.type === 'payment_method.saved')!;
    const renewal = await bank.provider.chargeSaved({
      customerRef: saved.customerRef!,
      paymentMethodRef: saved.paymentMethodRef!,
      amount: 1000,
      currency: 'EUR',
      idempotencyKey: 'job-1',
      metadata: {},
    });
    await bank.provider.refund({ providerRef: renewal.providerRef, idempotencyKey: 'refund-1' });

    const inOrder = await bank.verify(bank.webhooks.take());
    const messy = await bank.verify(duplicatedAndReversed(bank.webhooks.deliveries));
    assert.equal(messy.length, inOrder.length * 2);
    // What a receiver does: dedupe on eventId, then order by occurredAt.
    const deduped = [...new Map(messy.map((e) => [e.eventId, e])).values()].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    assert.deepEqual(
      deduped.map((e) => e.eventId).sort(),
      inOrder.map((e) => e.eventId).sort(),
    );
    assert.deepEqual(inOrder.map((e) => e.type), ['payment.succeeded', 'payment_method.saved', 'payment.succeeded', 'refund.succeeded']);
  });
});
