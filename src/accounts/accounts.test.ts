import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../app.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, latestMagicToken, readOutbox, type TestSite } from '../../test/support/harness.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));

async function signUpAndLogIn(site: TestSite, email: string, fields: Record<string, string> = {}): Promise<TestClient> {
  const client = new TestClient(site.app);
  const signup = await client.post('/signup', { email, display_name: 'Fan', ...fields });
  assert.equal(signup.res.status, 303, signup.html);
  const token = latestMagicToken(site.outboxDir, email);
  const confirm = await client.get(`/auth/magic?token=${token}`);
  assert.equal(confirm.res.status, 200);
  const done = await client.post('/auth/magic', { token });
  assert.equal(done.res.status, 303, done.html);
  return client;
}

describe('accounts', () => {
  let site: TestSite;
  before(async () => {
    site = await createTestSite({ clock, env: { LOGIN_RATE_LIMIT: '5' } });
    const owner = new TestClient(site.app);
    await owner.post('/setup', setupFields());
  });
  after(() => site.close());

  it('signs a fan up through a magic link written to the outbox, in their language', async () => {
    const client = new TestClient(site.app, { 'accept-language': 'fr' });
    const { res } = await client.post('/signup', { email: 'Lou@Example.org', display_name: 'Lou' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login/sent');
    const mail = readOutbox(site.outboxDir).find((m) => m.includes('To: lou@example.org'));
    assert.ok(mail, 'an e-mail was written to the outbox');
    assert.match(mail!, /Subject: Confirmez votre adresse e-mail/);
    const rows = await site.deps.db.query('SELECT 1 FROM users WHERE email = $1', ['lou@example.org']);
    assert.equal(rows.length, 0, 'no account exists before the link is used');

    const token = latestMagicToken(site.outboxDir, 'lou@example.org');
    const confirm = await client.get(`/auth/magic?token=${token}`);
    assert.match(confirm.html, /Continuer/);
    const done = await client.post('/auth/magic', { token });
    assert.equal(done.res.status, 303);
    const account = await client.get('/account');
    assert.equal(account.res.status, 200);
    assert.match(account.html, /lou@example.org/);
    assert.match(account.html, /<html lang="fr">/);
  });

  it('accepts a link once only', async () => {
    const client = new TestClient(site.app);
    await client.post('/login', { email: 'lou@example.org' });
    const token = latestMagicToken(site.outboxDir, 'lou@example.org');
    assert.equal((await client.post('/auth/magic', { token })).res.status, 303);
    const again = await new TestClient(site.app).post('/auth/magic', { token });
    assert.equal(again.res.status, 400);
    assert.match(again.html, /invalid, already used or expired/);
  });

  it('refuses an expired link', async () => {
    const client = new TestClient(site.app);
    await client.post('/login', { email: 'lou@example.org' });
    const token = latestMagicToken(site.outboxDir, 'lou@example.org');
    clock.advance(21 * 60_000);
    const { res } = await client.post('/auth/magic', { token });
    assert.equal(res.status, 400);
  });

  it('answers a malformed link with a clear 400 page', async () => {
    const { res, html } = await new TestClient(site.app).get('/auth/magic?token=%3Cscript%3E');
    assert.equal(res.status, 400);
    assert.match(html, /invalid, already used or expired/);
    assert.doesNotMatch(html, /<script>/);
  });

  it('refuses bad sign-up input with messages in the user language', async () => {
    const client = new TestClient(site.app, { 'accept-language': 'fr' });
    const { res, html } = await client.post('/signup', { email: 'nope', display_name: '', password: 'short' });
    assert.equal(res.status, 422);
    assert.match(html, /Saisissez une adresse e-mail valide/);
    assert.match(html, /Ce champ est obligatoire/);
    assert.match(html, /au moins 10 caractères/);
    const missing = await client.post('/signup', {});
    assert.equal(missing.res.status, 422);
  });

  it('logs in with a password set at sign-up, and refuses a wrong one', async () => {
    await signUpAndLogIn(site, 'pat@example.org', { password: 'a long enough password' });
    const client = new TestClient(site.app);
    const wrong = await client.post('/login', { email: 'pat@example.org', password: 'not the password' });
    assert.equal(wrong.res.status, 401);
    assert.match(wrong.html, /E-mail address or password incorrect/);
    assert.match(wrong.html, /value="pat@example.org"/, 'the e-mail stays in the form');
    const right = await client.post('/login', { email: 'pat@example.org', password: 'a long enough password', back: '/account' });
    assert.equal(right.res.status, 303);
    assert.equal(right.res.headers.get('location'), '/account');
  });

  it('never redirects outside the site after login', async () => {
    const client = new TestClient(site.app);
    const { res } = await client.post('/login', { email: 'pat@example.org', password: 'a long enough password', back: '//evil.example/' });
    assert.equal(res.headers.get('location'), '/');
  });

  it('refuses a password login for an address that never confirmed its e-mail', async () => {
    const client = new TestClient(site.app);
    await client.post('/signup', { email: 'ghost@example.org', display_name: 'Ghost', password: 'ghost password 123' });
    const { res } = await client.post('/login', { email: 'ghost@example.org', password: 'ghost password 123' });
    assert.equal(res.status, 401);
  });

  it('limits login attempts per address and says when to retry', async () => {
    const client = new TestClient(site.app, { 'accept-language': 'fr' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/login', { email: 'target@example.org', password: 'guess number ' + i })).res.status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const { res, html } = await client.post('/login', { email: 'target@example.org', password: 'again and again' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.match(html, /Trop de tentatives/);
  });

  it('limits magic-link requests too', async () => {
    const client = new TestClient(site.app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/login', { email: 'spam@example.org' })).res.status);
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
    assert.equal(readOutbox(site.outboxDir).filter((m) => m.includes('To: spam@example.org')).length, 5);
  });

  it('logs out: the old session cookie stops working', async () => {
    const client = await signUpAndLogIn(site, 'bye@example.org');
    const saved = new Map(client.cookies);
    const out = await client.post('/logout', {});
    assert.equal(out.res.status, 303);
    const replay = new TestClient(site.app);
    for (const [k, v] of saved) replay.cookies.set(k, v);
    const { res } = await replay.get('/account');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location')!, /^\/login\?back=%2Faccount/);
  });

  it('keeps sessions across a restart (they live in the database)', async () => {
    const client = await signUpAndLogIn(site, 'stay@example.org');
    const restarted = new TestClient(createApp(site.deps, site.site));
    for (const [k, v] of client.cookies) restarted.cookies.set(k, v);
    const { res, html } = await restarted.get('/account');
    assert.equal(res.status, 200);
    assert.match(html, /stay@example.org/);
  });

  it('saves the profile and refuses an invalid one', async () => {
    const client = await signUpAndLogIn(site, 'prof@example.org');
    await client.get('/account');
    const bad = await client.post('/account', { display_name: 'x'.repeat(81), language: 'klingon' });
    assert.equal(bad.res.status, 422);
    assert.match(bad.html, /At most 80 characters/);
    const good = await client.post('/account', { display_name: 'Prof', language: 'fr' });
    assert.equal(good.res.status, 303);
    const page = await client.get('/account?notice=saved');
    assert.match(page.html, /Enregistré/);
    assert.match(page.html, /value="Prof"/);
  });

  it('sets a password, then changing it needs the current one and ends other sessions', async () => {
    const first = await signUpAndLogIn(site, 'pw@example.org');
    const second = new TestClient(site.app);
    await second.post('/login', { email: 'pw@example.org' });
    await second.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'pw@example.org') });
    assert.equal((await second.get('/account')).res.status, 200);

    assert.equal((await first.post('/account/password', { new_password: 'first password!!' })).res.status, 303);
    const wrong = await first.post('/account/password', { current_password: 'nope', new_password: 'second password!!' });
    assert.equal(wrong.res.status, 422);
    assert.match(wrong.html, /current password is not correct/);
    assert.equal((await first.post('/account/password', { current_password: 'first password!!', new_password: 'second password!!' })).res.status, 303);
    assert.equal((await second.get('/account')).res.status, 303, 'the other session ended');
    assert.equal((await first.get('/account')).res.status, 200, 'this session goes on');
  });

  it('switches language: a cookie for visitors, the account for signed-in users', async () => {
    const visitor = new TestClient(site.app);
    await visitor.get('/');
    const switched = await visitor.post('/language', { lang: 'fr', back: '/c/camille/about' });
    assert.equal(switched.res.status, 303);
    assert.equal(switched.res.headers.get('location'), '/c/camille/about');
    assert.match((await visitor.get('/c/camille/about')).html, /À propos/);

    const fan = await signUpAndLogIn(site, 'polyglot@example.org');
    await fan.get('/');
    await fan.post('/language', { lang: 'fr', back: '/' });
    fan.cookies.delete('ff_lang');
    const page = await fan.get('/account', { 'accept-language': 'en' });
    assert.match(page.html, /<html lang="fr">/, 'the account remembers the choice, whatever the browser says');
  });

  it('refuses an unknown language and an outside redirect on the switch', async () => {
    const client = new TestClient(site.app);
    const bad = await client.post('/language', { lang: 'xx' });
    assert.equal(bad.res.status, 400);
    const outside = await client.post('/language', { lang: 'en', back: 'https://evil.example/' });
    assert.equal(outside.res.headers.get('location'), '/');
  });
});
