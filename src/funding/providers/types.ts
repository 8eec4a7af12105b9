/**
 * The one interface every payment rail implements (the built-in `test` bank, Stripe, BTCPay Server).
 *
 * Money is funding's one `Money` (../money.ts): an integer count of the currency's smallest unit (cents
 * for EUR, yen for JPY) plus one of the ISO 4217 currencies Fanfare supports. Amounts given to and
 * received from providers are never negative (fees may be: a fee given back); nothing here ever holds
 * a float amount. Adapters convert at their edge (`toDecimalString`, `fromDecimalString`, `parseCurrency`).
 */
import type { Money } from '../money.js';

export type { Money };

/** The rails Fanfare knows. Adding one means one folder beside `stripe/` and one line in `registry.ts`. */
export type ProviderId = 'test' | 'stripe' | 'btcpay';

/** Free-form strings the app attaches to a payment and gets back on every event about it. */
export type PaymentMetadata = Record<string, string>;

/** What the app asks for when a fan pays once (a tip, the first month of a membership). */
export interface CreateCheckoutInput extends Money {
  /** Shown to the fan on the payment page. */
  description: string;
  /** The same key returns the same checkout; a different request under the same key is an error. */
  idempotencyKey: string;
  customerEmail?: string;
  /** A customer this provider already knows (from an earlier `payment_method.saved` event). */
  customerRef?: string;
  /** Keep the card for later off-session renewals; the saved method arrives as `payment_method.saved`. */
  savePaymentMethod?: boolean;
  /**
   * `setup`: save a payment method and charge nothing (Stripe's SetupIntent, a campaign pledge). The
   * amount is only shown; the saved method arrives as `payment_method.saved`, with `providerRef` the
   * checkout's id, and no payment event follows. Only on rails whose `capabilities.setupWithoutCharge`.
   */
  mode?: 'payment' | 'setup';
  /** Where the fan lands after paying. `{CHECKOUT_SESSION_ID}` is replaced by the checkout's providerRef. */
  successUrl: string;
  /** Where the fan lands when they give up. */
  cancelUrl: string;
  /** Comes back on every event of this payment: the app correlates by it (e.g. its own payment id). */
  metadata: PaymentMetadata;
}

/** A payment page the fan is sent to. */
export interface CheckoutSession {
  /** The checkout's id at the provider; events about the payment carry it as `checkoutRef`. */
  providerRef: string;
  redirectUrl: string;
  /** After this the page no longer takes payment (when the provider says). */
  expiresAt?: Date;
}

/** An off-session charge of a saved payment method (a membership renewal). */
export interface ChargeSavedInput extends Money {
  customerRef: string;
  paymentMethodRef: string;
  /** Pass the job id: a retried job then never charges twice. */
  idempotencyKey: string;
  metadata: PaymentMetadata;
}

/**
 * What an off-session charge did. `requires_action` means the bank wants the fan present (3-D Secure):
 * ask them to pay on-session. `pending` means the outcome is not known yet (bank debits settle in
 * days; cards never give it): wait for the event. The outcome also arrives later as an event; treat
 * both idempotently (by `providerRef`).
 */
export interface ChargeResult {
  status: 'succeeded' | 'requires_action' | 'declined' | 'pending';
  /** The payment's id at the provider (what `refund` takes). */
  providerRef: string;
  /** Why the bank said no, e.g. `card_declined`, `insufficient_funds`, `authentication_required`. */
  declineCode?: string;
  /** Processor fee in minor units of the charge currency, when the provider reported it. */
  fee?: number;
}

/** Give money back for a payment, in whole (no amount) or in part. */
export interface RefundInput {
  providerRef: string;
  amount?: number;
  idempotencyKey: string;
}

/** What a refund did; `amount` is what was refunded (the remainder when none was asked). */
export interface RefundResult extends Money {
  refundRef: string;
  /** `pending` refunds are confirmed later by a `refund.succeeded` event. */
  status: 'succeeded' | 'pending' | 'failed';
}

