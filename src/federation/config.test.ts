import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { systemClock } from '../core/clock.js';
import { ConfigError, configSection, loadConfig } from '../core/config.js';
import type { Db } from '../core/db/index.js';
import type { AppDeps } from '../core/deps.js';
import { silentEventBus } from '../core/events/index.js';
import { createMailer } from '../core/mail/index.js';
import { createLocalStorage } from '../core/storage/index.js';
import { federationConfig } from './config.js';
import { createFederationServices } from './federation.js';
import { resolveOptionsFrom } from './recommendations/studio-routes.js';

const rejects = (env: Record<string, string>, variable: string) =>
  assert.throws(
    () => loadConfig(env, { fragments: [federationConfig] }),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith('Invalid configuration: ') && e.message.includes(`${variable}: `),
  );

describe('federation configuration (federationConfig)', () => {
  // Building the services touches no table; any use of the database here is a bug of the test.
  const db = new Proxy({}, {
    get(_target, property) {
      throw new Error(`the database (${String(property)}) is not used while building federation services`);
    },
  }) as Db;

  const depsFor = (env: Record<string, string>): AppDeps => {
    const config = loadConfig({ DATA_DIR: '/tmp/fanfare-federation-config-unused', ...env }, { fragments: [federationConfig] });
    const log = pino({ level: 'silent' });
    return {
      config,
      db,
      log,
      clock: systemClock,
      events: silentEventBus,
      mailer: createMailer({ from: config.mailFrom, outboxDir: '/tmp/fanfare-federation-config-unused/outbox', log }),
      storage: createLocalStorage('/tmp/fanfare-federation-config-unused/media'),
      signingSecret: 'test-signing-secret-that-is-long-enough-0123456789',
    };
  };

  it('keeps private addresses closed and reconciles every 300 s by default', () => {
    assert.deepEqual(configSection(loadConfig({}), federationConfig), { allowPrivateAddress: false, reconcileIntervalMs: 300_000 });
  });

  it('gives federation and recommendations the same answer for FEDERATION_ALLOW_PRIVATE_ADDRESSES=1', () => {
    const deps = depsFor({ FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1' });
    assert.equal(createFederationServices(deps).limits.allowPrivateAddress, true, 'federation');
    assert.equal(resolveOptionsFrom({}, configSection(deps.config, federationConfig)).fetch?.allowPrivateAddresses, true, 'recommendations');
    for (const off of ['0', 'false', 'no']) {
      const closed = depsFor({ FEDERATION_ALLOW_PRIVATE_ADDRESSES: off });
      assert.equal(createFederationServices(closed).limits.allowPrivateAddress, false, off);
      assert.equal(resolveOptionsFrom({}, configSection(closed.config, federationConfig)).fetch?.allowPrivateAddresses, false, off);
    }
  });

  it('refuses FEDERATION_ALLOW_PRIVATE_ADDRESSES=maybe, naming it', () => {
    rejects({ FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'maybe' }, 'FEDERATION_ALLOW_PRIVATE_ADDRESSES');
  });

  it('reads FEDERATION_RECONCILE_SECONDS as whole seconds between 1 and a day', () => {
    const deps = depsFor({ FEDERATION_RECONCILE_SECONDS: '60' });
    assert.equal(createFederationServices(deps).settings.reconcileIntervalMs, 60_000);
    for (const bad of ['abc', '0', '1.5', '-5', '86401', '5m']) rejects({ FEDERATION_RECONCILE_SECONDS: bad }, 'FEDERATION_RECONCILE_SECONDS');
  });
});
