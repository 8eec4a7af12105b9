// Issue 9: the CSRF token was bound to nothing but its cookie nonce, and survived login and logout.
// It is now bound to the session and the nonce is rotated whenever the session starts or ends.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createTestSite, latestMagicToken, signUpFan, type TestSite } from '../../../test/support/harness.js';

/** Posts a form with an explicit token and cookie header, as a forged or stale page would. */
const postWith = (site: TestSite, path: string, token: string, cookie: string) =>
  site.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: token, lang: 'fr', back: '/' }) });
const cookieOf = (client: TestClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('CSRF tokens are bound to the session and rotated at login and logout', () => {
  let site: TestSite;

  before(async () => {
    site = await createTestSite();
    await new TestClient(site.app).post('/setup', setupFields());
    await signUpFan(site, 'ada@example.org');
  });
  after(() => site.close());

  it('refuses, after login, the token of the page shown before it, and gives the browser a new nonce', async () => {
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const before = { token: client.csrf, nonce: [...client.cookies].find(([k]) => k.endsWith('ff_csrf'))![1] };
    await client.post('/login', { email: 'ada@example.org' });
    const login = await client.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'ada@example.org') });
    assert.equal(login.res.status, 303);
    assert.notEqual([...client.cookies].find(([k]) => k.endsWith('ff_csrf'))![1], before.nonce, 'login rotates the nonce');
    const stale = await postWith(site, '/language', before.token, cookieOf(client));
    assert.equal(stale.status, 403);
    await client.loadCsrf();
    assert.equal((await postWith(site, '/language', client.csrf, cookieOf(client))).status, 303, 'the new page token works');
  });

  it('refuses a token issued to another session for the same nonce', async () => {
    const ada = await signUpFan(site, 'ada@example.org');
    await ada.loadCsrf();
    const bob = await signUpFan(site, 'bob@example.org');
    const adaNonce = [...ada.cookies].find(([k]) => k.endsWith('ff_csrf'))!;
    const bobSession = [...bob.cookies].find(([k]) => k.endsWith('ff_session'))!;
    // Bob's session with Ada's nonce and token: the token names Ada's session, not Bob's.
    const res = await postWith(site, '/language', ada.csrf, `${adaNonce[0]}=${adaNonce[1]}; ${bobSession[0]}=${bobSession[1]}`);
    assert.equal(res.status, 403);
  });

  it('refuses, after logout, the token of the signed-in page', async () => {
    const client = await signUpFan(site, 'ada@example.org');
    await client.loadCsrf();
    const signedIn = client.csrf;
    const out = await client.post('/logout', {});
    assert.equal(out.res.status, 303);
    assert.equal((await postWith(site, '/language', signedIn, cookieOf(client))).status, 403);
  });

  it('accepts the form of a page shown with a stale or foreign session cookie, which that page deleted', async () => {
    // Another site on the same host (cookies ignore ports) or an expired session leaves a session cookie
    // this site does not know: the page deletes it, and its form is posted without it.
    const client = new TestClient(site.app);
    await client.loadCsrf();
    const nonce = [...client.cookies].find(([k]) => k.endsWith('ff_csrf'))!;
    const sessionName = nonce[0].replace('ff_csrf', 'ff_session');
    const page = await site.app.request('/', { headers: { cookie: `${nonce[0]}=${nonce[1]}; ${sessionName}=not-a-session-of-this-site` } });
    assert.match(page.headers.get('set-cookie') ?? '', new RegExp(`${sessionName}=;`), 'the unknown session cookie is deleted');
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(token, 'the page carries a form token');
    assert.equal((await postWith(site, '/language', token, `${nonce[0]}=${nonce[1]}`)).status, 303);
  });
});
