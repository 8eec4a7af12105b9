import type { Currency } from '../../money.js';
import { ProviderError } from '../errors.js';
import { checkCheckoutInput } from '../inputs.js';
import type { CheckoutSession, CreateCheckoutInput } from '../types.js';
import { emit, feesFor, fingerprint, insertOnce, newId, newPaymentEvents, type Bank, type Outgoing } from './bank.js';
import { checkCard, needsAuthentication, onSessionDecline, type CardField, type StoredCard } from './cards.js';
import { processingFee } from './fees.js';
import { load, parseRecord, updateWith, type CheckoutData, type PaymentData } from './records.js';

/** How long a test checkout takes payment, like a Stripe Checkout Session. */
export const CHECKOUT_TTL_MS = 24 * 60 * 60 * 1000;

/** A checkout as its payment page shows it. */
export interface TestCheckoutView {
  id: string;
  amount: number;
  currency: Currency;
  description: string;
  savePaymentMethod: boolean;
  /** `setup`: the page saves the card and charges nothing. */
  mode: 'payment' | 'setup';
  status: 'open' | 'requires_action' | 'paid' | 'expired';
  /** The card waiting for the "Authenticate" step. */
  pendingCardLast4?: string;
  /** Where "Continue" leads once paid, with `{CHECKOUT_SESSION_ID}` filled in. */
  successUrl: string;
  cancelUrl: string;
}

/** What the fan's submission did, for the page to show next. */
export type CheckoutOutcome =
  | { status: 'succeeded'; redirectUrl: string }
  | { status: 'requires_action' }
  | { status: 'declined'; declineCode: string }
  | { status: 'invalid_card'; invalid: CardField[] };

/** The card fields of the payment form, as typed. */
export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
}

function successUrlOf(id: string, data: CheckoutData): string {
  return data.successUrl.replaceAll('{CHECKOUT_SESSION_ID}', id);
}

function isExpired(bank: Bank, data: CheckoutData): boolean {
  return bank.clock.now().getTime() >= new Date(data.expiresAt).getTime();
}

/** Opens a checkout (or returns the one opened before under the same idempotency key). */
export async function createTestCheckout(bank: Bank, checkoutBaseUrl: string, input: CreateCheckoutInput): Promise<CheckoutSession> {
  const request = checkCheckoutInput('test', input);
  feesFor(bank, request.amount, request.currency);
  const data: CheckoutData = {
    amount: request.amount,
    currency: request.currency,
    description: request.description,
    customerEmail: request.customerEmail,
    customerRef: request.customerRef ?? (request.savePaymentMethod || request.mode === 'setup' ? newId('cus_test') : undefined),
    savePaymentMethod: request.mode === 'setup' || (request.savePaymentMethod ?? false),
    mode: request.mode ?? 'payment',
    successUrl: request.successUrl,
    cancelUrl: request.cancelUrl,
    metadata: request.metadata,
    expiresAt: new Date(bank.clock.now().getTime() + CHECKOUT_TTL_MS).toISOString(),
    status: 'open',
  };
  const key = { scope: 'checkout', value: request.idempotencyKey, fingerprint: fingerprint(request) };
  const { loaded } = await insertOnce(bank, 'checkout', key, newId('cs_test'), data);
  return { providerRef: loaded.id, redirectUrl: `${checkoutBaseUrl}/${loaded.id}`, expiresAt: new Date(loaded.data.expiresAt) };
}

/** The checkout for its page, or undefined when there is no such checkout. */
export async function viewTestCheckout(bank: Bank, id: string): Promise<TestCheckoutView | undefined> {
  const record = await bank.store.get(id);
  if (!record || record.kind !== 'checkout') return undefined;
  const { data } = parseRecord('checkout', record);
  const status = data.status !== 'paid' && isExpired(bank, data) ? 'expired' : data.status;
  return {
    id,
    amount: data.amount,
    currency: data.currency,
    description: data.description,
    savePaymentMethod: data.savePaymentMethod,
    mode: data.mode ?? 'payment',
    status,
    pendingCardLast4: data.pendingCard?.last4,
    successUrl: successUrlOf(id, data),
    cancelUrl: data.cancelUrl,
  };
}

async function payableCheckout(bank: Bank, id: string): Promise<CheckoutData> {
  const { data } = await load(bank.store, 'checkout', id);
  if (data.status !== 'paid' && isExpired(bank, data)) {
    throw new ProviderError({ provider: 'test', code: 'checkout_expired', message: `checkout ${id} has expired` });
  }
  return data;
}

/** The fan submitted the card form. */
export async function payTestCheckout(bank: Bank, id: string, input: CardInput): Promise<CheckoutOutcome> {
  const checkout = await payableCheckout(bank, id);
  if (checkout.status === 'paid') return announceAgain(bank, id, checkout);
  const checked = checkCard(input, bank.clock.now());
  if (!checked.ok) return { status: 'invalid_card', invalid: checked.invalid };
  const declineCode = onSessionDecline(checked.card.behavior);
  if (declineCode) return { status: 'declined', declineCode };
  if (needsAuthentication(checked.card.behavior)) {
    const pendingCard = checked.card;
    await updateWith(bank.store, 'checkout', id, (data) => (data.status === 'paid' ? undefined : { ...data, status: 'requires_action', pendingCard }));
    return { status: 'requires_action' };
  }
  return completeCheckout(bank, id, checked.card);
}

