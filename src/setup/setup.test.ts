import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, type TestSite } from '../../test/support/harness.js';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function countRows(site: TestSite, table: string): Promise<number> {
  const rows = await site.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

function mediaFiles(site: TestSite): string[] {
  try {
    return readdirSync(path.join(site.dir, 'media', 'avatars'));
  } catch {
    return [];
  }
}

function multipart(fields: Record<string, string>, avatar?: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (avatar) form.set('avatar', new File([avatar.bytes], avatar.name, { type: avatar.type }));
  return form;
}

describe('first-run setup', () => {
  let site: TestSite;
  before(async () => {
    site = await createTestSite();
  });
  after(() => site.close());

  it('sends every page to /setup before the site is set up', async () => {
    const client = new TestClient(site.app);
    const { res } = await client.get('/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/setup');
  });

  it('shows the setup form in the browser language', async () => {
    const client = new TestClient(site.app, { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
    const { res, html } = await client.get('/setup');
    assert.equal(res.status, 200);
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Configurer votre site/);
  });

  it('refuses a form with missing and malformed fields, keeps what was typed, and creates nothing', async () => {
    const client = new TestClient(site.app);
    const { res, html } = await client.post('/setup', setupFields({ email: 'not-an-email', handle: 'No Spaces!', channel_name: '' }));
    assert.equal(res.status, 422);
    assert.match(html, /Enter a valid e-mail address/);
    assert.match(html, /Use 2 to 30 characters/);
    assert.match(html, /This field is required/);
    assert.match(html, /value="not-an-email"/, 'the typed value is shown again');
    assert.equal(await countRows(site, 'users'), 0);
    assert.equal(await countRows(site, 'channels'), 0);
  });

  it('refuses a too-short password and an unknown language', async () => {
    const client = new TestClient(site.app);
    const { res, html } = await client.post('/setup', setupFields({ password: 'short', channel_language: 'de' }));
    assert.equal(res.status, 422);
    assert.match(html, /at least 10 characters/);
    assert.match(html, /Choose English or French/);
  });

  it('refuses an avatar that is not an image and leaves no file behind', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const form = multipart(setupFields(), { bytes: new Uint8Array(Buffer.from('hello, I am text pretending')), name: 'a.png', type: 'image/png' });
    const { res, html } = await client.postMultipart('/setup', form);
    assert.equal(res.status, 422);
    assert.match(html, /not a PNG, JPEG, GIF or WebP image/);
    assert.deepEqual(mediaFiles(site), []);
    assert.equal(await countRows(site, 'users'), 0);
  });

  it('refuses a post without a CSRF token', async () => {
    const client = new TestClient(site.app);
    await client.get('/setup');
    const { res, html } = await client.post('/setup', setupFields(), { csrf: false });
    assert.equal(res.status, 403);
    assert.match(html, /This form has expired/);
  });

  it('refuses a JSON body with a clear 415', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const res = await client.request('/setup', {
      method: 'POST',
      body: JSON.stringify(setupFields()),
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf },
    });
    assert.equal(res.status, 415);
    assert.match(await res.text(), /expects a form submission/);
  });

  it('refuses an oversized body with 413', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const big = new Uint8Array(4 * 1024 * 1024);
    const { res, html } = await client.postMultipart('/setup', multipart(setupFields(), { bytes: big, name: 'big.png', type: 'image/png' }));
    assert.equal(res.status, 413);
    assert.match(html, /too large/);
    assert.equal(await countRows(site, 'users'), 0);
  });

  it('creates the owner, the first channel with its avatar, and logs the owner in', async () => {
    const client = new TestClient(site.app, { 'accept-language': 'fr' });
    await client.loadCsrf();
    const { res } = await client.postMultipart('/setup', multipart(setupFields(), { bytes: new Uint8Array(PNG_1x1), name: 'me.png', type: 'image/png' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/studio?notice=setup_done');
    const studio = await client.get('/studio?notice=setup_done');
    assert.equal(studio.res.status, 200);
    assert.match(studio.html, /Votre site est prêt/, 'the owner keeps the language the setup form was shown in');
    const [owner] = await site.deps.db.query<{ site_role: string; email_verified_at: Date | null }>('SELECT site_role, email_verified_at FROM users');
    assert.equal(owner!.site_role, 'owner');
    assert.ok(owner!.email_verified_at);
    const [channel] = await site.deps.db.query<{ handle: string; avatar_key: string }>('SELECT handle, avatar_key FROM channels');
    assert.equal(channel!.handle, 'camille');
    assert.match(channel!.avatar_key, /^avatars\/[0-9a-f-]{36}\.png$/);
    const avatar = await client.request(`/media/${channel!.avatar_key}`);
    assert.equal(avatar.status, 200);
    assert.equal(avatar.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await avatar.arrayBuffer()), new Uint8Array(PNG_1x1));
  });

  it('refuses a second setup, on the form and on submit', async () => {
    const client = new TestClient(site.app);
    const { res, html } = await client.get('/setup');
    assert.equal(res.status, 409);
    assert.match(html, /already set up/);
    await client.loadCsrf();
    const second = await client.post('/setup', setupFields({ email: 'intruder@example.org', handle: 'intruder' }));
    assert.equal(second.res.status, 409);
    assert.equal(await countRows(site, 'users'), 1);
  });

  it('opens the home page on the channel once set up', async () => {
    const client = new TestClient(site.app);
    const { res, html } = await client.get('/');
    assert.equal(res.status, 200);
    assert.match(html, /Camille fait des films/);
    assert.match(html, /<main id="main"/);
  });
});

describe('two setups at the same instant', () => {
  it('lets exactly one win', async () => {
    const site = await createTestSite();
    try {
      const a = new TestClient(site.app);
      const b = new TestClient(site.app);
      await a.loadCsrf();
      await b.loadCsrf();
      const [ra, rb] = await Promise.all([
        a.post('/setup', setupFields({ email: 'a@example.org', handle: 'aaa' })),
        b.post('/setup', setupFields({ email: 'b@example.org', handle: 'bbb' })),
      ]);
      assert.deepEqual([ra.res.status, rb.res.status].sort(), [303, 409]);
      assert.equal(await countRows(site, 'users'), 1);
      assert.equal(await countRows(site, 'channels'), 1);
    } finally {
      await site.close();
    }
  });
});
