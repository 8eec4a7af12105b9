import { createHash } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import { randomToken } from '../../../core/crypto.js';
import { ProviderError } from '../errors.js';
import { requestFingerprint } from '../inputs.js';
import type { PaymentEvent, PaymentEventType } from '../types.js';
import type { FeeSchedule, CurrencyFees } from './fees.js';
import { parseRecord, type Loaded, type PaymentData } from './records.js';
import type { TestBankData, TestBankKind, TestBankStore } from './store.js';
import { signTestEvent, type DeliverWebhook } from './webhooks.js';

/** What every operation of the test bank works with. Internal to test-provider/. */
export interface Bank {
  store: TestBankStore;
  clock: Clock;
  fees: FeeSchedule;
  webhookSecret: string;
  deliver: DeliverWebhook;
  disputeDelayMs: number;
}

/** A fresh, unguessable id with a Stripe-like prefix (`cs_test_…`): checkout ids are capabilities. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(18)}`;
}

/** An id derived from an idempotency key, so a replay finds its first result without writing. */
export function idFromKey(prefix: string, scope: string, key: string): string {
  return `${prefix}_${createHash('sha256').update(`${scope}\u0000${key}`).digest('base64url').slice(0, 24)}`;
}

/** A stable hash of a request, to tell a replay from a different request under the same key. */
export const fingerprint = requestFingerprint;

/** The fee schedule of a currency, or `ProviderError('currency_not_supported')`; checks the minimum. */
export function feesFor(bank: Bank, amount: number, currency: string): CurrencyFees {
  const fees = bank.fees[currency];
  if (!fees) {
    throw new ProviderError({ provider: 'test', code: 'currency_not_supported', message: `the test bank does not take ${currency}` });
  }
  if (amount < fees.minimumAmount) {
    throw new ProviderError({ provider: 'test', code: 'amount_too_small', message: `the smallest ${currency} payment is ${fees.minimumAmount}` });
  }
  return fees;
}

/** Refuses a replayed idempotency key whose request differs from the first one (as Stripe does). */
export function assertSameRequest(stored: string | null, expected: string): void {
  if (stored !== expected) {
    throw new ProviderError({ provider: 'test', code: 'idempotency_key_reused', message: 'this idempotency key was used for a different request', statusCode: 400 });
  }
}

/**
 * Inserts a record under an idempotency key, or returns the one already there for the same request.
 * The parsed record comes back either way.
 */
export async function insertOnce<K extends TestBankKind>(
  bank: Bank,
  kind: K,
  key: { scope: string; value: string; fingerprint: string },
  id: string,
  data: TestBankData,
): Promise<{ loaded: Loaded<K>; created: boolean }> {
  const { record, created } = await bank.store.insert({
    id,
    kind,
    idempotencyKey: `${key.scope}:${key.value}`,
    fingerprint: key.fingerprint,
    data,
    createdAt: bank.clock.now(),
  });
  if (!created) assertSameRequest(record.fingerprint, key.fingerprint);
  return { loaded: parseRecord(kind, record), created };
}

/** One event to send, and the earliest moment to send it. */
export interface Outgoing {
  event: PaymentEvent;
  notBefore: Date;
}

/** Signs and hands events to the app's `deliver`. Sent again on replays: receivers dedupe on eventId. */
export async function emit(bank: Bank, outgoing: Outgoing[]): Promise<void> {
  for (const { event, notBefore } of outgoing) await bank.deliver(signTestEvent(event, bank.webhookSecret, notBefore));
}

/** The event of `type` about a payment, with an id that is the same every time it is built. */
export function paymentEvent(
  paymentId: string,
  payment: PaymentData,
  type: PaymentEventType,
  extra: Partial<PaymentEvent> & { occurredAt?: Date } = {},
): Outgoing {
  const occurredAt = extra.occurredAt ?? new Date(payment.occurredAt);
  const event: PaymentEvent = {
    provider: 'test',
    eventId: `evt_${paymentId}_${type.replace('.', '_')}`,
    type,
    providerRef: paymentId,
    checkoutRef: payment.checkoutRef,
    amount: payment.amount,
    currency: payment.currency,
    occurredAt,
    metadata: payment.metadata,
    customerRef: payment.customerRef,
    paymentMethodRef: payment.paymentMethodRef,
    livemode: false,
    ...extra,
  };
  return { event, notBefore: occurredAt };
}

/** What a new payment announces: its outcome, the saved card, and (for 0259) a dispute a while later. */
export function newPaymentEvents(bank: Bank, paymentId: string, payment: PaymentData, savedCard: boolean): Outgoing[] {
  if (payment.status === 'declined') return [paymentEvent(paymentId, payment, 'payment.failed', { declineCode: payment.declineCode })];
  if (payment.status === 'requires_action') {
    return [paymentEvent(paymentId, payment, 'payment.requires_action', { declineCode: payment.declineCode })];
  }
  const out = [paymentEvent(paymentId, payment, 'payment.succeeded', { fee: payment.fee })];
  if (savedCard) out.push(paymentEvent(paymentId, payment, 'payment_method.saved'));
  if (payment.card.behavior === 'dispute') {
    const fees = bank.fees[payment.currency];
    const at = new Date(new Date(payment.occurredAt).getTime() + bank.disputeDelayMs);
    out.push(paymentEvent(paymentId, payment, 'dispute.opened', { fee: fees?.disputeFee, occurredAt: at }));
  }
  return out;
}
