import Stripe from 'stripe';
import { systemClock, type Clock } from '../../../core/clock.js';
import { parseCurrency } from '../../money.js';
import { ProviderError, WebhookSignatureError, type WebhookSignatureFailure } from '../errors.js';
import { checkChargeInput, checkCheckoutInput, checkRefundInput } from '../inputs.js';
import type { ChargeResult, ChargeSavedInput, CheckoutSession, CreateCheckoutInput, DetachPaymentMethodInput, PaymentProvider, RefundInput, RefundResult } from '../types.js';
import { stripeError } from './errors.js';
import { CHECKOUT_MARKER, feeOf, mapStripeEvent, type StripeLookup } from './events.js';

/** How to reach Stripe and check its webhooks. */
export interface CreateStripeProviderOptions {
  /** `sk_live_…` or `sk_test_…` (a restricted `rk_` key works with write access to Checkout, PaymentIntents, Refunds). */
  secretKey: string;
  /** The endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
  /** Where the API is; tests point it at a local fake. Defaults to api.stripe.com over HTTPS. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
  /** Refuse webhooks signed longer ago than this (default 300 s, Stripe's own default). */
  webhookToleranceSeconds?: number;
  clock?: Clock;
  /** Retries of network failures inside one call (default 2). Every POST carries our idempotency key. */
  maxNetworkRetries?: number;
}

const EXPAND_FEE = ['latest_charge.balance_transaction'];

/** A `ChargeResult` from a PaymentIntent that Stripe answered with (created, or carried by a card error). */
function chargeResult(pi: Stripe.PaymentIntent, error?: { code?: string; decline_code?: string }): ChargeResult {
  const declineCode = error?.decline_code ?? error?.code ?? pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? undefined;
  switch (pi.status) {
    case 'succeeded':
      return { status: 'succeeded', providerRef: pi.id, fee: feeOf(pi) };
    case 'processing':
      return { status: 'pending', providerRef: pi.id };
    case 'requires_action':
      return { status: 'requires_action', providerRef: pi.id, declineCode };
    default:
      // Off-session, Stripe reports "needs the customer" as a failed attempt with authentication_required.
      if (error?.code === 'authentication_required') return { status: 'requires_action', providerRef: pi.id, declineCode: 'authentication_required' };
      return { status: 'declined', providerRef: pi.id, declineCode: declineCode ?? 'card_declined' };
  }
}

/** Why the SDK refused a webhook, from its messages (it has one error class for all of them). */
function signatureFailure(error: unknown): WebhookSignatureFailure {
  const message = error instanceof Error ? error.message : '';
  if (/Timestamp outside the tolerance zone/.test(message)) return 'expired';
  if (/Unable to extract|with expected scheme|No webhook payload/.test(message) || error instanceof SyntaxError) return 'malformed';
  return 'mismatch';
}

/**
 * Stripe as a `PaymentProvider`: Checkout Sessions for one-off payments (saving the card for renewals
 * when asked) and in setup mode (saving a method, charging nothing), off-session PaymentIntents for renewals, Refunds. Every POST carries the caller's
 * idempotency key; webhooks are verified against the raw body with the SDK.
 */
