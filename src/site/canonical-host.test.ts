import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestSite, type TestSite } from '../../test/support/harness.js';

describe('the site answers under any address by sending browsers to PUBLIC_URL', () => {
  let site: TestSite;
  let direct: TestSite;
  before(async () => {
    site = await createTestSite({ env: { PUBLIC_URL: 'http://localhost:3000', TRUST_PROXY: 'false' } });
    direct = await createTestSite({ env: { PUBLIC_URL: 'http://localhost:3000', TRUST_PROXY: 'false', CANONICAL_REDIRECT: 'false' } });
  });
  after(async () => {
    await site?.close();
    await direct?.close();
  });
  const get = (s: TestSite, path: string, headers: Record<string, string>, method = 'GET') => s.app.request(`http://x${path}`, { method, headers, redirect: 'manual' });

  it('should answer a page asked by 127.0.0.1 with one 308 to the same path and query on the canonical host', async () => {
    const res = await get(site, '/c/camille?page=2', { host: '127.0.0.1:3000' });
    assert.equal(res.status, 308);
    assert.equal(res.headers.get('location'), 'http://localhost:3000/c/camille?page=2');
  });

  it('should serve the canonical host itself without a redirect', async () => {
    const res = await get(site, '/login', { host: 'LOCALHOST:3000' });
    assert.notEqual(res.status, 308);
  });

  it('should leave health checks, WebFinger and unsafe methods (signed inboxes, webhooks, forms) alone', async () => {
    assert.equal((await get(site, '/healthz', { host: '10.0.0.5:3000' })).status, 200);
    assert.notEqual((await get(site, '/.well-known/nodeinfo', { host: '10.0.0.5:3000' })).status, 308);
    assert.notEqual((await get(site, '/webhooks/test', { host: '10.0.0.5:3000' }, 'POST')).status, 308);
  });

  it('should read the address from X-Forwarded-Host behind a trusted proxy, and never redirect without it', async () => {
    const proxied = await createTestSite({ env: { PUBLIC_URL: 'https://films.example', TRUST_PROXY: 'true' } });
    try {
      assert.notEqual((await get(proxied, '/login', { host: '127.0.0.1:3000' })).status, 308, 'the proxy did not say: no loop');
      const res = await get(proxied, '/login?x=1', { host: '127.0.0.1:3000', 'x-forwarded-host': 'www.films.example' });
      assert.equal(res.status, 308);
      assert.equal(res.headers.get('location'), 'https://films.example/login?x=1');
      assert.notEqual((await get(proxied, '/login', { host: '127.0.0.1:3000', 'x-forwarded-host': 'films.example' })).status, 308);
    } finally {
      await proxied.close();
    }
  });

  it('should let CANONICAL_REDIRECT=false turn it off', async () => {
    assert.notEqual((await get(direct, '/login', { host: '127.0.0.1:3000' })).status, 308);
  });
});
