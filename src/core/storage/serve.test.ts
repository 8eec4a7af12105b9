import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../http/errors.js';
import { createFileCache, type FileCache } from './file-cache.js';
import { createLocalStorage } from './local.js';
import type { MediaStorage } from './media-storage.js';
import { createS3Storage } from './s3.js';
import { startTestS3Server } from '../../../test/fakes/s3-server.js';
import { serveStoredFile } from './serve.js';

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

// Over the per-file limit of the small-cache run below, so that run streams it.
const SEGMENT = randomBytes(600 * 1024);
const FILES: Record<string, Uint8Array> = {
  'v/720p/seg-00001.m4s': SEGMENT,
  'v/720p/init.mp4': randomBytes(1000),
  'v/720p/index.m3u8': new TextEncoder().encode('#EXTM3U\n#EXT-X-VERSION:7\n'),
  'v/legacy.ts': randomBytes(300),
  'v/captions.en.vtt': new TextEncoder().encode('WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n'),
  'v/poster.jpg': randomBytes(200),
  'v/sprite.png': randomBytes(200),
  'v/sprite.webp': randomBytes(200),
  'v/meta.json': new TextEncoder().encode('{"duration":4}'),
  'v/empty.m4s': new Uint8Array(0),
};

function mediaApp(storage: MediaStorage, cache?: FileCache | null): Hono {
  const app = new Hono();
  app.get('/media/:key{.+}', (c) => serveStoredFile(c, storage, c.req.param('key'), { cache }));
  app.get('/members/:key{.+}', (c) => serveStoredFile(c, storage, c.req.param('key'), { cache, cacheControl: 'private, max-age=60' }));
  app.onError((error, c) => c.body(null, error instanceof AppError ? error.status : 500));
  return app;
}

async function bodyBytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

