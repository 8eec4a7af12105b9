import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createTestSite, type TestSite } from '../../../test/support/harness.js';

describe('the address boundary (urlGuard)', () => {
  let site: TestSite;
  let owner: TestClient;
  const logged: string[] = [];
  before(async () => {
    site = await createTestSite();
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields());
    // The request log line and the error log line read deps.log when they write.
    site.deps.log = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
  });
  after(() => site.close());

  it('refuses a search holding NUL with a translated 400, not a 500', async () => {
    for (const [language, words] of [['en', /invisible control characters/], ['fr', /caractères de contrôle invisibles/]] as const) {
      const { res, html } = await new TestClient(site.app, { 'accept-language': language }).get('/search?q=a%00b');
      assert.equal(res.status, 400);
      assert.match(html, words);
    }
    const json = await site.app.request('/search?q=%00', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { error: { code: string } }).error.code, 'bad_request');
  });

  it('refuses control characters in any query parameter, name or value', async () => {
    for (const query of ['?page=1%0b', '?back=/%09/evil.example', '?q%00=1', '?notice=%1b[31m']) {
      assert.equal((await site.app.request(`/search${query}`)).status, 400, query);
    }
  });

  it('answers a path holding NUL or other controls with 404, in every area', async () => {
    for (const path of ['/ap/videos/%00', '/v/%00', '/c/cam%00ille', '/c/camille/feed.rss%0b', '/media/v/abc/%00.m3u8', '/%E0%A4%A']) {
      for (const accept of ['text/html', 'application/activity+json', 'application/json']) {
        const res = await site.app.request(path, { headers: { accept } });
        assert.equal(res.status, 404, `${path} (${accept})`);
      }
    }
  });

  it('answers an absurdly long media path with 404 and logs it cut short', async () => {
    logged.length = 0;
    const long = 'a'.repeat(5000);
    const res = await site.app.request(`/media/v/Abcdefgh123/${long}`);
    assert.equal(res.status, 404);
    assert.ok(logged.length > 0, 'the request was logged');
    assert.ok(logged.every((line) => !line.includes(long) && line.length < 1000), logged.join('\n').slice(0, 500));
    assert.match(logged.join(''), /…\(5021 chars\)/);
  });

  it('sends a language switch whose way back holds controls home, never elsewhere', async () => {
    for (const back of ['/\u000b/evil.example', '/\t/evil.example', '/a\u0000b']) {
      const { res } = await owner.post('/language', { lang: 'fr', back });
      assert.equal(res.status, 303, JSON.stringify(back));
      assert.equal(res.headers.get('location'), '/');
    }
  });

  it('refuses tabs and newlines in one-line fields (a channel name) but keeps them in descriptions', async () => {
    const refused = await owner.post('/studio/channels/camille', { channel_name: 'Camille\tfilms', description: 'Line 1\n\tLine 2', channel_language: 'fr' });
    assert.equal(refused.res.status, 422);
    assert.match(refused.html, /invisible control characters|caractères de contrôle invisibles/);
    const saved = await owner.post('/studio/channels/camille', { channel_name: 'Camille films', description: 'Line 1\n\tLine 2', channel_language: 'fr' });
    assert.equal(saved.res.status, 303);
    const rows = await site.deps.db.query<{ description: string }>(`SELECT description FROM channels WHERE handle = 'camille'`);
    assert.equal(rows[0]!.description, 'Line 1\n\tLine 2');
  });
});
