import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

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
