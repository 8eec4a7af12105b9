import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryTestBankStore } from '../../../test/fakes/test-bank-memory-store.js';
import { createWebhookRecorder } from '../../../test/support/funding/webhook-recorder.js';
import { paymentsConfig } from './config.js';
import { createProviders, PaymentsConfigError } from './registry.js';

const stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
const btcpayEnv = { BTCPAY_URL: 'https://pay.example.org', BTCPAY_API_KEY: 'key', BTCPAY_STORE_ID: 'STORE', BTCPAY_WEBHOOK_SECRET: 'secret' };
const testBank = () => ({ store: createMemoryTestBankStore(), deliver: createWebhookRecorder().deliver });
const base = { publicUrl: 'https://videos.example.org/', signingSecret: 'x'.repeat(32) };

describe('payment providers registry', () => {
  it('enables only the test bank when nothing is configured', () => {
    const config = paymentsConfig.parse({});
    assert.deepEqual(config, { test: true });
    const providers = createProviders({ ...base, config, testBank: testBank() });
    assert.deepEqual(Object.keys(providers), ['test']);
    assert.equal(providers.test?.livemode, false);
  });

  it('puts the test bank pages under /pay/test of the public URL', async () => {
    const providers = createProviders({ ...base, config: { test: true }, testBank: testBank() });
    const session = await providers.test!.createCheckout({
      amount: 500,
      currency: 'EUR',
      description: 'Tip',
      idempotencyKey: 'k',
      successUrl: 'https://videos.example.org/ok',
      cancelUrl: 'https://videos.example.org/',
      metadata: {},
    });
    assert.equal(session.redirectUrl, `https://videos.example.org/pay/test/${session.providerRef}`);
  });

  it('enables Stripe and BTCPay when all their variables are set', () => {
    const config = paymentsConfig.parse({ ...stripeEnv, ...btcpayEnv, PAYMENTS_TEST_PROVIDER: 'false' });
    const providers = createProviders({ ...base, config });
    assert.deepEqual(Object.keys(providers).sort(), ['btcpay', 'stripe']);
    assert.equal(providers.stripe?.livemode, false, 'an sk_test_ key moves no real money');
    assert.deepEqual(providers.btcpay?.capabilities, { savedPaymentMethods: false, refunds: false, setupWithoutCharge: false });
  });

  // What a bad or half-set variable does is tested with the fragment, in config.test.ts.

  it('needs the test bank store when the test bank is on', () => {
    assert.throws(() => createProviders({ ...base, config: { test: true } }), PaymentsConfigError);
  });
});
