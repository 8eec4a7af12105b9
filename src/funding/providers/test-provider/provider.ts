import { systemClock, type Clock } from '../../../core/clock.js';
import type { PaymentEvent, PaymentProvider } from '../types.js';
import type { Bank } from './bank.js';
import {
  authenticateTestCheckout,
  createTestCheckout,
  payTestCheckout,
  viewTestCheckout,
  type CardInput,
  type CheckoutOutcome,
  type TestCheckoutView,
} from './checkout.js';
import { DEFAULT_FEES, type FeeSchedule } from './fees.js';
import { chargeSavedTestCard, detachTestPaymentMethod, refundTestPayment, resolveTestDispute } from './payments.js';
import type { TestBankStore } from './store.js';
import { verifyTestWebhook, type DeliverWebhook } from './webhooks.js';

/** How to build the test bank: where it keeps its books, where its webhooks go, how it signs them. */
export interface CreateTestProviderOptions {
  /** The bank's books: `createSqlTestBankStore(db)` in the app, `createMemoryTestBankStore()` in tests. */
  store: TestBankStore;
  /**
   * Receives every webhook, signed, at the moment the bank decides to send it (inside the request
   * that caused it). Enqueue a job that runs at `delivery.notBefore` and passes the body and headers
   * to `verifyWebhook`; do not process the event inline. Throwing makes the bank's call fail.
   */
  deliver: DeliverWebhook;
  /** Signs webhooks. Derive it from the site secret; it never leaves the server. */
  webhookSecret: string;
  /** Absolute URL where `testCheckoutRoutes` is mounted, e.g. `https://videos.example.org/pay/test`. */
  checkoutBaseUrl: string;
  clock?: Clock;
  fees?: FeeSchedule;
  /** How long after a 0259 payment its dispute opens (default one minute). */
  disputeDelayMs?: number;
  /** Refuse webhooks signed longer ago than this; unset, their age is not checked (see webhooks.ts). */
  webhookToleranceSeconds?: number;
  /**
   * The bank's identity (`accountIdentity`): two sites whose banks share it can charge each other's
   * saved methods. `createProviders` derives it from the site secret, as the bank's webhook secret.
   */
  accountId?: string;
}

/**
 * The built-in test bank as a `PaymentProvider`, plus what its payment page and tests need. It moves
 * no money (`livemode: false`) and its events say so.
 */
export interface TestProvider extends PaymentProvider {
  readonly id: 'test';
  /** The checkout as its page shows it; undefined for an unknown id. */
  viewCheckout(checkoutId: string): Promise<TestCheckoutView | undefined>;
  /** The fan submitted the card form. Throws `ProviderError` for unknown, expired checkouts. */
  payCheckout(checkoutId: string, card: CardInput): Promise<CheckoutOutcome>;
  /** The fan passed (`complete`) or failed the "Authenticate" step. */
  authenticateCheckout(checkoutId: string, outcome: 'complete' | 'fail'): Promise<CheckoutOutcome>;
  /**
   * Checks a delivery this bank queued in the site's own job table: the signature, not the age. A queued
   * delivery may wait as long as the worker was down (or a test's clock jumped); Stripe signs each
   * delivery attempt afresh, so an age limit there would lose events a real rail would still deliver.
   * Deliveries that come over HTTP keep the age limit (`verifyWebhook`).
   */
  verifyQueuedWebhook(rawBody: string | Uint8Array, headers: Headers): Promise<PaymentEvent[]>;
  /** Closes the dispute opened on a 0259 payment (test and demo control). */
  resolveDispute(paymentRef: string, outcome: 'won' | 'lost'): Promise<void>;
}

/**
 * Creates the test bank. It keeps no state of its own: two instances on the same store are the same
 * bank, which is how a restart between checkout and webhook is survived.
 *
 * @example
 * const test = createTestProvider({
 *   store: createSqlTestBankStore(db),
 *   deliver: async (d) => {
 *     await enqueue(db, { type: 'payments.test_webhook', payload: d, runAt: d.notBefore, dedupeKey: `test-webhook:${d.eventId}` });
 *   },
 *   webhookSecret: hmac(signingSecret, 'test-bank-webhooks'),
 *   checkoutBaseUrl: `${publicUrl}/pay/test`,
 * });
 * app.route('/pay/test', testCheckoutRoutes({ provider: test }));
 */
export function createTestProvider(options: CreateTestProviderOptions): TestProvider {
  const bank: Bank = {
    store: options.store,
    clock: options.clock ?? systemClock,
    fees: options.fees ?? DEFAULT_FEES,
    webhookSecret: options.webhookSecret,
    deliver: options.deliver,
    disputeDelayMs: options.disputeDelayMs ?? 60_000,
  };
  const base = options.checkoutBaseUrl.replace(/\/+$/, '');
  return {
    id: 'test',
    livemode: false,
    capabilities: { savedPaymentMethods: true, refunds: true, setupWithoutCharge: true },
    createCheckout: (input) => createTestCheckout(bank, base, input),
    chargeSaved: (input) => chargeSavedTestCard(bank, input),
    refund: (input) => refundTestPayment(bank, input),
    detachPaymentMethod: (input) => detachTestPaymentMethod(bank, input),
    async verifyWebhook(rawBody, headers) {
      const secret = options.webhookSecret;
      return [verifyTestWebhook(rawBody, headers, { secret, now: bank.clock.now(), toleranceSeconds: options.webhookToleranceSeconds })];
    },
    async verifyQueuedWebhook(rawBody, headers) {
      return [verifyTestWebhook(rawBody, headers, { secret: options.webhookSecret, now: bank.clock.now() })];
    },
    viewCheckout: (checkoutId) => viewTestCheckout(bank, checkoutId),
    payCheckout: (checkoutId, card) => payTestCheckout(bank, checkoutId, card),
    authenticateCheckout: (checkoutId, outcome) => authenticateTestCheckout(bank, checkoutId, outcome),
    resolveDispute: (paymentRef, outcome) => resolveTestDispute(bank, paymentRef, outcome),
    accountIdentity: async () => options.accountId ?? 'test-bank',
  };
}
