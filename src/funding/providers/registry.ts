import type { Clock } from '../../core/clock.js';
import { hmac } from '../../core/crypto.js';
import { createBtcpayProvider } from './btcpay/provider.js';
import { createStripeProvider } from './stripe/provider.js';
import { createTestProvider, type TestProvider } from './test-provider/provider.js';
import type { TestBankStore } from './test-provider/store.js';
import type { DeliverWebhook } from './test-provider/webhooks.js';
import type { PaymentProvider } from './types.js';

/** Which rails are configured, read from the environment by the `paymentsConfig` fragment (config.ts). */
export interface PaymentsConfig {
  /** The built-in test bank: PAYMENTS_TEST_PROVIDER, by default on only while no real rail is configured. */
  test: boolean;
  stripe?: { secretKey: string; webhookSecret: string };
  btcpay?: { url: string; apiKey: string; storeId: string; webhookSecret: string };
}

/** The rails cannot be built as configured (the test bank without its store); bad variables are ConfigErrors. */
export class PaymentsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`payment configuration: ${problems.join('; ')}`);
    this.name = new.target.name;
  }
}

/** What `createProviders` needs besides the configuration: the site's URL and secret, the test bank's store. */
export interface CreateProvidersOptions {
  config: PaymentsConfig;
  /** The site's public URL: the test bank's pages live under `/pay/test` there. */
  publicUrl: string;
  /** The site secret; the test bank's webhook secret is derived from it. */
  signingSecret: string;
  /** Required when the test bank is on: its books (SQL) and where its webhooks go (the job queue). */
  testBank?: { store: TestBankStore; deliver: DeliverWebhook };
  clock?: Clock;
}

/** The enabled rails by id; the test bank keeps its own type, as its pages need more than the interface. */
export interface EnabledProviders {
  test?: TestProvider;
  stripe?: PaymentProvider;
  btcpay?: PaymentProvider;
}

/**
 * The site's test bank refuses webhooks signed longer ago (or further ahead) than this: three days, as
 * long as Stripe retries a delivery, and far longer than its job queue's retries take.
 */
export const TEST_WEBHOOK_TOLERANCE_SECONDS = 3 * 24 * 60 * 60;

/** Where the test bank's payment pages are mounted (`app.route(TEST_CHECKOUT_PATH, testCheckoutRoutes(…))`). */
export const TEST_CHECKOUT_PATH = '/pay/test';

/**
 * Builds the enabled payment rails. Nothing here contacts a provider: a wrong key shows at the first
 * payment (as a `ProviderError` with status 401), not at boot.
 */
export function createProviders(options: CreateProvidersOptions): EnabledProviders {
  const { config } = options;
  const providers: EnabledProviders = {};
  if (config.test) {
    if (!options.testBank) throw new PaymentsConfigError(['the test provider is enabled but no test bank store was given']);
    providers.test = createTestProvider({
      ...options.testBank,
      webhookSecret: hmac(options.signingSecret, 'payments:test-bank-webhooks'),
      checkoutBaseUrl: `${options.publicUrl.replace(/\/+$/, '')}${TEST_CHECKOUT_PATH}`,
      clock: options.clock,
      webhookToleranceSeconds: TEST_WEBHOOK_TOLERANCE_SECONDS,
      accountId: `test-bank-${hmac(options.signingSecret, 'payments:test-bank-account').slice(0, 16)}`,
    });
  }
  if (config.stripe) providers.stripe = createStripeProvider({ ...config.stripe, clock: options.clock });
  if (config.btcpay) providers.btcpay = createBtcpayProvider(config.btcpay);
  return providers;
}
