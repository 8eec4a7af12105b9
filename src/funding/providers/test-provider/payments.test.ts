import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../errors.js';
import { card, checkoutInput, createTestBankFixture, type TestBankFixture } from '../../../../test/support/funding/test-bank.js';
import type { ChargeSavedInput, PaymentEvent } from '../types.js';

/** Pays a checkout with `number`, saving the card; returns the saved card's refs and the payment. */
async function saveCard(bank: TestBankFixture, number: string) {
  const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true }));
  await bank.provider.payCheckout(providerRef, card(number));
  const events = await bank.receive();
  const saved = events.find((e) => e.type === 'payment_method.saved')!;
  return { customerRef: saved.customerRef!, paymentMethodRef: saved.paymentMethodRef!, paymentRef: saved.providerRef, events };
}

const renewal = (refs: { customerRef: string; paymentMethodRef: string }, idempotencyKey = 'job-1'): ChargeSavedInput => ({
  ...refs,
  amount: 500,
  currency: 'EUR',
  idempotencyKey,
  metadata: { membershipId: 'm_1' },
});

const isCode = (code: string) => (e: unknown) => e instanceof ProviderError && e.code === code;

describe('test bank renewals', () => {
  it('charges a saved 4242 card off-session and reports the fee', async () => {
    const bank = createTestBankFixture();
    const refs = await saveCard(bank, '4242424242424242');
    const result = await bank.provider.chargeSaved(renewal(refs));
    assert.equal(result.status, 'succeeded');
    assert.equal(result.fee, 33, '1.5 % of 5.00 rounds 7.5 up to 8, plus 25');
    const [event] = await bank.receive();
    assert.equal(event?.type, 'payment.succeeded');
    assert.equal(event?.providerRef, result.providerRef);
    assert.equal(event?.checkoutRef, undefined);
    assert.deepEqual(event?.metadata, { membershipId: 'm_1' });
  });

  it('charges once for a retried job: the same key returns the first result', async () => {
    const bank = createTestBankFixture();
    const refs = await saveCard(bank, '4242424242424242');
    const first = await bank.provider.chargeSaved(renewal(refs, 'job-7'));
    const retry = await bank.restart().chargeSaved(renewal(refs, 'job-7'));
    assert.deepEqual(retry, first);
    await assert.rejects(bank.provider.chargeSaved({ ...renewal(refs, 'job-7'), amount: 900 }), isCode('idempotency_key_reused'));
  });

  it('declines off-session charges of a saved 0341 card', async () => {
    const bank = createTestBankFixture();
    const refs = await saveCard(bank, '4000000000000341');
    const result = await bank.provider.chargeSaved(renewal(refs));
    assert.equal(result.status, 'declined');
    assert.equal(result.declineCode, 'card_declined');
    assert.equal(result.fee, undefined);
    const [event] = await bank.receive();
    assert.equal(event?.type, 'payment.failed');
    assert.equal(event?.declineCode, 'card_declined');
  });

  it('asks for the fan when a saved 3184 card needs authentication', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true }));
    await bank.provider.payCheckout(providerRef, card('4000002760003184'));
    await bank.provider.authenticateCheckout(providerRef, 'complete');
    const saved = (await bank.receive()).find((e) => e.type === 'payment_method.saved')!;
    const result = await bank.provider.chargeSaved(renewal({ customerRef: saved.customerRef!, paymentMethodRef: saved.paymentMethodRef! }));
    assert.equal(result.status, 'requires_action');
    assert.equal(result.declineCode, 'authentication_required');
    assert.deepEqual((await bank.receive()).map((e) => e.type), ['payment.requires_action']);
  });

  it('lets a saved 3155 card renew without authentication, as Stripe does once it is set up', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true }));
    await bank.provider.payCheckout(providerRef, card('4000002500003155'));
    await bank.provider.authenticateCheckout(providerRef, 'complete');
    const saved = (await bank.receive()).find((e) => e.type === 'payment_method.saved')!;
    const result = await bank.provider.chargeSaved(renewal({ customerRef: saved.customerRef!, paymentMethodRef: saved.paymentMethodRef! }));
    assert.equal(result.status, 'succeeded');
  });

  it('refuses a payment method of another customer', async () => {
    const bank = createTestBankFixture();
    const refs = await saveCard(bank, '4242424242424242');
    await assert.rejects(bank.provider.chargeSaved(renewal({ ...refs, customerRef: 'cus_test_someone_else' })), isCode('not_found'));
  });
});

