// Issue 9, enumeration: POST /signup with a password answered fast for an existing address and slow for
// a new one (argon2 ran only for new ones). These tests check the work structurally (argon2 is called in
// both cases, the answers are identical), never with timings. And an older magic link stopped working
// only when it expired, even after a newer one was used.
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, latestMagicToken, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';
import { passwordHashing } from './passwords.js';

/** The parts of an answer a visitor sees: status, where it leads, and the page once followed. */
async function visible(client: TestClient, email: string) {
  const res = await client.post('/signup', { email, display_name: 'Someone', password: 'a long enough password 123' });
  const page = await client.get(res.res.headers.get('location') ?? '/');
  return { status: res.res.status, location: res.res.headers.get('location'), page: page.html.replace(/name="_csrf" value="[^"]+"/g, '') };
}

describe('sign-up does the same work and gives the same answer for a new and an existing address', () => {
  let site: TestSite;

  before(async () => {
    site = await createTestSite();
    await new TestClient(site.app).post('/setup', setupFields());
    await signUpFan(site, 'taken@example.org');
  });
  after(() => site.close());

  it('hashes the given password with argon2 for an existing address too, and answers identically', async () => {
    const hash = mock.method(passwordHashing, 'hash');
    try {
      const fresh = await visible(new TestClient(site.app, { 'accept-language': 'en' }), 'fresh@example.org');
      assert.equal(hash.mock.callCount(), 1, 'argon2 for a new address');
      const taken = await visible(new TestClient(site.app, { 'accept-language': 'en' }), 'taken@example.org');
      assert.equal(hash.mock.callCount(), 2, 'argon2 for an existing address as well');
      assert.deepEqual(taken, fresh);
    } finally {
      hash.mock.restore();
    }
  });

  it('keeps no password from a sign-up of an existing address, and e-mails its owner a login link instead', async () => {
    const [link] = await site.deps.db.query<{ password_hash: string | null }>(`SELECT password_hash FROM magic_links WHERE email = 'taken@example.org' ORDER BY created_at DESC LIMIT 1`);
    assert.equal(link!.password_hash, null);
    const [fresh] = await site.deps.db.query<{ password_hash: string | null }>(`SELECT password_hash FROM magic_links WHERE email = 'fresh@example.org'`);
    assert.match(fresh!.password_hash ?? '', /^\$argon2id\$/);
    const mail = readOutbox(site.outboxDir).filter((m) => m.includes('To: taken@example.org')).at(-1)!;
    assert.match(mail.replace(/=\r?\n/g, ''), /tried to create an account with this address/);
  });

  it('stops an older magic link from working once a newer one was used', async () => {
    const client = new TestClient(site.app);
    await client.post('/login', { email: 'taken@example.org' });
    const older = latestMagicToken(site.outboxDir, 'taken@example.org');
    await client.post('/login', { email: 'taken@example.org' });
    const newer = latestMagicToken(site.outboxDir, 'taken@example.org');
    assert.notEqual(older, newer);
    const used = await client.post('/auth/magic', { token: newer });
    assert.equal(used.res.status, 303);
    const stale = await new TestClient(site.app).post('/auth/magic', { token: older });
    assert.equal(stale.res.status, 400, 'the older link is spent');
  });
});
