import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStorage, RangeNotSatisfiableError, type MediaStorage } from '../../src/core/storage/index.js';
import { startTestS3Server } from '../fakes/s3-server.js';

// The same assertions for every adapter: what callers may rely on whatever the storage is.
interface Adapter {
  storage: MediaStorage;
  /** A second instance with a public base URL, to check `publicUrl`. */
  withPublicUrl: (base: string) => Promise<MediaStorage>;
  close(): Promise<void>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = async (body: ReadableStream<Uint8Array>) => new TextDecoder().decode(await readAll(body));
const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function scratchDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'fanfare-storage-src-'));
}

function describeContract(name: string, open: () => Promise<Adapter>) {
  describe(`${name} media storage`, () => {
    let adapter: Adapter;
    let storage: MediaStorage;
    before(async () => {
      adapter = await open();
      storage = adapter.storage;
    });
    after(() => adapter.close());

    it('returns what was put, with its size, date and a quoted entity tag', async () => {
      await storage.put('contract/hello.txt', bytes('hello world'));
      const file = await storage.get('contract/hello.txt');
      assert.ok(file);
      assert.equal(await text(file.body), 'hello world');
      assert.equal(file.size, 11);
      assert.equal(file.start, 0);
      assert.equal(file.end, 10);
      assert.match(file.etag, /^"[^"]+"$/);
      assert.ok(Math.abs(file.modified.getTime() - Date.now()) < 60_000, 'modified is about now');
    });

    it('returns undefined from get and stat for a key that does not exist', async () => {
      assert.equal(await storage.get('contract/missing.m4s'), undefined);
      assert.equal(await storage.stat('contract/missing.m4s'), undefined);
    });

    it('describes a file in stat exactly as get does', async () => {
      await storage.put('contract/stat.vtt', bytes('WEBVTT\n'));
      const info = await storage.stat('contract/stat.vtt');
      const file = await storage.get('contract/stat.vtt');
      assert.ok(info && file);
      await file.body.cancel();
      assert.deepEqual(info, { size: file.size, modified: file.modified, etag: file.etag });
    });

    it('gives a rewritten file a new entity tag', async () => {
      await storage.put('contract/playlist.m3u8', bytes('#EXTM3U\n#one'));
      const before = await storage.stat('contract/playlist.m3u8');
      await storage.put('contract/playlist.m3u8', bytes('#EXTM3U\n#two, longer'));
      const after = await storage.stat('contract/playlist.m3u8');
      assert.notEqual(before?.etag, after?.etag);
    });

    it('returns only the asked byte range, with its offsets and the whole size', async () => {
      await storage.put('contract/range.bin', bytes('0123456789'));
      const middle = await storage.get('contract/range.bin', { start: 2, end: 4 });
      assert.ok(middle);
      assert.equal(await text(middle.body), '234');
      assert.deepEqual([middle.start, middle.end, middle.size], [2, 4, 10]);
    });

    it('reads an open range to the end and clamps an end past the last byte', async () => {
      const open = await storage.get('contract/range.bin', { start: 7 });
      assert.equal(await text(open!.body), '789');
      const clamped = await storage.get('contract/range.bin', { start: 8, end: 1000 });
      assert.equal(await text(clamped!.body), '89');
      assert.deepEqual([clamped!.start, clamped!.end], [8, 9]);
    });

    it('refuses a range that starts at or past the end, telling the real size', async () => {
      await assert.rejects(storage.get('contract/range.bin', { start: 10 }), (error) => {
        assert.ok(error instanceof RangeNotSatisfiableError);
        assert.equal(error.size, 10);
        return true;
      });
    });

    it('stores a large file from disk byte for byte (multipart on S3)', async () => {
      const dir = await scratchDir();
      const source = path.join(dir, 'original.mp4');
      const data = Buffer.alloc(17 * 1024 * 1024 + 123);
      for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
      await writeFile(source, data);
      await storage.putFile('contract/original.mp4', source);
      assert.ok(existsSync(source), 'putFile leaves the source in place');
      const stored = await storage.get('contract/original.mp4');
      assert.equal(stored?.size, data.length);
      assert.equal(sha1(await readAll(stored!.body)), sha1(data));
      await rm(dir, { recursive: true, force: true });
    });

    it('moves a file from disk when asked to, consuming the source', async () => {
      const dir = await scratchDir();
      const source = path.join(dir, 'upload.bin');
      await writeFile(source, 'uploaded original');
      await storage.putFile('contract/moved.mp4', source, { move: true });
      assert.equal(existsSync(source), false);
      assert.equal(await text((await storage.get('contract/moved.mp4'))!.body), 'uploaded original');
      await rm(dir, { recursive: true, force: true });
    });

    it('stores a transcode folder under a prefix and consumes the folder', async () => {
      const dir = await scratchDir();
      const out = path.join(dir, 'out');
      await mkdir(path.join(out, '720p'), { recursive: true });
      await writeFile(path.join(out, 'master.m3u8'), '#EXTM3U\n720p/index.m3u8\n');
      await writeFile(path.join(out, '720p', 'index.m3u8'), '#EXTM3U\n');
      await writeFile(path.join(out, '720p', 'init.mp4'), 'init');
      await writeFile(path.join(out, '720p', 'seg-00001.m4s'), 'segment one');
      await storage.putDirectory('videos/v1/r1', out);
      assert.equal(await text((await storage.get('videos/v1/r1/master.m3u8'))!.body), '#EXTM3U\n720p/index.m3u8\n');
      assert.equal(await text((await storage.get('videos/v1/r1/720p/seg-00001.m4s'))!.body), 'segment one');
      assert.equal((await storage.stat('videos/v1/r1/720p/init.mp4'))?.size, 4);
      assert.equal(existsSync(out), false);
      await rm(dir, { recursive: true, force: true });
    });

    it('adds a second folder into an existing prefix, replacing files of the same name', async () => {
      const dir = await scratchDir();
      await mkdir(path.join(dir, '480p'), { recursive: true });
      await writeFile(path.join(dir, 'master.m3u8'), '#EXTM3U\nboth\n');
      await writeFile(path.join(dir, '480p', 'seg-00001.m4s'), 'small');
      await storage.putDirectory('videos/v1/r1/', dir);
      assert.equal(await text((await storage.get('videos/v1/r1/master.m3u8'))!.body), '#EXTM3U\nboth\n');
      assert.equal(await text((await storage.get('videos/v1/r1/480p/seg-00001.m4s'))!.body), 'small');
      assert.ok(await storage.stat('videos/v1/r1/720p/seg-00001.m4s'), 'earlier files stay');
    });

    it('refuses a folder holding a file whose name is not a safe key, storing nothing', async () => {
      const dir = await scratchDir();
      await writeFile(path.join(dir, 'ok.m4s'), 'ok');
      await writeFile(path.join(dir, 'not ok.m4s'), 'space');
      await assert.rejects(storage.putDirectory('videos/v2', dir), /unsafe storage key/);
      assert.equal(await storage.stat('videos/v2/ok.m4s'), undefined);
      await rm(dir, { recursive: true, force: true });
    });

    it('deletes one key, and deleting a missing key is not an error', async () => {
      await storage.put('contract/gone.jpg', bytes('jpeg'));
      await storage.delete('contract/gone.jpg');
      assert.equal(await storage.stat('contract/gone.jpg'), undefined);
      await storage.delete('contract/gone.jpg');
    });

    it('deletes everything under a prefix and nothing beside it', async () => {
      await storage.put('videos/ab/one.m4s', bytes('1'));
      await storage.put('videos/ab/sub/two.m4s', bytes('2'));
      await storage.put('videos/abc/keep.m4s', bytes('3'));
      await storage.put('videos/ab.jpg', bytes('4'));
      await storage.deletePrefix('videos/ab');
      assert.equal(await storage.stat('videos/ab/one.m4s'), undefined);
      assert.equal(await storage.stat('videos/ab/sub/two.m4s'), undefined);
      assert.ok(await storage.stat('videos/abc/keep.m4s'));
      assert.ok(await storage.stat('videos/ab.jpg'));
      await storage.deletePrefix('videos/nothing-here');
    });

    it('refuses keys and prefixes that could escape, before touching anything', async () => {
      for (const key of ['../secret', 'a/../../b', '/etc/passwd', '', 'a//b', 'a/./b', '.hidden']) {
        await assert.rejects(storage.put(key, bytes('x')), /unsafe storage key/, key);
        await assert.rejects(storage.get(key), /unsafe storage key/, key);
        await assert.rejects(storage.stat(key), /unsafe storage key/, key);
        await assert.rejects(storage.delete(key), /unsafe storage key/, key);
      }
      await assert.rejects(storage.deletePrefix(''), /unsafe storage key/);
      await assert.rejects(storage.deletePrefix('/'), /unsafe storage key/);
      assert.throws(() => storage.publicUrl('../x'), /unsafe storage key/);
    });

    it('has no public URL unless a base is configured, and joins the key to the base when it is', async () => {
      assert.equal(storage.publicUrl('videos/v1/master.m3u8'), undefined);
      const cdn = await adapter.withPublicUrl('https://cdn.example.com/media');
      assert.equal(cdn.publicUrl('videos/v1/master.m3u8'), 'https://cdn.example.com/media/videos/v1/master.m3u8');
      const slash = await adapter.withPublicUrl('https://cdn.example.com/');
      assert.equal(slash.publicUrl('a.jpg'), 'https://cdn.example.com/a.jpg');
    });
  });
}

describeContract('local', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fanfare-storage-'));
  return {
    storage: await createStorage({ kind: 'local', root }),
    withPublicUrl: (publicBaseUrl) => createStorage({ kind: 'local', root, publicBaseUrl }),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

describeContract('S3', async () => {
  const server = await startTestS3Server();
  return {
    storage: await createStorage({ kind: 's3', ...server.options }),
    withPublicUrl: (publicBaseUrl) => createStorage({ kind: 's3', ...server.options, publicBaseUrl }),
    close: () => server.close(),
  };
});
