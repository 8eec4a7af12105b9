import { configSection } from '../../core/config.js';
import type { AppDeps } from '../../core/deps.js';
import { enqueue } from '../../core/jobs/index.js';
import {
  createProviders,
  createSqlTestBankStore,
  type EnabledProviders,
  type PaymentProvider,
  type ProviderId,
} from '../providers/index.js';
import { paymentsConfig } from '../providers/config.js';

/** The job that hands a test-bank webhook to the site, later (like a real provider would). */
export const TEST_WEBHOOK_JOB = 'payments.test_webhook';

export interface PaymentServices {
  providers: EnabledProviders;
  /** The rails a fan can choose, in the order pages list them. */
  enabled: ProviderId[];
  get(id: string): PaymentProvider | undefined;
}

/**
 * Builds the payment rails from the site's configuration: `configSection(deps.config, paymentsConfig)`
 * (see README: STRIPE_*, BTCPAY_*, PAYMENTS_TEST_PROVIDER; a bad value is a ConfigError).
 * The test bank keeps its books in SQL and sends its webhooks through the job queue, so they arrive
 * after the request that caused them, may be retried, and survive a restart.
 */
export function createPaymentServices(deps: AppDeps): PaymentServices {
  const providers = createProviders({
    config: configSection(deps.config, paymentsConfig),
    publicUrl: deps.config.publicUrl,
    signingSecret: deps.signingSecret,
    clock: deps.clock,
    testBank: {
      store: createSqlTestBankStore(deps.db),
      deliver: async (delivery) => {
        await enqueue(deps.db, { type: TEST_WEBHOOK_JOB, payload: delivery, runAt: delivery.notBefore, maxAttempts: 10 }, deps.clock);
      },
    },
  });
  const enabled = (['stripe', 'btcpay', 'test'] as const).filter((id) => providers[id]);
  return { providers, enabled, get: (id) => (enabled as string[]).includes(id) ? providers[id as ProviderId] : undefined };
}
