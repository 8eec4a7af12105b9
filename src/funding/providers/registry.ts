import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { hmac } from '../../core/crypto.js';
import { createBtcpayProvider } from './btcpay/provider.js';
import { createStripeProvider } from './stripe/provider.js';
import { createTestProvider, type TestProvider } from './test-provider/provider.js';
import type { TestBankStore } from './test-provider/store.js';
import type { DeliverWebhook } from './test-provider/webhooks.js';
import type { PaymentProvider } from './types.js';

/** Which rails are configured, read from the environment by `paymentsConfigFromEnv`. */
export interface PaymentsConfig {
  /** The built-in test bank: on unless `PAYMENTS_TEST_PROVIDER=false`. */
  test: boolean;
  stripe?: { secretKey: string; webhookSecret: string };
  btcpay?: { url: string; apiKey: string; storeId: string; webhookSecret: string };
}

/** The environment variables of the payment rails, for the README's configuration table. */
export const PAYMENT_ENV_VARS = [
  'PAYMENTS_TEST_PROVIDER',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'BTCPAY_URL',
  'BTCPAY_API_KEY',
  'BTCPAY_STORE_ID',
  'BTCPAY_WEBHOOK_SECRET',
] as const;

/** A payment rail is half configured or wrongly: refuse to start rather than take money wrongly. */
export class PaymentsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`payment configuration: ${problems.join('; ')}`);
    this.name = new.target.name;
  }
}

const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

const btcpayUrl = z.url().refine((value) => {
  const url = new URL(value);
  // Plain HTTP only to this machine or an onion service: the API key travels in every request.
  return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|.+\.onion)$/.test(url.hostname));
}, 'BTCPAY_URL must be an https:// URL');

/**
 * Reads the payment rails from environment variables. A rail is enabled when all its variables are
 * set; some but not all is a `PaymentsConfigError`, as is a value of the wrong shape.
 */
export function paymentsConfigFromEnv(env: Record<string, string | undefined>): PaymentsConfig {
  const problems: string[] = [];
  const testFlag = set(env['PAYMENTS_TEST_PROVIDER'])?.toLowerCase();
  if (testFlag && !['true', 'false', '1', '0', 'yes', 'no'].includes(testFlag)) problems.push('PAYMENTS_TEST_PROVIDER must be true or false');
  // Unset: on only while no real rail is configured, so a live site never accepts test cards by accident.
  const config: PaymentsConfig = { test: testFlag ? ['true', '1', 'yes'].includes(testFlag) : true };

  const group = (names: readonly string[]) => {
    const values = names.map((name) => set(env[name]));
    const missing = names.filter((_, i) => !values[i]);
    if (missing.length === names.length) return undefined;
    if (missing.length > 0) {
      problems.push(`${missing.join(', ')} missing (set all of ${names.join(', ')} or none)`);
      return undefined;
    }
    return values as string[];
  };

  const stripe = group(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
  if (stripe) {
    const [secretKey, webhookSecret] = stripe as [string, string];
    if (!/^(sk|rk)_(live|test)_\w+$/.test(secretKey)) problems.push('STRIPE_SECRET_KEY must be a secret key (sk_live_…, sk_test_…) or restricted key (rk_…)');
    if (!webhookSecret.startsWith('whsec_')) problems.push('STRIPE_WEBHOOK_SECRET must be the endpoint signing secret (whsec_…)');
    config.stripe = { secretKey, webhookSecret };
  }

  const btcpay = group(['BTCPAY_URL', 'BTCPAY_API_KEY', 'BTCPAY_STORE_ID', 'BTCPAY_WEBHOOK_SECRET']);
  if (btcpay) {
    const [url, apiKey, storeId, webhookSecret] = btcpay as [string, string, string, string];
    const checked = btcpayUrl.safeParse(url);
    if (!checked.success) problems.push('BTCPAY_URL must be an https:// URL (http:// only for localhost or .onion)');
    config.btcpay = { url, apiKey, storeId, webhookSecret };
  }

  if (problems.length > 0) throw new PaymentsConfigError(problems);
  if (!testFlag && (config.stripe || config.btcpay)) config.test = false;
  return config;
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
    });
  }
  if (config.stripe) providers.stripe = createStripeProvider({ ...config.stripe, clock: options.clock });
  if (config.btcpay) providers.btcpay = createBtcpayProvider(config.btcpay);
  return providers;
}
