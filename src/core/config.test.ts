import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigError, configSection, defineConfig, envBoolean, envInteger, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.databaseUrl, undefined);
    assert.match(config.dataDir, /data$/);
  });

  it('names every invalid variable in one clear error', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', DEFAULT_LANGUAGE: 'de' }),
      (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /DATABASE_URL/.test(e.message) && /DEFAULT_LANGUAGE/.test(e.message),
    );
  });

  it('treats empty variables as unset and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ SMTP_URL: '', PUBLIC_URL: 'https://videos.example.org/' });
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.publicUrl, 'https://videos.example.org');
  });
});

describe('configuration fragments', () => {
  const greeting = defineConfig(
    'greeting',
    z.object({ GREETING_LOUD: envBoolean().default(false), GREETING_TIMES: envInteger({ min: 1, max: 5 }).default(1) }),
  );

  it('validates each fragment given to loadConfig, with the core variables, into one ConfigError', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', GREETING_LOUD: 'maybe', GREETING_TIMES: '9' }, { fragments: [greeting] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^Invalid configuration: /.test(e.message) &&
        /PORT: /.test(e.message) &&
        /GREETING_LOUD: expected true\/false, 1\/0 or yes\/no/.test(e.message) &&
        /GREETING_TIMES: expected a whole number between 1 and 5/.test(e.message) &&
        e.problems.length === 3,
    );
  });

  it('serves the section validated at start, and parses one it was not given from the environment it read', () => {
    const env: NodeJS.ProcessEnv = { GREETING_LOUD: 'yes', GREETING_TIMES: '' };
    const validated = loadConfig(env, { fragments: [greeting] });
    assert.deepEqual(configSection(validated, greeting), { GREETING_LOUD: true, GREETING_TIMES: 1 }, 'an empty string counts as unset');
    assert.equal(configSection(validated, greeting), configSection(validated, greeting), 'the same value every time');

    const lazy = loadConfig(env);
    env.GREETING_LOUD = 'no';
    assert.equal(configSection(lazy, greeting).GREETING_LOUD, true, 'the environment as loadConfig saw it, not as it is now');
    assert.throws(() => configSection(loadConfig({ GREETING_TIMES: 'x' }), greeting), (e: unknown) => e instanceof ConfigError && /GREETING_TIMES/.test(e.message));
  });

  it('keeps the environment copy out of logs and JSON', () => {
    const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_secret' });
    assert.doesNotMatch(JSON.stringify(config), /sk_test_secret/);
    assert.equal(Object.keys(config).some((key) => /env/i.test(key)), false);
  });

  it('reads every boolean with one parser: true/false, 1/0, yes/no, and nothing else', () => {
    const flag = defineConfig('flag', z.object({ FLAG: envBoolean() }));
    for (const [value, expected] of [['true', true], ['1', true], ['yes', true], [' YES ', true], ['false', false], ['0', false], ['no', false]] as const) {
      assert.equal(flag.parse({ FLAG: value }).FLAG, expected, value);
    }
    for (const value of ['maybe', 'on', '2']) assert.throws(() => flag.parse({ FLAG: value }), /FLAG: expected true\/false/, value);
    assert.equal(loadConfig({ TRUST_PROXY: 'yes' }).trustProxy, true, 'the core settings use it too');
    assert.throws(() => loadConfig({ TRUST_PROXY: 'maybe' }), /TRUST_PROXY: expected true\/false/);
  });

  it('names the variable of a cross-variable problem', () => {
    assert.throws(() => loadConfig({ S3_BUCKET: 'media' }), /Invalid configuration: S3_BUCKET: needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
  });
});