export function createStripeProvider(options: CreateStripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 20_000,
    appInfo: { name: 'Fanfare' },
    ...(options.api ?? {}),
  });
  const clock = options.clock ?? systemClock;
  const lookup: StripeLookup = {
    paymentIntent: (id) => stripe.paymentIntents.retrieve(id, { expand: EXPAND_FEE }),
    setupIntent: (id) => stripe.setupIntents.retrieve(id),
  };

  async function createCheckout(input: CreateCheckoutInput): Promise<CheckoutSession> {
    const request = checkCheckoutInput('stripe', input);
    if (request.mode === 'setup') return createSetupCheckout(request);
    const save = request.savePaymentMethod === true;
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency: request.currency.toLowerCase(), unit_amount: request.amount, product_data: { name: request.description } } }],
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      metadata: request.metadata,
      payment_intent_data: {
        description: request.description,
        metadata: { ...request.metadata, [CHECKOUT_MARKER]: '1' },
        ...(save ? { setup_future_usage: 'off_session' as const } : {}),
      },
      ...(request.customerRef ? { customer: request.customerRef } : { customer_email: request.customerEmail }),
      ...(save && !request.customerRef ? { customer_creation: 'always' as const } : {}),
    };
    return openSession(params, request.idempotencyKey);
  }

  /**
   * A Checkout Session in `setup` mode: the fan saves a payment method (a SetupIntent, usage
   * off_session), nothing is charged. The method is attached to a Customer (the given one, or one
   * Checkout creates), so that `chargeSaved` can use it later; the metadata rides on the session and
   * on its SetupIntent. Its `checkout.session.completed` becomes `payment_method.saved` (events.ts).
   * Stripe shows no amount on a setup page; the currency is required (dynamic payment methods).
   */
  async function createSetupCheckout(request: CreateCheckoutInput): Promise<CheckoutSession> {
    return openSession(
      {
        mode: 'setup',
        currency: request.currency.toLowerCase(),
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        metadata: request.metadata,
        setup_intent_data: { description: request.description, metadata: request.metadata },
        ...(request.customerRef ? { customer: request.customerRef } : { customer_email: request.customerEmail, customer_creation: 'always' as const }),
      },
      request.idempotencyKey,
    );
  }

  async function openSession(params: Stripe.Checkout.SessionCreateParams, idempotencyKey: string): Promise<CheckoutSession> {
    try {
      const session = await stripe.checkout.sessions.create(params, { idempotencyKey });
      if (!session.url) throw new ProviderError({ provider: 'stripe', code: 'provider_error', message: 'stripe: checkout session without a URL' });
      return { providerRef: session.id, redirectUrl: session.url, expiresAt: new Date(session.expires_at * 1000) };
    } catch (error) {
      throw stripeError(error);
    }
  }

  /**
   * Detaches a saved method from its customer (`POST /v1/payment_methods/:id/detach`): Stripe refuses
   * to charge it afterwards. Detaching twice is no error: a method already detached (or unknown) is left
   * alone, and so is one attached to another customer than the one named (never detach someone else's).
   */
  async function detachPaymentMethod(input: DetachPaymentMethodInput): Promise<void> {
    try {
      let method: Stripe.PaymentMethod;
      try {
        method = await stripe.paymentMethods.retrieve(input.paymentMethodRef);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing') return;
        throw error;
      }
      const customer = typeof method.customer === 'string' ? method.customer : method.customer?.id;
      if (customer !== input.customerRef) return;
      await stripe.paymentMethods.detach(input.paymentMethodRef);
    } catch (error) {
      throw stripeError(error);
    }
  }

  async function chargeSaved(input: ChargeSavedInput): Promise<ChargeResult> {
    const request = checkChargeInput('stripe', input);
    try {
      const pi = await stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          customer: request.customerRef,
          payment_method: request.paymentMethodRef,
          off_session: true,
          confirm: true,
          metadata: request.metadata,
          expand: EXPAND_FEE,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return chargeResult(pi);
    } catch (error) {
      // A declined card is an answer, not a failure: Stripe sends the PaymentIntent along with it.
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) {
        return chargeResult(error.payment_intent, { code: error.code, decline_code: error.decline_code });
      }
      throw stripeError(error);
    }
  }

  async function refund(input: RefundInput): Promise<RefundResult> {
    const request = checkRefundInput('stripe', input);
    try {
      const refunded = await stripe.refunds.create(
        { payment_intent: request.providerRef, ...(request.amount === undefined ? {} : { amount: request.amount }) },
        { idempotencyKey: request.idempotencyKey },
      );
      const status = refunded.status === 'succeeded' ? 'succeeded' : refunded.status === 'failed' || refunded.status === 'canceled' ? 'failed' : 'pending';
      return { refundRef: refunded.id, status, amount: refunded.amount, currency: parseCurrency(refunded.currency.toUpperCase()) };
    } catch (error) {
      throw stripeError(error);
    }
  }

  async function verifyWebhook(rawBody: string | Uint8Array, headers: Headers) {
    const signature = headers.get('stripe-signature');
    if (!signature) throw new WebhookSignatureError('stripe', 'missing');
    let event: Stripe.Event;
    try {
      const tolerance = options.webhookToleranceSeconds ?? 300;
      event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret, tolerance, undefined, clock.now().getTime());
    } catch (error) {
      throw new WebhookSignatureError('stripe', signatureFailure(error), { cause: error });
    }
    // The SDK only refuses signatures that are too old; one dated in the future is as suspect (a replay
    // prepared in advance, or a skewed clock) and is refused with the same tolerance.
    if (signedInFuture(signature, clock.now(), options.webhookToleranceSeconds ?? 300)) throw new WebhookSignatureError('stripe', 'expired');
    try {
      return await mapStripeEvent(event, lookup);
    } catch (error) {
      throw stripeError(error);
    }
  }

  return {
    id: 'stripe',
    livemode: options.secretKey.startsWith('sk_live_') || options.secretKey.startsWith('rk_live_'),
    capabilities: { savedPaymentMethods: true, refunds: true, setupWithoutCharge: true },
    createCheckout,
    chargeSaved,
    refund,
    detachPaymentMethod,
    verifyWebhook,
    async accountIdentity() {
      try {
        // With a null id, the SDK asks GET /v1/account: the account this secret key belongs to.
        return (await stripe.accounts.retrieve(null)).id;
      } catch (error) {
        throw stripeError(error);
      }
    },
  };
}

/** True when the `t=` of a Stripe-Signature header is more than `toleranceSeconds` ahead of `now`. */
export function signedInFuture(header: string, now: Date, toleranceSeconds: number): boolean {
  const timestamp = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(header)?.[1]);
  return Number.isFinite(timestamp) && timestamp - now.getTime() / 1000 > toleranceSeconds;
}
