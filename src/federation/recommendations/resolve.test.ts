import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHtmlHead } from './html-head.js';
import { resolveVideo, type ResolveOptions } from './resolve.js';
import { ResolveError, type ResolveFailure } from './snapshot.js';
import { downloadThumbnail, sniffImage } from './thumbnails.js';
import { JPEG_BYTES, PNG_BYTES, startTestSites, type TestSites } from '../../../test/fakes/video-sites.js';

async function reason(promise: Promise<unknown>): Promise<ResolveFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ResolveError) return error.reason;
    throw error;
  }
  assert.fail('expected a ResolveError');
}

describe('resolver: what a pasted address says about its video', () => {
  let sites: TestSites;
  before(async () => {
    sites = await startTestSites();
  });
  after(() => sites.close());
  const local: ResolveOptions = { fetch: { allowPrivateAddresses: true } };

  it('reads an ActivityPub Video object and fetches its channel for the author name', async () => {
    const snapshot = await resolveVideo(`${sites.url}/videos/watch/ap`, local);
    assert.deepEqual(snapshot, {
      url: `${sites.url}/w/canoe`,
      title: 'Building a canoe',
      thumbnailUrl: `${sites.url}/thumb.png`,
      authorName: 'Ana’s woodwork',
      authorUrl: `${sites.url}/c/woodwork`,
      siteName: '127.0.0.1',
      source: 'activitypub',
      objectId: `${sites.url}/videos/watch/ap`,
      objectActor: `${sites.url}/video-channels/woodwork`,
    });
    const asked = sites.requests.find((r) => r.path === '/videos/watch/ap');
    assert.equal(asked?.accept, 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"');
    assert.ok(sites.requests.some((r) => r.path === '/video-channels/woodwork'), 'the Group is preferred to the Person');
  });

  it('ignores an ActivityPub object that claims another host, and keeps hostile values out', async () => {
    const honest = await resolveVideo(`${sites.url}/ap-foreign-id`, local);
    assert.equal(honest.title, 'Honest page');
    assert.equal(honest.source, 'opengraph');
    const hostile = await resolveVideo(`${sites.url}/ap-hostile`, local);
    assert.deepEqual(hostile, {
      url: `${sites.url}/ap-hostile`,
      title: '<script>alert(1)</script> Clip',
      thumbnailUrl: undefined,
      authorName: undefined,
      authorUrl: undefined,
      siteName: '127.0.0.1',
      source: 'activitypub',
      objectId: `${sites.url}/ap-hostile`,
    });
  });

  it('falls back to oEmbed when ActivityPub is refused, decoding the link and the title', async () => {
    const snapshot = await resolveVideo(`${sites.url}/oembed-video`, local);
    assert.deepEqual(snapshot, {
      url: `${sites.url}/oembed-video`,
      title: 'Night &amp; fog — a short',
      thumbnailUrl: `${sites.url}/thumb.jpg`,
      authorName: 'Léa',
      authorUrl: `${sites.url}/c/lea`,
      siteName: 'Léa’s films',
      source: 'oembed',
    });
  });

  it('falls back to Open Graph, with the canonical address of the same host', async () => {
    const snapshot = await resolveVideo(`${sites.url}/og-video`, local);
    assert.deepEqual(snapshot, {
      url: `${sites.url}/og-video?ref=canonical`,
      title: 'Rock & roll, live',
      thumbnailUrl: `${sites.url}/thumb.png`,
      authorName: 'Sam Stage',
      authorUrl: undefined,
      siteName: 'Stage TV',
      source: 'opengraph',
    });
    const asked = sites.requests.filter((r) => r.path === '/og-video').map((r) => r.accept);
    assert.equal(asked.length, 1, 'a server that ignores Accept is asked once');
  });

  it('keeps the fetched address when the page claims a canonical address on another host', async () => {
    const snapshot = await resolveVideo(`${sites.url}/og-foreign-canonical`, local);
    assert.equal(snapshot.url, `${sites.url}/og-foreign-canonical`);
  });

  it('follows redirects and keeps the final address', async () => {
    const snapshot = await resolveVideo(`${sites.url}/redirect-3`, local);
    assert.equal(snapshot.title, 'Rock & roll, live');
  });

  it('reads a compressed page, and only the head of a huge one', async () => {
    assert.equal((await resolveVideo(`${sites.url}/gzip-video`, local)).title, 'Squeezed');
    assert.equal((await resolveVideo(`${sites.url}/huge-body`, local)).title, 'Long page');
  });

  const failures: [string, string, ResolveOptions | undefined, ResolveFailure][] = [
    ['a page that is not about a video', '/article', undefined, 'not_video'],
    ['a text file', '/plain', undefined, 'not_video'],
    ['a missing page', '/not-found', undefined, 'http_status'],
    ['a page whose head passes the size limit', '/huge', undefined, 'too_large'],
    ['a slow site', '/slow', { fetch: { allowPrivateAddresses: true, timeoutMs: 200 } }, 'timeout'],
    ['a slow site within the overall limit', '/slow', { fetch: { allowPrivateAddresses: true }, timeoutMs: 200 }, 'timeout'],
    ['a redirect loop', '/redirect-loop', undefined, 'too_many_redirects'],
    ['a redirect to a private address', '/redirect-private', { fetch: { allowedAddresses: ['127.0.0.1'] } }, 'refused_address'],
    ['a private address when they are not allowed', '/og-video', { fetch: {} }, 'refused_address'],
  ];
  for (const [name, path, options, expected] of failures) {
    it(`refuses ${name} (${expected})`, async () => {
      assert.equal(await reason(resolveVideo(`${sites.url}${path}`, options ?? local)), expected);
    });
  }

  it('refuses addresses it must not fetch and hosts it cannot reach', async () => {
    assert.equal(await reason(resolveVideo('javascript:alert(1)', local)), 'scheme');
    assert.equal(await reason(resolveVideo('nope', local)), 'invalid_url');
    assert.equal(await reason(resolveVideo('http://127.0.0.1:1/video', local)), 'unreachable');
  });
});

describe('thumbnail copies', () => {
  let sites: TestSites;
  before(async () => {
    sites = await startTestSites();
  });
  after(() => sites.close());

  it('keeps PNG, JPEG and WebP by their bytes, nothing else', async () => {
    assert.equal(sniffImage(PNG_BYTES), 'png');
    assert.equal(sniffImage(JPEG_BYTES), 'jpg');
    assert.equal(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')), undefined);
    assert.equal(sniffImage(Buffer.from('GIF89a......')), undefined);
  });

  it('downloads through the safe fetcher and drops what is not an image', async () => {
    const settings = { allowPrivateAddresses: true };
    assert.equal((await downloadThumbnail(`${sites.url}/thumb.png`, settings))?.extension, 'png');
    assert.equal(await downloadThumbnail(`${sites.url}/fake-image.png`, settings), undefined);
    assert.equal(await downloadThumbnail(`${sites.url}/thumb.png`, {}), undefined, 'private addresses stay refused');
  });
});

describe('HTML head reader', () => {
  it('reads meta tags in any order and quoting, decodes entities, and ignores the body', () => {
    const head = parseHtmlHead(
      `<html><HEAD><title> A &amp; B </title><meta content='Q&#39;s' property=og:title><META NAME="twitter:card" CONTENT="player">` +
        `<link href="/o.json" type="application/json+oembed" rel="alternate"></head><body><meta property="og:image" content="/late.png"></body></html>`,
    );
    assert.equal(head.title, 'A & B');
    assert.equal(head.meta.get('og:title'), "Q's");
    assert.equal(head.meta.get('twitter:card'), 'player');
    assert.equal(head.alternates.get('application/json+oembed'), '/o.json');
    assert.equal(head.meta.has('og:image'), false);
    assert.equal(head.complete, true);
  });

  it('says when the head was cut short', () => {
    assert.equal(parseHtmlHead('<html><head><title>Cut').complete, false);
  });
});
