// Issue 18 (pages): the CSRF cookie only with pages, text compressed by Accept-Encoding, and anonymous
// pages served from memory with each visitor's own token, dropped on writes in this or another process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createTestSite, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { pageCacheOf } from '../../app.js';
import { chooseEncoding, etagMatches } from './compression.js';
import type { AppEnv } from './context.js';
import { cookiePolicy } from './cookies.js';
import { bumpPageGeneration, createPageCache } from './page-cache.js';

const setCookies = (res: Response) => res.headers.getSetCookie().map((line) => line.split('=')[0]);

describe('pages: CSRF cookie, compression and the anonymous page cache', () => {
  let site: TestSite;

  before(async () => {
    site = await createTestSite({ env: { PAGE_CACHE_SECONDS: '60' } });
    await new TestClient(site.app).post('/setup', setupFields());
  });
  after(() => site.close());

  it('sets the CSRF cookie with a page, never with a stylesheet, a script or JSON', async () => {
    const css = await site.app.request('/assets/style.css');
    assert.equal(css.status, 200);
    assert.deepEqual(setCookies(css), []);
    const health = await site.app.request('/healthz');
    assert.deepEqual(setCookies(health), []);
    const page = await site.app.request('/login');
    assert.equal(page.status, 200);
    assert.ok(setCookies(page).some((name) => name!.endsWith('ff_csrf')), 'a page with a form gives the nonce');
  });

  it('compresses text by Accept-Encoding (brotli first, then gzip) and keeps it plain otherwise', async () => {
    const plain = await site.app.request('/assets/style.css');
    const text = await plain.text();
    assert.equal(plain.headers.get('content-encoding'), null);
    const br = await site.app.request('/assets/style.css', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.match(br.headers.get('vary') ?? '', /Accept-Encoding/);
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), text);
    const gz = await site.app.request('/assets/style.css', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), text);
    // The compressed answer's ETag is weak, and still revalidates.
    const etag = br.headers.get('etag')!;
    assert.match(etag, /^W\//);
    const again = await site.app.request('/assets/style.css', { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const page = await site.app.request('/login', { headers: { 'accept-encoding': 'br' } });
    assert.equal(page.headers.get('content-encoding'), 'br');
    assert.match(brotliDecompressSync(Buffer.from(await page.arrayBuffer())).toString(), /<!DOCTYPE html>/);
  });

  it('chooses the encoding the client accepts, and matches weak and strong ETags alike', () => {
    assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(chooseEncoding('identity'), undefined);
    assert.equal(chooseEncoding(undefined), undefined);
    assert.equal(chooseEncoding('*'), 'gzip');
    assert.ok(etagMatches('W/"abc"', '"abc"'));
    assert.ok(!etagMatches('"abd"', '"abc"'));
  });

  it('serves a second anonymous visitor from memory, with a token of their own that works', async () => {
    const cache = pageCacheOf(site.app)!;
    cache.clear();
    const first = new TestClient(site.app);
    await first.get('/c/camille');
    const before = cache.stats();
    const second = new TestClient(site.app);
    const { res, html } = await second.get('/c/camille');
    assert.equal(res.status, 200);
    assert.equal(cache.stats().hits, before.hits + 1, 'the second visit is a hit');
    assert.match(res.headers.get('vary') ?? '', /Cookie/);
    assert.match(html, /Camille fait des films/);
    assert.ok(second.csrf && second.csrf !== first.csrf, 'each visitor gets their own token');
    assert.ok(setCookies(res).some((name) => name!.endsWith('ff_csrf')), 'a new visitor gets the nonce from a cached page too');
    // The spliced token is valid for this visitor (the language switch is a CSRF-checked POST).
    const switched = await second.post('/language', { lang: 'fr', back: '/c/camille' });
    assert.equal(switched.res.status, 303);
  });

  it('answers a kept page before routing with the headers a render gives, and never to an ActivityPub client', async () => {
    const cache = pageCacheOf(site.app)!;
    cache.clear();
    const rendered = await site.app.request('/c/camille', { headers: { 'accept-language': 'fr' } });
    const before = cache.stats();
    const kept = await site.app.request('/c/camille', { headers: { 'accept-language': 'fr' } });
    assert.equal(cache.stats().earlyHits, before.earlyHits + 1, 'served before the route and its chain');
    const comparable = (res: Response) => [...res.headers.entries()].filter(([name]) => !['set-cookie', 'date', 'content-length'].includes(name));
    assert.deepEqual(comparable(kept), comparable(rendered));
    assert.match(kept.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(kept.headers.get('content-language'), 'fr');
    assert.ok(setCookies(kept).some((name) => name!.endsWith('ff_csrf')), 'a visitor without a nonce gets one');
    // Content negotiation still happens: an ActivityPub client asking for the channel page gets its actor.
    const ap = await site.app.request('/c/camille', { headers: { accept: 'application/activity+json' } });
    assert.equal(ap.status, 302);
    assert.match(ap.headers.get('location') ?? '', /\/ap\/c\/camille$/);
    // A nonce the browser already holds is kept, and the token in the page is the one a render gives it.
    const visitor = new TestClient(site.app);
    const { html: firstHtml } = await visitor.get('/c/camille');
    const early = cache.stats().earlyHits;
    const again = await visitor.get('/c/camille');
    assert.equal(cache.stats().earlyHits, early + 1);
    assert.deepEqual(setCookies(again.res), [], 'no new nonce for a browser that has one');
    assert.equal(again.html, firstHtml);
  });

  it('keeps one entry per language and never serves a signed-in fan from it', async () => {
    const cache = pageCacheOf(site.app)!;
    cache.clear();
    const en = await site.app.request('/c/camille', { headers: { 'accept-language': 'en' } });
    const fr = await site.app.request('/c/camille', { headers: { 'accept-language': 'fr' } });
    assert.equal(en.headers.get('content-language'), 'en');
    assert.equal(fr.headers.get('content-language'), 'fr');
    assert.equal(cache.stats().entries, 2);
    const fan = await signUpFan(site, 'ada@example.org');
    const hits = cache.stats().hits;
    const { html } = await fan.get('/c/camille');
    assert.equal(cache.stats().hits, hits, 'a session cookie bypasses the cache');
    assert.match(html, /action="\/logout"/);
  });

  it('drops the cached pages after a write in this process', async () => {
    const cache = pageCacheOf(site.app)!;
    cache.clear();
    await site.app.request('/c/camille');
    assert.equal(cache.stats().entries, 1);
    const visitor = new TestClient(site.app);
    await visitor.post('/language', { lang: 'fr', back: '/' });
    assert.equal(cache.stats().entries, 0, 'a successful POST empties the cache');
  });
});

describe('page cache across processes', () => {
  let site: TestSite;
  before(async () => {
    site = await createTestSite();
  });
  after(() => site.close());

  it('drops what it kept once another process took the next generation, after its poll interval', async () => {
    let clock = 0;
    const cookies = cookiePolicy('http://localhost');
    const cache = createPageCache({ db: site.deps.db, cookies, ttlSeconds: 60, now: () => clock });
    let renders = 0;
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('csrfToken', 'token-of-this-visitor');
      c.set('user', null);
      c.set('locale', 'en');
      await next();
    });
    app.use('*', cache.middleware);
    app.get('/page', (c) => {
      renders++;
      return c.html(`<p>render ${renders}</p><input name="_csrf" value="${c.var.csrfToken}">`);
    });
    const first = await (await app.request('/page')).text();
    assert.match(first, /token-of-this-visitor/);
    assert.equal(await (await app.request('/page')).text(), first);
    assert.equal(renders, 1);
    await bumpPageGeneration(site.deps.db); // as another process's write would
    clock += 500;
    await app.request('/page');
    assert.equal(renders, 1, 'not polled yet: still the kept page');
    clock += 1000;
    assert.match(await (await app.request('/page')).text(), /render 2/);
    clock += 61_000;
    assert.match(await (await app.request('/page')).text(), /render 3/, 'the TTL ends an entry too');
  });

  it('renders a page once when many visitors miss it at the same moment, each with their own token', async () => {
    const cookies = cookiePolicy('http://localhost');
    const cache = createPageCache({ db: site.deps.db, cookies, ttlSeconds: 60 });
    let renders = 0;
    let release!: () => void;
    const slowRender = new Promise<void>((resolve) => (release = resolve));
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('csrfToken', c.req.header('x-visitor') ?? 'none');
      c.set('user', null);
      c.set('locale', 'en');
      await next();
    });
    app.use('*', cache.middleware);
    app.get('/page', async (c) => {
      renders++;
      await slowRender;
      return c.html(`<p>render ${renders}</p><input name="_csrf" value="${c.var.csrfToken}">`);
    });
    app.get('/missing', async (c) => {
      renders++;
      await slowRender;
      return c.html('<p>not here</p>', 404);
    });
    const visitors = Array.from({ length: 20 }, (_, i) => `visitor-${i}`);
    const answers = visitors.map((visitor) => app.request('/page', { headers: { 'x-visitor': visitor } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const texts = await Promise.all(answers.map(async (answer) => (await answer).text()));
    assert.equal(renders, 1, 'one render served all twenty');
    texts.forEach((text, i) => {
      assert.match(text, /render 1/);
      assert.match(text, new RegExp(`value="${visitors[i]}"`), 'each visitor got their own token');
    });
    // What may not be kept (a 404) is rendered for each visitor after the first: nobody gets another's answer.
    renders = 0;
    const missing = await Promise.all(visitors.slice(0, 3).map((visitor) => app.request('/missing', { headers: { 'x-visitor': visitor } })));
    assert.deepEqual(missing.map((res) => res.status), [404, 404, 404]);
    assert.equal(renders, 3);
  });
});
