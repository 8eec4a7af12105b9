/**
 * Payments: the rails (test bank, Stripe, BTCPay), payment rows, provider webhooks applied exactly once,
 * and the registry of purposes (tip, membership…) that other funding capabilities fill through the
 * `payments.purposes` slot. See ../CONTEXT.md for the words of money.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../core/http/context.js';
import { defineCapability, type BuildContext } from '../../core/module.js';
import { LEDGER_SELF_CHECK_INTERVAL_MS, LEDGER_SELF_CHECK_JOB, ledgerSelfCheckJob } from '../ledger/index.js';
import { paymentsConfig } from '../providers/config.js';
import { TEST_CHECKOUT_PATH, testCheckoutRoutes } from '../providers/index.js';
import type { PurposeRegistry } from './events.js';
import { en, fr } from './messages.js';
import { testWebhookJob, webhookRoutes } from './routes.js';
import { createPaymentServices, TEST_WEBHOOK_JOB, type PaymentServices } from './services.js';
import { UNDELIVERABLE_REFUND_JOB, undeliverableRefundJob } from './refunds.js';

export { applyChargeResult, applyPaymentEvents, type PaymentPurposeHandlers, type PurposeRegistry, type Undeliverable } from './events.js';
export type { PaymentPurpose, PaymentRow, PaymentStatus } from './queries.js';
/** Payment rows, for the funding models that start charges themselves (renewals, the fan budget, campaigns). */
export { findPayment, findPaymentByKey, insertPayment, setCheckoutRef as setPaymentCheckoutRef, setStatus as setPaymentStatus } from './queries.js';
export { openPaymentCheckout } from './checkout.js';
export { dismissPaymentNotice, PaymentNotices, paymentNoticesFor } from './notices.js';
export { UNDELIVERABLE_REFUND_JOB } from './refunds.js';
export { createPaymentServices, TEST_WEBHOOK_JOB, type PaymentServices } from './services.js';

declare module '../../core/module.js' {
  interface SiteServices {
    /** The payment rails enabled on this site. */
    payments: PaymentServices;
  }
  interface Slots {
    /** What a purpose does when its payment succeeds, fails or is reversed (tips, memberships…). */
    'payments.purposes': PurposeRegistry;
  }
}

/** Every purpose's handlers, merged from the slot. */
export function purposesOf(ctx: BuildContext): PurposeRegistry {
  return Object.assign({}, ...ctx.fill('payments.purposes')) as PurposeRegistry;
}

export const paymentsCapability = defineCapability({
  name: 'payments',
  messages: { en, fr },
  config: paymentsConfig,
  services: (ctx) => ({ payments: createPaymentServices(ctx.deps) }),
  routes: [
    { area: 'webhook', path: '/', build: (ctx) => webhookRoutes(ctx.deps, ctx.services.payments, purposesOf(ctx)) },
    {
      area: 'public',
      path: TEST_CHECKOUT_PATH,
      build: (ctx) => {
        const bank = ctx.services.payments.providers.test;
        return bank ? testCheckoutRoutes({ provider: bank }) : new Hono<AppEnv>();
      },
    },
  ],
  contributes: {
    // Real money needs Stripe or BTCPay Server (configured on the server: see the README); the test bank moves none.
    'studio.first-steps': (ctx) => [
      { label: 'studio.step_provider', href: (h) => `/studio/channels/${h}/revenue`, order: 40, done: async () => ctx.services.payments.enabled.some((id) => id !== 'test') },
    ],
  },
  jobs: (ctx) => ({
    [TEST_WEBHOOK_JOB]: testWebhookJob(ctx.deps, ctx.services.payments, purposesOf(ctx)),
    [UNDELIVERABLE_REFUND_JOB]: undeliverableRefundJob(ctx.deps, ctx.services.payments),
    [LEDGER_SELF_CHECK_JOB]: ledgerSelfCheckJob(ctx.deps),
  }),
  // Liberapay's self-checks: the ledger's invariants, every hour, findings logged loudly and shown in the Studio.
  recurring: [{ type: LEDGER_SELF_CHECK_JOB, everySeconds: () => LEDGER_SELF_CHECK_INTERVAL_MS / 1000 }],
  tables: {
    ledger_accounts: { export: 'rows', scope: 'channel', match: ['code'] },
    ledger_transactions: { export: 'rows', scope: 'channel' },
    ledger_postings: { export: 'rows', scope: 'channel' },
    payments: { export: 'rows', scope: 'channel', note: "the provider's references only, never card data" },
    provider_events: { export: 'none', why: 'webhook deduplication of this server; the ledger keeps what they applied' },
    payment_notices: { export: 'none', why: "what this server did on its own (automatic refunds, refused webhooks); the ledger keeps the money" },
    ledger_checks: { export: 'none', why: "this server's self-check log; the new site checks its own ledger" },
    test_bank_objects: { export: 'none', why: 'the built-in test bank holds no real money' },
  },
});
