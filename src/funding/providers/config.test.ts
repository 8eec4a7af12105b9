import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { systemClock } from '../../core/clock.js';
import { ConfigError, configSection, loadConfig } from '../../core/config.js';
import type { Db } from '../../core/db/index.js';
import type { AppDeps } from '../../core/deps.js';
import { silentEventBus } from '../../core/events/index.js';
import { createMailer } from '../../core/mail/index.js';
import { createLocalStorage } from '../../core/storage/index.js';
import { federationConfig } from '../../federation/config.js';
import { createPaymentServices } from '../payments/services.js';
import { paymentsConfig } from './config.js';

const stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
const btcpayEnv = { BTCPAY_URL: 'https://pay.example.org', BTCPAY_API_KEY: 'key', BTCPAY_STORE_ID: 'STORE', BTCPAY_WEBHOOK_SECRET: 'secret' };

/** loadConfig refuses `env` with one ConfigError whose message names every variable of `variables`. */
function rejects(env: Record<string, string>, ...variables: string[]): void {
  assert.throws(
    () => loadConfig(env, { fragments: [paymentsConfig] }),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith('Invalid configuration: ') && variables.every((v) => e.message.includes(v)),
    variables.join(', '),
  );
}

describe('payment configuration (paymentsConfig)', () => {
  it('enables only the test bank when nothing is configured', () => {
    assert.deepEqual(configSection(loadConfig({}, { fragments: [paymentsConfig] }), paymentsConfig), { test: true });
    assert.deepEqual(paymentsConfig.parse({ STRIPE_SECRET_KEY: '', BTCPAY_URL: '  ' }), { test: true }, 'empty and blank count as unset');
  });

  it('enables a rail when all its variables are set, and then turns the test bank off unless asked', () => {
    assert.deepEqual(paymentsConfig.parse({ ...stripeEnv, ...btcpayEnv }), {
      test: false,
      stripe: { secretKey: 'sk_test_abc123', webhookSecret: 'whsec_abc' },
      btcpay: { url: 'https://pay.example.org', apiKey: 'key', storeId: 'STORE', webhookSecret: 'secret' },
    });
    assert.equal(paymentsConfig.parse({ ...stripeEnv, PAYMENTS_TEST_PROVIDER: 'yes' }).test, true);
    assert.equal(paymentsConfig.parse({ PAYMENTS_TEST_PROVIDER: '0' }).test, false);
    assert.equal(paymentsConfig.parse({ ...btcpayEnv, BTCPAY_URL: 'http://127.0.0.1:23000' }).btcpay?.url, 'http://127.0.0.1:23000', 'plain HTTP to this machine');
    assert.equal(paymentsConfig.parse({ ...btcpayEnv, BTCPAY_URL: 'http://pay.abcdef.onion' }).btcpay?.url, 'http://pay.abcdef.onion', 'plain HTTP to an onion service');
  });

  it('refuses STRIPE_SECRET_KEY=bad (and a publishable key), naming it', () => {
    rejects({ ...stripeEnv, STRIPE_SECRET_KEY: 'bad' }, 'STRIPE_SECRET_KEY: expected a secret key');
    rejects({ ...stripeEnv, STRIPE_SECRET_KEY: 'pk_live_public' }, 'STRIPE_SECRET_KEY: ');
    rejects({ ...stripeEnv, STRIPE_WEBHOOK_SECRET: 'abc' }, 'STRIPE_WEBHOOK_SECRET: expected the endpoint signing secret');
  });

  it('refuses BTCPAY_URL=not-a-url and plain HTTP to another machine, naming it', () => {
    rejects({ ...btcpayEnv, BTCPAY_URL: 'not-a-url' }, 'BTCPAY_URL: expected an https:// URL');
    rejects({ ...btcpayEnv, BTCPAY_URL: 'http://pay.example.org' }, 'BTCPAY_URL: ');
  });

  it('refuses half a rail, naming what is missing', () => {
    rejects({ STRIPE_SECRET_KEY: 'sk_live_abc' }, 'STRIPE_WEBHOOK_SECRET missing');
    rejects({ STRIPE_WEBHOOK_SECRET: 'whsec_abc' }, 'STRIPE_SECRET_KEY missing');
    rejects({ BTCPAY_URL: 'https://pay.example.org' }, 'BTCPAY_API_KEY, BTCPAY_STORE_ID, BTCPAY_WEBHOOK_SECRET missing');
  });

  it('refuses PAYMENTS_TEST_PROVIDER=maybe, naming it', () => {
    rejects({ PAYMENTS_TEST_PROVIDER: 'maybe' }, 'PAYMENTS_TEST_PROVIDER: expected true/false');
  });

  it('reports payment and federation problems together, in one error', () => {
    assert.throws(
      () => loadConfig({ FEDERATION_RECONCILE_SECONDS: 'abc', STRIPE_SECRET_KEY: 'bad', BTCPAY_URL: 'not-a-url' }, { fragments: [federationConfig, paymentsConfig] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        ['FEDERATION_RECONCILE_SECONDS: ', 'STRIPE_SECRET_KEY: ', 'STRIPE_WEBHOOK_SECRET missing', 'BTCPAY_URL: '].every((part) => e.message.includes(part)),
    );
  });

  it('is where createPaymentServices takes its rails from (deps.config), not the process environment', () => {
    const depsFor = (env: Record<string, string>): AppDeps => {
      const config = loadConfig({ DATA_DIR: '/tmp/fanfare-payments-config-unused', ...env }, { fragments: [paymentsConfig] });
      const log = pino({ level: 'silent' });
      return {
        config,
        // Building the rails touches no table.
        db: new Proxy({}, {
          get(_target, property) {
            throw new Error(`the database (${String(property)}) is not used while building the rails`);
          },
        }) as Db,
        log,
        clock: systemClock,
        events: silentEventBus,
        mailer: createMailer({ from: config.mailFrom, outboxDir: '/tmp/fanfare-payments-config-unused/outbox', log }),
        storage: createLocalStorage('/tmp/fanfare-payments-config-unused/media'),
        signingSecret: 'test-signing-secret-that-is-long-enough-0123456789',
      };
    };
    assert.deepEqual(createPaymentServices(depsFor({ ...stripeEnv, ...btcpayEnv })).enabled, ['stripe', 'btcpay']);
    assert.deepEqual(createPaymentServices(depsFor({})).enabled, ['test']);
  });
});
