import { z } from 'zod';
import { defineConfig, envBoolean } from '../../core/config.js';
import type { PaymentsConfig } from './registry.js';

/** A set variable, trimmed; blank counts as unset. */
const text = z.string().trim().optional().transform((v) => v || undefined);

const STRIPE = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
const BTCPAY = ['BTCPAY_URL', 'BTCPAY_API_KEY', 'BTCPAY_STORE_ID', 'BTCPAY_WEBHOOK_SECRET'] as const;

/** Plain HTTP only to this machine or an onion service: the API key travels in every request. */
function isBtcpayUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|.+\.onion)$/.test(url.hostname));
}

const schema = z
  .object({
    PAYMENTS_TEST_PROVIDER: envBoolean().optional(),
    STRIPE_SECRET_KEY: text,
    STRIPE_WEBHOOK_SECRET: text,
    BTCPAY_URL: text,
    BTCPAY_API_KEY: text,
    BTCPAY_STORE_ID: text,
    BTCPAY_WEBHOOK_SECRET: text,
  })
  .superRefine((e, ctx) => {
    // A rail is on when all its variables are set; some but not all is a mistake, never a silent "off".
    for (const names of [STRIPE, BTCPAY]) {
      const missing = names.filter((name) => !e[name]);
      if (missing.length > 0 && missing.length < names.length) {
        ctx.addIssue({ code: 'custom', path: [], message: `${missing.join(', ')} missing (set all of ${names.join(', ')} or none)` });
      }
    }
    if (e.STRIPE_SECRET_KEY && !/^(sk|rk)_(live|test)_\w+$/.test(e.STRIPE_SECRET_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'expected a secret key (sk_live_…, sk_test_…) or restricted key (rk_…)' });
    }
    if (e.STRIPE_WEBHOOK_SECRET && !e.STRIPE_WEBHOOK_SECRET.startsWith('whsec_')) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'expected the endpoint signing secret (whsec_…)' });
    }
    if (e.BTCPAY_URL && !isBtcpayUrl(e.BTCPAY_URL)) {
      ctx.addIssue({ code: 'custom', path: ['BTCPAY_URL'], message: 'expected an https:// URL (http:// only for localhost or .onion)' });
    }
  })
  .transform((e): PaymentsConfig => {
    const stripe = e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET } : undefined;
    const btcpay =
      e.BTCPAY_URL && e.BTCPAY_API_KEY && e.BTCPAY_STORE_ID && e.BTCPAY_WEBHOOK_SECRET
        ? { url: e.BTCPAY_URL, apiKey: e.BTCPAY_API_KEY, storeId: e.BTCPAY_STORE_ID, webhookSecret: e.BTCPAY_WEBHOOK_SECRET }
        : undefined;
    // Unset: on only while no real rail is configured, so a live site never accepts test cards by accident.
    const config: PaymentsConfig = { test: e.PAYMENTS_TEST_PROVIDER ?? !(stripe || btcpay) };
    if (stripe) config.stripe = stripe;
    if (btcpay) config.btcpay = btcpay;
    return config;
  });

/**
 * The payment rails (PAYMENTS_TEST_PROVIDER, STRIPE_*, BTCPAY_*): a rail is enabled when all its
 * variables are set; some but not all, or a value of the wrong shape, is a ConfigError at start.
 * Read through `configSection(deps.config, paymentsConfig)`.
 */
export const paymentsConfig = defineConfig<PaymentsConfig>('payments', schema);
