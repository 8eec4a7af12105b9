import { createManualClock } from '../../../src/core/clock.js';
import { createMemoryTestBankStore } from '../../fakes/test-bank-memory-store.js';
import { createTestProvider, type CreateTestProviderOptions, type TestProvider } from '../../../src/funding/providers/test-provider/provider.js';
import type { TestBankStore } from '../../../src/funding/providers/test-provider/store.js';
import type { TestWebhookDelivery } from '../../../src/funding/providers/test-provider/webhooks.js';
import type { CreateCheckoutInput, PaymentEvent } from '../../../src/funding/providers/types.js';
import { createWebhookRecorder, type WebhookRecorder } from './webhook-recorder.js';

/** A test bank wired for unit tests: memory store, recorded webhooks, a clock the test moves. */
export interface TestBankFixture {
  provider: TestProvider;
  store: TestBankStore;
  webhooks: WebhookRecorder;
  clock: ReturnType<typeof createManualClock>;
  /** Another provider on the same store and secret: the site after a restart. */
  restart(): TestProvider;
  /** Verifies deliveries with the provider, as the app's webhook job would. */
  verify(deliveries: readonly TestWebhookDelivery[], provider?: TestProvider): Promise<PaymentEvent[]>;
  /** Verifies and empties what is due now. */
  receive(): Promise<PaymentEvent[]>;
}

/** The webhook secret and page URL every fixture's test bank uses. */
export const TEST_WEBHOOK_SECRET = 'whsec_test_bank_for_tests_only';
export const TEST_CHECKOUT_BASE = 'https://videos.example.org/pay/test';

/** Builds a fresh test bank; `overrides` change any provider option. */
export function createTestBankFixture(overrides: Partial<CreateTestProviderOptions> = {}): TestBankFixture {
  const store = overrides.store ?? createMemoryTestBankStore();
  const webhooks = createWebhookRecorder();
  const clock = createManualClock(new Date('2026-03-01T10:00:00Z'));
  const options: CreateTestProviderOptions = {
    store,
    deliver: (d) => webhooks.deliver(d),
    webhookSecret: TEST_WEBHOOK_SECRET,
    checkoutBaseUrl: TEST_CHECKOUT_BASE,
    clock,
    ...overrides,
  };
  const provider = createTestProvider(options);
  const fixture: TestBankFixture = {
    provider,
    store,
    webhooks,
    clock,
    restart: () => createTestProvider(options),
    async verify(deliveries, by = provider) {
      const events: PaymentEvent[] = [];
      for (const d of deliveries) events.push(...(await by.verifyWebhook(d.body, new Headers(d.headers))));
      return events;
    },
    receive: () => fixture.verify(webhooks.take(clock.now())),
  };
  return fixture;
}

/** A valid checkout request; `overrides` change any field. */
export function checkoutInput(overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  return {
    amount: 1000,
    currency: 'EUR',
    description: 'Membership: Supporter (March)',
    idempotencyKey: `checkout-${Math.random().toString(36).slice(2)}`,
    successUrl: 'https://videos.example.org/support/thanks?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'https://videos.example.org/support',
    metadata: { paymentId: 'pay_1' },
    ...overrides,
  };
}

/** Card fields as a fan types them. */
export function card(number: string, overrides: { expiry?: string; cvc?: string } = {}) {
  return { number, expiry: overrides.expiry ?? '12/34', cvc: overrides.cvc ?? '123' };
}