function describeServing(name: string, open: () => Promise<{ fetch: Fetch; storage: MediaStorage; close(): Promise<void> }>) {
  describe(`serving stored files (${name})`, () => {
    let get: Fetch;
    let storage: MediaStorage;
    let close: () => Promise<void>;
    before(async () => {
      ({ fetch: get, storage, close } = await open());
      for (const [key, bytes] of Object.entries(FILES)) await storage.put(key, bytes);
    });
    after(() => close());

    const segment = '/media/v/720p/seg-00001.m4s';
    const etagOf = async (url: string) => (await get(url, { method: 'HEAD' })).headers.get('etag')!;

    it('sends the whole file with its validators, length and safety headers', async () => {
      const res = await get(segment);
      assert.equal(res.status, 200);
      assert.deepEqual(await bodyBytes(res), SEGMENT);
      assert.equal(res.headers.get('content-length'), String(SEGMENT.length));
      assert.equal(res.headers.get('content-type'), 'video/iso.segment');
      assert.match(res.headers.get('etag')!, /^"[^"]+"$/, 'a strong, quoted entity tag');
      assert.ok(!Number.isNaN(Date.parse(res.headers.get('last-modified')!)));
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    });

    it('answers HEAD with the same headers and no body', async () => {
      const full = await get(segment);
      await full.arrayBuffer();
      const res = await get(segment, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal((await bodyBytes(res)).length, 0);
      for (const header of ['content-length', 'content-type', 'etag', 'last-modified', 'cache-control', 'accept-ranges']) {
        assert.equal(res.headers.get(header), full.headers.get(header), header);
      }
    });

    it('sends the media type of each kind of file', async () => {
      const expected: Record<string, string> = {
        'v/720p/index.m3u8': 'application/vnd.apple.mpegurl',
        'v/720p/seg-00001.m4s': 'video/iso.segment',
        'v/720p/init.mp4': 'video/mp4',
        'v/legacy.ts': 'video/mp2t',
        'v/captions.en.vtt': 'text/vtt; charset=utf-8',
        'v/poster.jpg': 'image/jpeg',
        'v/sprite.png': 'image/png',
        'v/sprite.webp': 'image/webp',
        'v/meta.json': 'application/json',
      };
      for (const [key, type] of Object.entries(expected)) {
        const res = await get(`/media/${key}`, { method: 'HEAD' });
        assert.equal(res.headers.get('content-type'), type, key);
      }
    });

    it('lets segments be cached for a year and playlists for seconds', async () => {
      assert.equal((await get(segment, { method: 'HEAD' })).headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await get('/media/v/720p/init.mp4', { method: 'HEAD' })).headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await get('/media/v/720p/index.m3u8', { method: 'HEAD' })).headers.get('cache-control'), 'public, max-age=10');
      assert.equal((await get('/media/v/captions.en.vtt', { method: 'HEAD' })).headers.get('cache-control'), 'public, max-age=60');
    });

    it('sends the cache policy the route chose instead, such as a private one for members', async () => {
      const res = await get('/members/v/720p/seg-00001.m4s');
      await res.arrayBuffer();
      assert.equal(res.headers.get('cache-control'), 'private, max-age=60');
    });

    it('sends one byte range as 206 with Content-Range', async () => {
      const res = await get(segment, { headers: { range: 'bytes=100-299' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes 100-299/${SEGMENT.length}`);
      assert.equal(res.headers.get('content-length'), '200');
      assert.deepEqual(await bodyBytes(res), SEGMENT.subarray(100, 300));
    });

    it('sends a suffix range, an open range, and clamps an end past the file', async () => {
      const suffix = await get(segment, { headers: { range: 'bytes=-10' } });
      assert.equal(suffix.headers.get('content-range'), `bytes ${SEGMENT.length - 10}-${SEGMENT.length - 1}/${SEGMENT.length}`);
      assert.deepEqual(await bodyBytes(suffix), SEGMENT.subarray(-10));
      const open = await get(segment, { headers: { range: 'bytes=300000-' } });
      assert.equal(open.status, 206);
      assert.deepEqual(await bodyBytes(open), SEGMENT.subarray(300000));
      const clamped = await get('/media/v/poster.jpg', { headers: { range: 'bytes=150-9999' } });
      assert.equal(clamped.headers.get('content-range'), 'bytes 150-199/200');
      assert.equal((await bodyBytes(clamped)).length, 50);
    });

    it('answers 416 with the real size for a range past the end', async () => {
      const res = await get(segment, { headers: { range: `bytes=${SEGMENT.length}-` } });
      assert.equal(res.status, 416);
      assert.equal(res.headers.get('content-range'), `bytes */${SEGMENT.length}`);
      assert.equal((await bodyBytes(res)).length, 0);
      const empty = await get('/media/v/empty.m4s', { headers: { range: 'bytes=0-' } });
      assert.equal(empty.status, 416);
      assert.equal(empty.headers.get('content-range'), 'bytes */0');
    });

    it('sends the whole file for several ranges, a malformed range, or another unit', async () => {
      for (const range of ['bytes=0-9,20-29', 'bytes=abc', 'bytes=9-3', 'items=0-9', 'bytes=-']) {
        const res = await get('/media/v/poster.jpg', { headers: { range } });
        assert.equal(res.status, 200, range);
        assert.equal((await bodyBytes(res)).length, 200, range);
      }
    });

    it('ignores Range on HEAD, as ranges are defined for GET only', async () => {
      const res = await get(segment, { method: 'HEAD', headers: { range: 'bytes=0-9' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), String(SEGMENT.length));
    });

    it('sends an empty file as 200 with a zero length', async () => {
      const res = await get('/media/v/empty.m4s');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), '0');
      assert.equal((await bodyBytes(res)).length, 0);
    });

    it('answers 304 without a body when If-None-Match holds the tag, weakly or in a list', async () => {
      const etag = await etagOf(segment);
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const res = await get(segment, { headers: { 'if-none-match': ifNoneMatch } });
        assert.equal(res.status, 304, ifNoneMatch);
        assert.equal(res.headers.get('etag'), etag);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.equal((await bodyBytes(res)).length, 0);
      }
      const other = await get(segment, { headers: { 'if-none-match': '"not-it"' } });
      assert.equal(other.status, 200);
      await other.arrayBuffer();
    });

    it('answers 304 to If-Modified-Since at or after Last-Modified, and 200 before it', async () => {
      const lastModified = (await get(segment, { method: 'HEAD' })).headers.get('last-modified')!;
      const same = await get(segment, { headers: { 'if-modified-since': lastModified } });
      assert.equal(same.status, 304);
      const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      const changed = await get(segment, { headers: { 'if-modified-since': earlier } });
      assert.equal(changed.status, 200);
      await changed.arrayBuffer();
      const garbage = await get(segment, { headers: { 'if-modified-since': 'yesterday' } });
      assert.equal(garbage.status, 200);
      await garbage.arrayBuffer();
    });

    it('lets a non-matching If-None-Match win over a matching If-Modified-Since', async () => {
      const lastModified = (await get(segment, { method: 'HEAD' })).headers.get('last-modified')!;
      const res = await get(segment, { headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    });

    it('honours Range only while If-Range still names the current file', async () => {
      const head = await get(segment, { method: 'HEAD' });
      const etag = head.headers.get('etag')!;
      const lastModified = head.headers.get('last-modified')!;
      const byTag = await get(segment, { headers: { range: 'bytes=0-9', 'if-range': etag } });
      assert.equal(byTag.status, 206);
      await byTag.arrayBuffer();
      const byDate = await get(segment, { headers: { range: 'bytes=0-9', 'if-range': lastModified } });
      assert.equal(byDate.status, 206);
      await byDate.arrayBuffer();
      for (const ifRange of ['"old-tag"', `W/${etag}`, new Date(Date.parse(lastModified) - 1000).toUTCString()]) {
        const res = await get(segment, { headers: { range: 'bytes=0-9', 'if-range': ifRange } });
        assert.equal(res.status, 200, ifRange);
        assert.equal((await bodyBytes(res)).length, SEGMENT.length);
      }
    });

    it('gives a rewritten file a new tag, so an old If-None-Match gets the new bytes', async () => {
      await storage.put('v/720p/live.m3u8', new TextEncoder().encode('#EXTM3U\n#1\n'));
      const etag = await etagOf('/media/v/720p/live.m3u8');
      await storage.put('v/720p/live.m3u8', new TextEncoder().encode('#EXTM3U\n#1\n#2\n'));
      const res = await get('/media/v/720p/live.m3u8', { headers: { 'if-none-match': etag } });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '#EXTM3U\n#1\n#2\n');
    });

    it('sends the new bytes of a file rewritten after it was served, even at the same size', async () => {
      await storage.put('v/720p/same.m3u8', new TextEncoder().encode('#EXTM3U\n#A\n'));
      assert.equal(await (await get('/media/v/720p/same.m3u8')).text(), '#EXTM3U\n#A\n');
      await storage.put('v/720p/same.m3u8', new TextEncoder().encode('#EXTM3U\n#B\n'));
      assert.equal(await (await get('/media/v/720p/same.m3u8')).text(), '#EXTM3U\n#B\n');
    });

    it('answers 404 for a missing file and for a key that is not a safe path', async () => {
      assert.equal((await get('/media/v/720p/seg-99999.m4s')).status, 404);
      assert.equal((await get('/media/v/..%2F..%2Fetc/passwd')).status, 404);
      assert.equal((await get('/media/.hidden')).status, 404);
      assert.equal((await get('/media/v/poster.jpg/inside')).status, 404, 'a path through a file');
      assert.equal((await get('/media/v/720p')).status, 404, 'a folder');
    });
  });
}

async function tempRoot(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'fanfare-serve-'));
}

describeServing('local disk, in-process', async () => {
  const root = await tempRoot();
  const storage = createLocalStorage(root);
  const app = mediaApp(storage);
  return { storage, fetch: async (url, init) => app.request(url, init), close: () => rm(root, { recursive: true, force: true }) };
});

describeServing('local disk, in-process, streaming past a small cache limit', async () => {
  const root = await tempRoot();
  const storage = createLocalStorage(root);
  // The 600 KiB segment is over this cache's per-file limit, so it takes the streaming path.
  const app = mediaApp(storage, createFileCache({ maxBytes: 1024 * 1024, maxFileBytes: 64 * 1024 }));
  return { storage, fetch: async (url, init) => app.request(url, init), close: () => rm(root, { recursive: true, force: true }) };
});

describeServing('local disk, in-process, without a cache', async () => {
  const root = await tempRoot();
  const storage = createLocalStorage(root);
  const app = mediaApp(storage, null);
  return { storage, fetch: async (url, init) => app.request(url, init), close: () => rm(root, { recursive: true, force: true }) };
});

describeServing('local disk, over HTTP with @hono/node-server', async () => {
  const root = await tempRoot();
  const storage = createLocalStorage(root);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: mediaApp(storage).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    storage,
    fetch: (url, init) => fetch(`http://127.0.0.1:${port}${url}`, init),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
});

describeServing('S3', async () => {
  const s3 = await startTestS3Server();
  const storage = createS3Storage(s3.options);
  const app = mediaApp(storage);
  return { storage, fetch: async (url, init) => app.request(url, init), close: () => s3.close() };
});
