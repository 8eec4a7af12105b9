import { ProviderError } from '../errors.js';
import { checkChargeInput, checkRefundInput } from '../inputs.js';
import type { ChargeResult, ChargeSavedInput, DetachPaymentMethodInput, RefundInput, RefundResult } from '../types.js';
import { assertSameRequest, emit, feesFor, fingerprint, idFromKey, insertOnce, newId, newPaymentEvents, paymentEvent, type Bank } from './bank.js';
import { offSessionOutcome } from './cards.js';
import { processingFee } from './fees.js';
import { load, parseRecord, updateWith, type PaymentData, type RefundData } from './records.js';

/**
 * Charges a saved card without the fan (a renewal). The idempotency key makes a retried job get the
 * first answer back; the events are sent again with it, in case the first `deliver` failed.
 */
export async function chargeSavedTestCard(bank: Bank, input: ChargeSavedInput): Promise<ChargeResult> {
  const request = checkChargeInput('test', input);
  const fees = feesFor(bank, request.amount, request.currency);
  const method = await load(bank.store, 'payment_method', request.paymentMethodRef);
  if (method.data.customerRef !== request.customerRef) {
    throw new ProviderError({ provider: 'test', code: 'not_found', message: 'this payment method does not belong to this customer', statusCode: 404 });
  }
  if (method.data.detached) {
    throw new ProviderError({ provider: 'test', code: 'not_found', message: 'this payment method was detached', statusCode: 404 });
  }
  const outcome = offSessionOutcome(method.data.card.behavior);
  const payment: PaymentData = {
    amount: request.amount,
    currency: request.currency,
    status: outcome.status,
    fee: outcome.status === 'succeeded' ? processingFee(request.amount, fees) : 0,
    declineCode: outcome.status === 'succeeded' ? undefined : outcome.declineCode,
    customerRef: request.customerRef,
    paymentMethodRef: request.paymentMethodRef,
    card: method.data.card,
    metadata: request.metadata,
    occurredAt: bank.clock.now().toISOString(),
    refunds: {},
    dispute: outcome.status === 'succeeded' && method.data.card.behavior === 'dispute' ? 'open' : 'none',
  };
  const key = { scope: 'charge', value: request.idempotencyKey, fingerprint: fingerprint(request) };
  const { loaded } = await insertOnce(bank, 'payment', key, newId('pi_test'), payment);
  await emit(bank, newPaymentEvents(bank, loaded.id, loaded.data, false));
  const stored = loaded.data;
  return {
    status: stored.status,
    providerRef: loaded.id,
    declineCode: stored.declineCode,
    fee: stored.status === 'succeeded' ? stored.fee : undefined,
  };
}

function refunded(payment: PaymentData): number {
  return Object.values(payment.refunds).reduce((sum, amount) => sum + amount, 0);
}

function refundError(code: 'refund_exceeds_payment' | 'charge_disputed' | 'payment_not_refundable', message: string): ProviderError {
  return new ProviderError({ provider: 'test', code, message, statusCode: 400 });
}

function checkRefundable(payment: PaymentData): void {
  if (payment.status !== 'succeeded') throw refundError('payment_not_refundable', 'only a successful payment can be refunded');
  if (payment.dispute === 'open' || payment.dispute === 'lost') throw refundError('charge_disputed', 'a disputed payment cannot be refunded');
}

function refundResult(id: string, refund: RefundData): RefundResult {
  if (refund.status === 'failed') throw refundError('refund_exceeds_payment', 'the refund is larger than what remains of the payment');
  return { refundRef: id, status: 'succeeded', amount: refund.amount, currency: refund.currency };
}

/**
 * Gives money back, in whole or in part. Refunds add up to at most the payment; the processing fee is
 * not returned (as with Stripe). A replayed key returns the first result.
 */
export async function refundTestPayment(bank: Bank, input: RefundInput): Promise<RefundResult> {
  const request = checkRefundInput('test', input);
  const id = idFromKey('re_test', 'refund', request.idempotencyKey);
  const print = fingerprint(request);
  const earlier = await bank.store.get(id);
  if (earlier) {
    assertSameRequest(earlier.fingerprint, print);
    return refundResult(id, parseRecord('refund', earlier).data);
  }
  const payment = await load(bank.store, 'payment', request.providerRef);
  checkRefundable(payment.data);
  const amount = request.amount ?? payment.data.amount - refunded(payment.data);
  if (amount <= 0 || amount > payment.data.amount - refunded(payment.data)) {
    throw refundError('refund_exceeds_payment', 'the refund is larger than what remains of the payment');
  }
  const refund: RefundData = { amount, currency: payment.data.currency, paymentRef: payment.id, status: 'succeeded', occurredAt: bank.clock.now().toISOString() };
  const { loaded, created } = await insertOnce(bank, 'refund', { scope: 'refund', value: request.idempotencyKey, fingerprint: print }, id, refund);
  if (!created) return refundResult(id, loaded.data);
  let applied = true;
  const after = await updateWith(bank.store, 'payment', payment.id, (data) => {
    if (data.refunds[id] !== undefined) return undefined;
    checkRefundable(data);
    applied = amount <= data.amount - refunded(data);
    return applied ? { ...data, refunds: { ...data.refunds, [id]: amount } } : undefined;
  });
  if (!applied) {
    // A concurrent refund took what was left: record this one as failed so replays fail the same way.
    await updateWith(bank.store, 'refund', id, (data) => ({ ...data, status: 'failed' }));
    throw refundError('refund_exceeds_payment', 'the refund is larger than what remains of the payment');
  }
  const occurredAt = new Date(refund.occurredAt);
  await emit(bank, [paymentEvent(payment.id, after, 'refund.succeeded', { eventId: `evt_${id}_refund_succeeded`, amount, fee: 0, occurredAt })]);
  return refundResult(id, refund);
}

/**
 * Closes the dispute of a 0259 payment, as the card network would weeks later: `won` gives the money
 * back, `lost` keeps it taken. Test and demo control only; not part of `PaymentProvider`.
 */
export async function resolveTestDispute(bank: Bank, paymentRef: string, outcome: 'won' | 'lost'): Promise<void> {
  const closedAt = bank.clock.now();
  const after = await updateWith(bank.store, 'payment', paymentRef, (data) => {
    if (data.dispute === outcome) return undefined;
    if (data.dispute !== 'open') {
      throw new ProviderError({ provider: 'test', code: 'invalid_request', message: `payment ${paymentRef} has no open dispute` });
    }
    return { ...data, dispute: outcome };
  });
  await emit(bank, [paymentEvent(paymentRef, after, outcome === 'won' ? 'dispute.won' : 'dispute.lost', { fee: 0, occurredAt: closedAt })]);
}

/** Forgets a saved card (as Stripe's detach does): later charges with it fail. Detaching twice is fine. */
export async function detachTestPaymentMethod(bank: Bank, input: DetachPaymentMethodInput): Promise<void> {
  await updateWith(bank.store, 'payment_method', input.paymentMethodRef, (data) => {
    if (data.customerRef !== input.customerRef) {
      throw new ProviderError({ provider: 'test', code: 'not_found', message: 'this payment method does not belong to this customer', statusCode: 404 });
    }
    return data.detached ? undefined : { ...data, detached: true };
  });
}
