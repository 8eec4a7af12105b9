import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { pino } from 'pino';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createTestSite, type TestSite } from '../../../test/support/harness.js';
import type { AppEnv } from './context.js';
import { createErrorHandler } from './error-handler.js';

describe('HTTP security', () => {
  let site: TestSite;
  before(async () => {
    // Plenty of disk, whatever the machine running the tests has.
    site = await createTestSite({ env: { PUBLIC_URL: 'https://videos.example.org' }, services: { diskSpace: async () => ({ freeBytes: 50 * 1024 ** 3, totalBytes: 100 * 1024 ** 3, low: false }) } });
    await new TestClient(site.app).post('/setup', setupFields());
  });
  after(() => site.close());

  it('sets Secure, HttpOnly, SameSite=Lax, __Host- cookies over HTTPS', async () => {
    const client = new TestClient(site.app);
    const { res } = await client.post('/login', { email: 'camille@example.org', password: 'correct horse battery' });
    assert.equal(res.status, 303);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('__Host-ff_session='));
    assert.ok(session, cookies.join('\n'));
    assert.match(session!, /; HttpOnly/);
    assert.match(session!, /; Secure/);
    assert.match(session!, /; SameSite=Lax/);
    assert.match(session!, /; Path=\//);
  });

  it('sends security headers: CSP, nosniff, frame denial, HSTS over HTTPS', async () => {
    const { res } = await new TestClient(site.app).get('/');
    assert.match(res.headers.get('content-security-policy')!, /default-src 'self'/);
    assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('strict-transport-security')!, /max-age=/);
  });

  it('refuses a form posted from another origin even with a valid token', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const { res } = await client.post('/login', { email: 'a@example.org' }, { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
  });

  it('refuses a token that belongs to another browser', async () => {
    const a = new TestClient(site.app);
    const b = new TestClient(site.app);
    await a.loadCsrf();
    await b.loadCsrf();
    b.csrf = a.csrf;
    const { res } = await b.post('/login', { email: 'a@example.org' });
    assert.equal(res.status, 403);
  });

  it('escapes user text in pages', async () => {
    const client = new TestClient(site.app);
    const { html } = await client.post('/signup', { email: 'x@example.org', display_name: '<script>alert(1)</script>', password: 'short' });
    assert.doesNotMatch(html, /<script>alert\(1\)<\/script>/);
    assert.match(html, /&lt;script&gt;/);
  });

  it('puts no inline style on its pages, which the CSP (style-src \'self\') would block: the avatar placeholder uses classes', async () => {
    for (const page of ['/', '/c/camille', '/c/camille/about']) {
      const { res, html } = await new TestClient(site.app).get(page);
      assert.equal(res.status, 200, page);
      assert.doesNotMatch(res.headers.get('content-security-policy')!, /unsafe-inline/);
      assert.doesNotMatch(html, /\sstyle=/, `${page} carries an inline style`);
    }
    const { html } = await new TestClient(site.app).get('/c/camille');
    assert.match(html, /class="avatar avatar-placeholder avatar-96"/);
  });

  it('answers API-style clients with JSON errors', async () => {
    const res = await new TestClient(site.app).request('/nowhere', { headers: { accept: 'application/json' } });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.equal(body.error.message, 'This page does not exist.');
  });

  it('reports the health of the database on /healthz', async () => {
    const res = await site.app.request('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', database: site.deps.db.engine, disk: { freeBytes: 50 * 1024 ** 3, totalBytes: 100 * 1024 ** 3, low: false } });
  });

  it('answers a malformed multipart body with 400, not 500', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const res = await client.request('/signup', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ', 'x-csrf-token': client.csrf },
      body: '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nbroken',
    });
    assert.ok(res.status === 400, `status ${res.status}`);
  });
});

describe('unexpected errors', () => {
  it('are logged with their stack but answered with a plain 500 that reveals nothing', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (l: string) => lines.push(l) });
    const app = new Hono<AppEnv>();
    app.get('/boom', () => {
      throw new Error('secret internals at /srv/app.ts:42');
    });
    app.onError(createErrorHandler({ log, defaultLocale: 'fr', maxBodyBytes: 1 }));
    const res = await app.request('/boom', { headers: { 'accept-language': 'fr' } });
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.doesNotMatch(html, /secret internals|app\.ts/);
    assert.match(html, /Une erreur inattendue/);
    assert.match(lines.join(''), /secret internals/);
  });
});
