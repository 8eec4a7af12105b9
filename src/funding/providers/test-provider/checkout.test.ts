import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Currency } from '../../money.js';
import { ProviderError } from '../errors.js';
import { card, checkoutInput, createTestBankFixture } from '../../../../test/support/funding/test-bank.js';

describe('test bank checkout', () => {
  it('takes a 4242 payment, sends the fan to the success URL and announces it with the fee', async () => {
    const bank = createTestBankFixture();
    const session = await bank.provider.createCheckout(checkoutInput({ amount: 1000 }));
    assert.match(session.providerRef, /^cs_test_/);
    assert.equal(session.redirectUrl, `https://videos.example.org/pay/test/${session.providerRef}`);

    const outcome = await bank.provider.payCheckout(session.providerRef, card('4242 4242 4242 4242'));
    assert.deepEqual(outcome, { status: 'succeeded', redirectUrl: `https://videos.example.org/support/thanks?session=${session.providerRef}` });

    const events = await bank.receive();
    assert.equal(events.length, 1);
    const [paid] = events;
    assert.equal(paid!.type, 'payment.succeeded');
    assert.equal(paid!.checkoutRef, session.providerRef);
    assert.match(paid!.providerRef, /^pi_test_/);
    assert.equal(paid!.amount, 1000);
    assert.equal(paid!.currency, 'EUR');
    assert.equal(paid!.fee, 40, '1.5 % of 10.00 is 0.15, plus 0.25');
    assert.equal(paid!.livemode, false);
    assert.deepEqual(paid!.metadata, { paymentId: 'pay_1' });
  });

  it('returns the same checkout for the same idempotency key', async () => {
    const bank = createTestBankFixture();
    const input = checkoutInput();
    const first = await bank.provider.createCheckout(input);
    const again = await bank.provider.createCheckout({ ...input });
    assert.equal(again.providerRef, first.providerRef);
  });

  it('refuses an idempotency key reused for a different amount', async () => {
    const bank = createTestBankFixture();
    const input = checkoutInput();
    await bank.provider.createCheckout(input);
    await assert.rejects(bank.provider.createCheckout({ ...input, amount: 2000 }), (e) => e instanceof ProviderError && e.code === 'idempotency_key_reused');
  });

  it('refuses float amounts, lower-case currencies and amounts under the minimum', async () => {
    const bank = createTestBankFixture();
    const refused = (code: string) => (e: unknown) => e instanceof ProviderError && e.code === code;
    await assert.rejects(bank.provider.createCheckout(checkoutInput({ amount: 10.5 })), refused('invalid_request'));
    // The types refuse it too; a caller bypassing them (JSON, a cast) still meets the runtime check.
    await assert.rejects(bank.provider.createCheckout(checkoutInput({ currency: 'eur' as Currency })), refused('invalid_request'));
    await assert.rejects(bank.provider.createCheckout(checkoutInput({ amount: 49 })), refused('amount_too_small'));
    await assert.rejects(bank.provider.createCheckout(checkoutInput({ currency: 'JPY' })), refused('currency_not_supported'));
  });

  it('declines 0002 with card_declined and 9995 with insufficient_funds, leaving the checkout open', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    assert.deepEqual(await bank.provider.payCheckout(providerRef, card('4000000000000002')), { status: 'declined', declineCode: 'card_declined' });
    assert.deepEqual(await bank.provider.payCheckout(providerRef, card('4000 0000 0000 9995')), { status: 'declined', declineCode: 'insufficient_funds' });
    assert.equal((await bank.provider.viewCheckout(providerRef))?.status, 'open');
    assert.equal((await bank.provider.payCheckout(providerRef, card('4242424242424242'))).status, 'succeeded');
    assert.deepEqual((await bank.receive()).map((e) => e.type), ['payment.succeeded']);
  });

  it('reports each wrong card field without contacting the bank', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    const outcome = await bank.provider.payCheckout(providerRef, card('4242424242424241', { expiry: '02/26', cvc: '12' }));
    assert.deepEqual(outcome, { status: 'invalid_card', invalid: ['number', 'expiry', 'cvc'] });
    assert.deepEqual(bank.webhooks.deliveries, []);
  });

  it('asks 3155 to authenticate, then takes the payment once authenticated', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    assert.deepEqual(await bank.provider.payCheckout(providerRef, card('4000002500003155')), { status: 'requires_action' });
    const waiting = await bank.provider.viewCheckout(providerRef);
    assert.equal(waiting?.status, 'requires_action');
    assert.equal(waiting?.pendingCardLast4, '3155');
    assert.deepEqual(bank.webhooks.deliveries, [], 'nothing is paid before authentication');
    assert.equal((await bank.provider.authenticateCheckout(providerRef, 'complete')).status, 'succeeded');
    assert.deepEqual((await bank.receive()).map((e) => e.type), ['payment.succeeded']);
  });

  it('declines a failed authentication and lets the fan try again', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    await bank.provider.payCheckout(providerRef, card('4000002500003155'));
    assert.deepEqual(await bank.provider.authenticateCheckout(providerRef, 'fail'), { status: 'declined', declineCode: 'authentication_failed' });
    assert.equal((await bank.provider.viewCheckout(providerRef))?.status, 'open');
    await assert.rejects(bank.provider.authenticateCheckout(providerRef, 'complete'), (e) => e instanceof ProviderError && e.code === 'checkout_not_payable');
  });

  it('saves the card when asked and announces it with the customer and payment method', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput({ savePaymentMethod: true, customerEmail: 'fan@example.org' }));
    await bank.provider.payCheckout(providerRef, card('4242424242424242'));
    const [paid, saved] = await bank.receive();
    assert.equal(saved?.type, 'payment_method.saved');
    assert.match(saved!.customerRef!, /^cus_test_/);
    assert.match(saved!.paymentMethodRef!, /^pm_test_/);
    assert.equal(paid?.customerRef, saved?.customerRef);
  });

  it('charges once when the form is submitted twice, and announces the payment again', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    await Promise.all([bank.provider.payCheckout(providerRef, card('4242424242424242')), bank.provider.payCheckout(providerRef, card('4242424242424242'))]);
    await bank.provider.payCheckout(providerRef, card('4000000000000002'));
    const events = await bank.receive();
    assert.ok(events.length >= 2);
    assert.equal(new Set(events.map((e) => e.providerRef)).size, 1, 'one payment');
    assert.equal(new Set(events.map((e) => e.eventId)).size, 1, 'the same event each time');
  });

  it('does not lose the payment event when delivery fails: submitting again sends it', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    bank.webhooks.failNext();
    await assert.rejects(bank.provider.payCheckout(providerRef, card('4242424242424242')), /queue unavailable/);
    assert.equal((await bank.provider.payCheckout(providerRef, card('4242424242424242'))).status, 'succeeded');
    assert.deepEqual((await bank.receive()).map((e) => e.type), ['payment.succeeded']);
  });

  it('refuses payment once the checkout has expired, after 24 hours', async () => {
    const bank = createTestBankFixture();
    const { providerRef, expiresAt } = await bank.provider.createCheckout(checkoutInput());
    assert.equal(expiresAt?.toISOString(), '2026-03-02T10:00:00.000Z');
    bank.clock.advance(24 * 60 * 60 * 1000);
    assert.equal((await bank.provider.viewCheckout(providerRef))?.status, 'expired');
    await assert.rejects(bank.provider.payCheckout(providerRef, card('4242424242424242')), (e) => e instanceof ProviderError && e.code === 'checkout_expired');
  });

  it('completes after a restart a checkout opened before it, and the new instance verifies its webhooks', async () => {
    const bank = createTestBankFixture();
    const { providerRef } = await bank.provider.createCheckout(checkoutInput());
    await bank.provider.payCheckout(providerRef, card('4000002500003155'));
    const restarted = bank.restart();
    assert.equal((await restarted.authenticateCheckout(providerRef, 'complete')).status, 'succeeded');
    const events = await bank.verify(bank.webhooks.take(), restarted);
    assert.deepEqual(events.map((e) => e.checkoutRef), [providerRef]);
  });

  it('answers undefined for an unknown checkout', async () => {
    const bank = createTestBankFixture();
    assert.equal(await bank.provider.viewCheckout('cs_test_unknown'), undefined);
  });
});
