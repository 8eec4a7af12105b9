import type Stripe from 'stripe';
import { isCurrency, type Currency } from '../../money.js';
import type { PaymentEvent, PaymentEventType, PaymentMetadata } from '../types.js';

/**
 * Marks the PaymentIntents that Checkout creates for Fanfare. Their outcome is announced by the
 * `checkout.session.*` events; their own `payment_intent.*` events are skipped, so that each payment
 * gives exactly one `payment.succeeded`, and a failed attempt the fan retries on the page gives none.
 */
export const CHECKOUT_MARKER = 'fanfare_checkout';

/** What the mapping may ask Stripe: the payment with its charge and fee, expanded; a setup's SetupIntent. */
export interface StripeLookup {
  paymentIntent(id: string): Promise<Stripe.PaymentIntent>;
  setupIntent(id: string): Promise<Stripe.SetupIntent>;
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

/**
 * Stripe's lower-case currency code as Fanfare's, or undefined for a currency Fanfare does not support:
 * no Fanfare payment is ever in one (checkouts and charges are refused), so its events are skipped.
 */
function currencyOf(code: string | null | undefined): Currency | undefined {
  const upper = (code ?? '').toUpperCase();
  return isCurrency(upper) ? upper : undefined;
}

/** The app's metadata, without the marker Fanfare added for itself. */
function appMetadata(metadata: Stripe.Metadata | null | undefined): PaymentMetadata {
  const { [CHECKOUT_MARKER]: _marker, ...rest } = metadata ?? {};
  return rest;
}

/**
 * The fee of a payment in the payment's currency, read from its charge's balance transaction. Unknown
 * (undefined) when the charge is not expanded, not yet settled, or settled in another currency
 * (the fee is then in the account's currency, which the event's `currency` would misstate).
 */
export function feeOf(pi: Stripe.PaymentIntent): number | undefined {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const txn = charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
  return txn && txn.currency === pi.currency ? txn.fee : undefined;
}

function base(event: Stripe.Event, type: PaymentEventType, fields: Omit<PaymentEvent, 'provider' | 'eventId' | 'type' | 'occurredAt' | 'livemode'>): PaymentEvent {
  return {
    provider: 'stripe',
    eventId: type === 'payment_method.saved' ? `${event.id}:saved` : event.id,
    type,
    occurredAt: new Date(event.created * 1000),
    livemode: event.livemode,
    ...fields,
  };
}

/** `payment.succeeded` for a PaymentIntent, plus `payment_method.saved` when it saved the card. */
function succeeded(event: Stripe.Event, pi: Stripe.PaymentIntent, checkoutRef?: string): PaymentEvent[] {
  const currency = currencyOf(pi.currency);
  if (!currency) return [];
  const customerRef = idOf(pi.customer);
  const paymentMethodRef = idOf(pi.payment_method);
  const fields = {
    providerRef: pi.id,
    checkoutRef,
    amount: pi.amount_received || pi.amount,
    currency,
    metadata: appMetadata(pi.metadata),
    customerRef,
    paymentMethodRef,
  };
  const out = [base(event, 'payment.succeeded', { ...fields, fee: feeOf(pi) })];
  if (pi.setup_future_usage === 'off_session' && customerRef && paymentMethodRef) out.push(base(event, 'payment_method.saved', fields));
  return out;
}

function intentEvent(event: Stripe.Event, pi: Stripe.PaymentIntent, type: PaymentEventType, checkoutRef?: string): PaymentEvent[] {
  const currency = currencyOf(pi.currency);
  if (!currency) return [];
  return [
    base(event, type, {
      providerRef: pi.id,
      checkoutRef,
      amount: pi.amount,
      currency,
      metadata: appMetadata(pi.metadata),
      customerRef: idOf(pi.customer),
      paymentMethodRef: idOf(pi.payment_method),
      declineCode: pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? undefined,
    }),
  ];
}

const fromCheckout = (pi: Stripe.PaymentIntent) => pi.metadata?.[CHECKOUT_MARKER] === '1';

async function sessionEvents(event: Stripe.Event, session: Stripe.Checkout.Session, lookup: StripeLookup, type: PaymentEventType): Promise<PaymentEvent[]> {
  const piId = idOf(session.payment_intent);
  if (!piId) return [];
  const pi = await lookup.paymentIntent(piId);
  return type === 'payment.succeeded' ? succeeded(event, pi, session.id) : intentEvent(event, pi, type, session.id);
}

/**
 * A completed setup-mode Checkout Session: its SetupIntent saved a payment method on a customer and
 * charged nothing. One `payment_method.saved` about the checkout (`providerRef` = `checkoutRef` = the
 * session), with the session's metadata, amount 0 in the session's currency — the same result as the
 * test bank's setup page. A SetupIntent not (yet) succeeded, or without customer or method, gives none.
 */
async function setupEvents(event: Stripe.Event, session: Stripe.Checkout.Session, lookup: StripeLookup): Promise<PaymentEvent[]> {
  const setupIntentId = idOf(session.setup_intent);
  const currency = currencyOf(session.currency);
  if (!setupIntentId || !currency) return [];
  const intent = await lookup.setupIntent(setupIntentId);
  const customerRef = idOf(intent.customer) ?? idOf(session.customer);
  const paymentMethodRef = idOf(intent.payment_method);
  if (intent.status !== 'succeeded' || !customerRef || !paymentMethodRef) return [];
  return [
    base(event, 'payment_method.saved', {
      providerRef: session.id,
      checkoutRef: session.id,
      amount: 0,
      currency,
      metadata: appMetadata(session.metadata),
      customerRef,
      paymentMethodRef,
    }),
  ];
}

/**
 * A dispute event. Its fee is that of the balance transactions it brought: the withdrawal when opened
 * (Stripe's dispute fee), the later ones when closed (negative if Stripe gave the fee back).
 */
async function disputeEvent(event: Stripe.Event, dispute: Stripe.Dispute, lookup: StripeLookup, type: PaymentEventType): Promise<PaymentEvent[]> {
  const piId = idOf(dispute.payment_intent);
  const currency = currencyOf(dispute.currency);
  if (!piId || !currency) return [];
  const pi = await lookup.paymentIntent(piId);
  const transactions = type === 'dispute.opened' ? dispute.balance_transactions.slice(0, 1) : dispute.balance_transactions.slice(1);
  const fee = transactions.filter((t) => t.currency === dispute.currency).reduce((sum, t) => sum + t.fee, 0);
  return [base(event, type, { providerRef: piId, amount: dispute.amount, currency, fee, metadata: appMetadata(pi.metadata), customerRef: idOf(pi.customer) })];
}

/**
 * Maps one verified Stripe event to Fanfare's events (none for kinds Fanfare does not use). Asks Stripe
 * for the PaymentIntent where the event lacks the fee or the metadata.
 */
export async function mapStripeEvent(event: Stripe.Event, lookup: StripeLookup): Promise<PaymentEvent[]> {
  switch (event.type) {
    case 'checkout.session.completed':
      if (event.data.object.mode === 'setup') return setupEvents(event, event.data.object, lookup);
      return event.data.object.payment_status === 'paid' ? sessionEvents(event, event.data.object, lookup, 'payment.succeeded') : [];
    case 'checkout.session.async_payment_succeeded':
      return sessionEvents(event, event.data.object, lookup, 'payment.succeeded');
    case 'checkout.session.async_payment_failed':
      return sessionEvents(event, event.data.object, lookup, 'payment.failed');
    case 'checkout.session.expired': {
      const session = event.data.object;
      const currency = currencyOf(session.currency);
      if (!currency) return [];
      return [
        base(event, 'invoice.expired', {
          providerRef: session.id,
          checkoutRef: session.id,
          amount: session.amount_total ?? 0,
          currency,
          metadata: appMetadata(session.metadata),
        }),
      ];
    }
    case 'payment_intent.succeeded':
      return fromCheckout(event.data.object) ? [] : succeeded(event, await lookup.paymentIntent(event.data.object.id));
    case 'payment_intent.payment_failed':
      return fromCheckout(event.data.object) ? [] : intentEvent(event, event.data.object, 'payment.failed');
    case 'payment_intent.requires_action':
      return fromCheckout(event.data.object) ? [] : intentEvent(event, event.data.object, 'payment.requires_action');
    case 'charge.refunded': {
      const charge = event.data.object;
      const piId = idOf(charge.payment_intent);
      const currency = currencyOf(charge.currency);
      if (!piId || !currency) return [];
      const before = event.data.previous_attributes?.amount_refunded ?? 0;
      const pi = await lookup.paymentIntent(piId);
      const amount = charge.amount_refunded - before;
      return [base(event, 'refund.succeeded', { providerRef: piId, amount, currency, fee: 0, metadata: appMetadata(pi.metadata), customerRef: idOf(pi.customer) })];
    }
    case 'charge.dispute.created':
      return disputeEvent(event, event.data.object, lookup, 'dispute.opened');
    case 'charge.dispute.closed': {
      const status = event.data.object.status;
      // An inquiry closed without becoming a chargeback (warning_closed) never took the money: a win.
      if (status === 'won' || status === 'warning_closed') return disputeEvent(event, event.data.object, lookup, 'dispute.won');
      if (status === 'lost') return disputeEvent(event, event.data.object, lookup, 'dispute.lost');
      return [];
    }
    default:
      return [];
  }
}