describe('test bank refunds', () => {
  it('refunds in parts up to the payment and no further, keeping the fee', async () => {
    const bank = createTestBankFixture();
    const { paymentRef } = await saveCard(bank, '4242424242424242');
    const part = await bank.provider.refund({ providerRef: paymentRef, amount: 300, idempotencyKey: 'r1' });
    assert.deepEqual({ ...part, refundRef: 're' }, { refundRef: 're', status: 'succeeded', amount: 300, currency: 'EUR' });
    const rest = await bank.provider.refund({ providerRef: paymentRef, idempotencyKey: 'r2' });
    assert.equal(rest.amount, 700);
    await assert.rejects(bank.provider.refund({ providerRef: paymentRef, amount: 1, idempotencyKey: 'r3' }), isCode('refund_exceeds_payment'));
    const events = await bank.receive();
    assert.deepEqual(events.map((e) => [e.type, e.amount, e.fee]), [['refund.succeeded', 300, 0], ['refund.succeeded', 700, 0]]);
    assert.notEqual(events[0]!.eventId, events[1]!.eventId);
    assert.equal(events[0]!.providerRef, paymentRef);
  });

  it('returns the first refund for a replayed key, even once nothing is left to refund', async () => {
    const bank = createTestBankFixture();
    const { paymentRef } = await saveCard(bank, '4242424242424242');
    const first = await bank.provider.refund({ providerRef: paymentRef, idempotencyKey: 'r1' });
    assert.deepEqual(await bank.provider.refund({ providerRef: paymentRef, idempotencyKey: 'r1' }), first);
  });

  it('gives exactly what was left when two refunds race for it', async () => {
    const bank = createTestBankFixture();
    const { paymentRef } = await saveCard(bank, '4242424242424242');
    const results = await Promise.allSettled([
      bank.provider.refund({ providerRef: paymentRef, amount: 800, idempotencyKey: 'a' }),
      bank.provider.refund({ providerRef: paymentRef, amount: 800, idempotencyKey: 'b' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failed = results.find((r) => r.status === 'rejected');
    assert.ok(failed && isCode('refund_exceeds_payment')(failed.reason));
  });

  it('refuses to refund a declined payment', async () => {
    const bank = createTestBankFixture();
    const refs = await saveCard(bank, '4000000000000341');
    const declined = await bank.provider.chargeSaved(renewal(refs));
    await assert.rejects(bank.provider.refund({ providerRef: declined.providerRef, idempotencyKey: 'r' }), isCode('payment_not_refundable'));
  });
});

describe('test bank disputes', () => {
  it('disputes a 0259 payment a minute later, with the dispute fee, and closes it on request', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    await bank.provider.payCheckout(providerRef, card('4000000000000259'));
    const now = await bank.receive();
    assert.deepEqual(now.map((e) => e.type), ['payment.succeeded']);
    bank.clock.advance(60_000);
    const later: PaymentEvent[] = await bank.receive();
    assert.deepEqual(later.map((e) => [e.type, e.amount, e.fee]), [['dispute.opened', 1000, 2000]]);
    assert.equal(later[0]!.occurredAt.toISOString(), '2026-03-01T10:01:00.000Z');
    await assert.rejects(bank.provider.refund({ providerRef: now[0]!.providerRef, idempotencyKey: 'r' }), isCode('charge_disputed'));
    await bank.provider.resolveDispute(now[0]!.providerRef, 'lost');
    assert.deepEqual((await bank.receive()).map((e) => e.type), ['dispute.lost']);
    await assert.rejects(bank.provider.resolveDispute(now[0]!.providerRef, 'won'), isCode('invalid_request'));
  });
});