/** Every kind of normalized event, in the order a payment usually lives them. */
export const PAYMENT_EVENT_TYPES = [
  'payment.succeeded',
  'payment.failed',
  'payment.requires_action',
  'payment_method.saved',
  'refund.succeeded',
  'dispute.opened',
  'dispute.won',
  'dispute.lost',
  'invoice.expired',
] as const;

/** One of `PAYMENT_EVENT_TYPES`. */
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

/**
 * One thing that happened at a provider, in Fanfare's words.
 *
 * Providers deliver at least once, late and in any order. So: dedupe on (`provider`, `eventId`), which
 * is stable across redeliveries; apply each event idempotently per (`providerRef`, `type`); and order by
 * `occurredAt`, never by arrival. `payment.succeeded` is emitted once per payment (checkout or renewal).
 */
export interface PaymentEvent extends Money {
  provider: ProviderId;
  /** Unique per provider and stable when the same event is delivered again. */
  eventId: string;
  type: PaymentEventType;
  /** The payment concerned (what `refund` takes); for `invoice.expired`, the checkout. */
  providerRef: string;
  /** The checkout the payment came from, when it came from one (`CheckoutSession.providerRef`). */
  checkoutRef?: string;
  /**
   * Processor fee in minor units of `currency` that this event brought, when known: 0 when the rail
   * charges none, negative when the provider gives a fee back (a won dispute on some Stripe accounts).
   */
  fee?: number;
  occurredAt: Date;
  /** The metadata given at checkout or charge time. */
  metadata: PaymentMetadata;
  customerRef?: string;
  paymentMethodRef?: string;
  declineCode?: string;
  /** False for test-mode money (the test bank, Stripe test keys): never count it as real income. */
  livemode: boolean;
}

/** What a rail can do, so the app offers only what works (no renewals through BTCPay). */
export interface ProviderCapabilities {
  /** `savePaymentMethod` and `chargeSaved` work. */
  savedPaymentMethods: boolean;
  /** `refund` works through the API. */
  refunds: boolean;
  /** A checkout in `setup` mode saves a method without charging, and `detachPaymentMethod` works. */
  setupWithoutCharge: boolean;
}

/** Forget a saved payment method at the provider (a campaign that failed or was cancelled). */
export interface DetachPaymentMethodInput {
  customerRef: string;
  paymentMethodRef: string;
}

/**
 * A payment rail. Implementations never keep state in memory between calls: what must survive a
 * restart lives at the provider or in the database, so a checkout begun before a restart completes
 * after it. Failures throw `ProviderError` (or its subclasses), never raw SDK or fetch errors.
 */
export interface PaymentProvider {
  readonly id: ProviderId;
  /** False when this provider moves no real money. */
  readonly livemode: boolean;
  readonly capabilities: ProviderCapabilities;
  /** Creates a one-off payment page. */
  createCheckout(input: CreateCheckoutInput): Promise<CheckoutSession>;
  /** Charges a saved payment method without the fan present. */
  chargeSaved(input: ChargeSavedInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<RefundResult>;
  /**
   * Detaches a saved method: later `chargeSaved` calls with it fail. Detaching twice is no error. Only
   * on rails whose `capabilities.setupWithoutCharge`; others throw `UnsupportedOperationError`.
   */
  detachPaymentMethod(input: DetachPaymentMethodInput): Promise<void>;
  /**
   * Checks a webhook's signature against the RAW body (bytes exactly as received) and returns the
   * normalized events it carries: none for event kinds Fanfare ignores. Throws `WebhookSignatureError`
   * when the signature is missing or wrong. May ask the provider for details the webhook lacks (Stripe
   * fees, BTCPay amounts), so it can throw `ProviderError` too: answer the webhook 5xx and it comes again.
   */
  verifyWebhook(rawBody: string | Uint8Array, headers: Headers): Promise<PaymentEvent[]>;
  /**
   * Who holds the money and the saved payment methods at this rail: Stripe's account id (`acct_…`, from
   * `GET /v1/account`), the test bank's id, BTCPay's server and store. Two sites with the same identity
   * can charge each other's saved methods (a channel moved between them keeps its members' cards).
   * Throws `ProviderError` when the provider cannot be asked; absent on rails that cannot say.
   */
  accountIdentity?(): Promise<string>;
}