/** The fan answered the bank's "Authenticate" step. */
export async function authenticateTestCheckout(bank: Bank, id: string, outcome: 'complete' | 'fail'): Promise<CheckoutOutcome> {
  const checkout = await payableCheckout(bank, id);
  if (checkout.status === 'paid') return announceAgain(bank, id, checkout);
  if (checkout.status !== 'requires_action' || !checkout.pendingCard) {
    throw new ProviderError({ provider: 'test', code: 'checkout_not_payable', message: `checkout ${id} is not waiting for authentication` });
  }
  if (outcome === 'fail') {
    await updateWith(bank.store, 'checkout', id, (data) =>
      data.status === 'requires_action' ? { ...data, status: 'open', pendingCard: undefined } : undefined,
    );
    return { status: 'declined', declineCode: 'authentication_failed' };
  }
  return completeCheckout(bank, id, checkout.pendingCard);
}

/**
 * Takes the payment, saves the card when asked, marks the checkout paid and announces it all. Every
 * write is keyed by the checkout, so a double submission or a crash halfway is finished, not doubled.
 */
async function completeCheckout(bank: Bank, id: string, card: StoredCard): Promise<CheckoutOutcome> {
  const checkout = await payableCheckout(bank, id);
  if (checkout.mode === 'setup') return completeSetup(bank, id, checkout, card);
  const fees = feesFor(bank, checkout.amount, checkout.currency);
  const once = { scope: 'checkout', value: id, fingerprint: id };
  let paymentMethodRef: string | undefined;
  if (checkout.savePaymentMethod && checkout.customerRef) {
    const method = await insertOnce(bank, 'payment_method', once, newId('pm_test'), { customerRef: checkout.customerRef, card });
    paymentMethodRef = method.loaded.id;
  }
  const payment: PaymentData = {
    amount: checkout.amount,
    currency: checkout.currency,
    status: 'succeeded',
    fee: processingFee(checkout.amount, fees),
    checkoutRef: id,
    customerRef: checkout.customerRef,
    paymentMethodRef,
    card,
    metadata: checkout.metadata,
    occurredAt: bank.clock.now().toISOString(),
    refunds: {},
    dispute: card.behavior === 'dispute' ? 'open' : 'none',
  };
  const { loaded } = await insertOnce(bank, 'payment', once, newId('pi_test'), payment);
  const paymentRef = loaded.id;
  const paid = await updateWith(bank.store, 'checkout', id, (data) =>
    data.status === 'paid' ? undefined : { ...data, status: 'paid', pendingCard: undefined, paymentRef },
  );
  await emit(bank, newPaymentEvents(bank, paymentRef, loaded.data, loaded.data.paymentMethodRef !== undefined));
  return { status: 'succeeded', redirectUrl: successUrlOf(id, paid) };
}

/**
 * A paid checkout submitted again (a double click, or a retry after `deliver` failed): nothing is
 * charged, and its events are sent again so none is lost. Receivers dedupe on eventId.
 */
async function announceAgain(bank: Bank, id: string, checkout: CheckoutData): Promise<CheckoutOutcome> {
  if (checkout.mode === 'setup') {
    await emit(bank, [setupEvent(bank, id, checkout)]);
    return { status: 'succeeded', redirectUrl: successUrlOf(id, checkout) };
  }
  if (checkout.paymentRef) {
    const payment = await load(bank.store, 'payment', checkout.paymentRef);
    await emit(bank, newPaymentEvents(bank, payment.id, payment.data, payment.data.paymentMethodRef !== undefined));
  }
  return { status: 'succeeded', redirectUrl: successUrlOf(id, checkout) };
}

/**
 * A setup checkout (Stripe's SetupIntent): the card is checked and saved, nothing is charged, and one
 * `payment_method.saved` event about the checkout announces it. Keyed by the checkout, like a payment.
 */
async function completeSetup(bank: Bank, id: string, checkout: CheckoutData, card: StoredCard): Promise<CheckoutOutcome> {
  const once = { scope: 'checkout', value: id, fingerprint: id };
  const customerRef = checkout.customerRef ?? newId('cus_test');
  const method = await insertOnce(bank, 'payment_method', once, newId('pm_test'), { customerRef, card });
  const saved = await updateWith(bank.store, 'checkout', id, (data) =>
    data.status === 'paid' ? undefined : { ...data, status: 'paid', pendingCard: undefined, customerRef, paymentMethodRef: method.loaded.id },
  );
  await emit(bank, [setupEvent(bank, id, saved)]);
  return { status: 'succeeded', redirectUrl: successUrlOf(id, saved) };
}

function setupEvent(bank: Bank, id: string, checkout: CheckoutData): Outgoing {
  const occurredAt = bank.clock.now();
  return {
    event: {
      provider: 'test',
      eventId: `evt_${id}_payment_method_saved`,
      type: 'payment_method.saved',
      providerRef: id,
      checkoutRef: id,
      amount: checkout.amount,
      currency: checkout.currency,
      occurredAt,
      metadata: checkout.metadata,
      customerRef: checkout.customerRef,
      paymentMethodRef: checkout.paymentMethodRef,
      livemode: false,
    },
    notBefore: occurredAt,
  };
}
