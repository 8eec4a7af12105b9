import type { Context } from 'hono';
import { close, createReadStream, read } from 'node:fs';
import { Readable } from 'node:stream';
import { NotFoundError } from '../http/errors.js';
import { createFileCache, type FileCache } from './file-cache.js';
import { planResponse, type ResponsePlan } from './http-plan.js';
import { isSafeKey } from './keys.js';
import { openLocalFileSync, statLocalFileSync } from './local.js';
import { RangeNotSatisfiableError, type MediaStorage, type StoredFileInfo } from './media-storage.js';
import { cacheControlFor, contentTypeFor } from './media-types.js';

/** Options of `serveStoredFile`. */
export interface ServeStoredFileOptions {
  /** Cache-Control sent with the file; defaults to `cacheControlFor(key)`. Members-only media pass a private one. */
  cacheControl?: string;
  /** Content-Type; defaults to the one for the key's extension (`contentTypeFor`). */
  contentType?: string;
  /** Memory cache for local files; defaults to `sharedFileCache`. Pass `null` to read from disk every time. */
  cache?: FileCache | null;
}

/**
 * The process-wide memory cache of served local files: 128 MiB by default (about 85 segments of 4 s
 * of 720p), files up to 8 MiB. Size it at start-up with `sharedFileCache.resize(bytes)`; 0 turns it off.
 */
export const sharedFileCache: FileCache = createFileCache({ maxBytes: 128 * 1024 * 1024, maxFileBytes: 8 * 1024 * 1024 });

// Large files (originals) are streamed in big chunks: fewer reads and writes per megabyte.
const STREAM_CHUNK = 512 * 1024;

/**
 * Answers a GET or HEAD for a stored file: 200, 206 for one byte range, 304 for a matching
 * If-None-Match / If-Modified-Since, 416 for a range past the end (see `planResponse` for the rules).
 * Sends a strong ETag, Last-Modified, Accept-Ranges, nosniff, the type for the extension and the
 * cache policy. A missing key, or one that is not a safe key, throws NotFoundError.
 *
 * Local files up to the cache's per-file limit (playlists, segments, posters, captions) are sent as one
 * buffer, from memory when the cache holds the file's current version: one stat per request, no
 * stream machinery, which is what brings Node close to nginx's sendfile (bench/serve.ts). Larger
 * files are streamed. Every response is a normal Hono `Response`, so middleware still applies.
 *
 * @example
 * app.get('/media/:key{.+}', (c) => serveStoredFile(c, deps.storage, c.req.param('key')));
 */
export async function serveStoredFile(c: Context, storage: MediaStorage, key: string, options: ServeStoredFileOptions = {}): Promise<Response> {
  // Keys here are usually built from the URL: a bad one is a page that does not exist, not a crash.
  if (!isSafeKey(key)) throw new NotFoundError();
  const localPath = storage.localPath?.(key);
  if (localPath) return serveLocal(c, localPath, key, options);
  return serveFromAdapter(c, storage, key, options);
}

async function serveLocal(c: Context, file: string, key: string, options: ServeStoredFileOptions): Promise<Response> {
  const cache = options.cache === undefined ? sharedFileCache : options.cache;
  const info = statLocalFileSync(file);
  if (!info) throw new NotFoundError();
  const plan = planResponse((name) => c.req.header(name), c.req.method, info);
  if (plan.status === 304 || plan.status === 416 || c.req.method === 'HEAD') return c.body(null, plan.status, responseHeaders(key, info, plan, options));
  const cached = cache?.get(file, info.etag);
  if (cached) return c.body(cached.subarray(plan.start, plan.end + 1), plan.status, responseHeaders(key, info, plan, options));
  // Read through an open descriptor: if the file was replaced since the stat, its own size and tag
  // decide the answer, so headers and bytes always describe the same version.
  const opened = openLocalFileSync(file);
  if (!opened) throw new NotFoundError();
  const current = opened.info.etag === info.etag ? plan : planResponse((name) => c.req.header(name), c.req.method, opened.info);
  return sendOpened(c, file, key, opened, current, cache, options);
}

async function sendOpened(
  c: Context,
  file: string,
  key: string,
  { fd, info }: { fd: number; info: StoredFileInfo },
  plan: ResponsePlan,
  cache: FileCache | null,
  options: ServeStoredFileOptions,
): Promise<Response> {
  const headers = responseHeaders(key, info, plan, options);
  if (plan.status === 304 || plan.status === 416) {
    close(fd, ignore);
    return c.body(null, plan.status, headers);
  }
  if (info.size <= (cache?.maxFileBytes ?? 256 * 1024)) {
    // Small enough to hold: read it whole in one call, keep it for the next viewer, send the part asked.
    let bytes: Buffer<ArrayBuffer>;
    try {
      bytes = await readWhole(fd, info.size);
    } finally {
      close(fd, ignore);
    }
    cache?.set(file, info.etag, bytes);
    return c.body(bytes.subarray(plan.start, plan.end + 1), plan.status, headers);
  }
  const stream = createReadStream('', { fd, start: plan.start, end: plan.end, highWaterMark: STREAM_CHUNK });
  return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, plan.status, headers);
}

async function readWhole(fd: number, size: number): Promise<Buffer<ArrayBuffer>> {
  // Not from the shared pool: a cached small file must not pin an 8 KiB slab. Never a SharedArrayBuffer.
  const bytes = Buffer.allocUnsafeSlow(size) as Buffer<ArrayBuffer>;
  let offset = 0;
  while (offset < size) {
    const bytesRead = await readAt(fd, bytes, offset, size - offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  // A file that shrank under us (not our writers: they rename) is sent as what was there.
  return offset === size ? bytes : bytes.subarray(0, offset);
}

function readAt(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, offset, length, offset, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
}

function ignore(): void {}

async function serveFromAdapter(c: Context, storage: MediaStorage, key: string, options: ServeStoredFileOptions): Promise<Response> {
  // Remote stores are read in two requests (stat, then get); if the file was replaced in between,
  // the tags differ and we start again rather than send headers of one file with bytes of another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await storage.stat(key);
    if (!info) throw new NotFoundError();
    const plan = planResponse((name) => c.req.header(name), c.req.method, info);
    const headers = responseHeaders(key, info, plan, options);
    if (plan.status === 304 || plan.status === 416 || c.req.method === 'HEAD') return c.body(null, plan.status, headers);
    // A whole file is asked for without a range: simpler for the store, and valid for an empty file.
    const range = plan.status === 206 ? { start: plan.start, end: plan.end } : undefined;
    const file = await storage.get(key, range).catch(shrankAsUndefined);
    if (file && file.etag === info.etag) return c.body(file.body, plan.status, headers);
    await file?.body.cancel();
  }
  throw new Error(`storage key ${key} kept changing while being served`);
}

function shrankAsUndefined(error: unknown): undefined {
  if (error instanceof RangeNotSatisfiableError) return undefined;
  throw error;
}

function responseHeaders(key: string, info: StoredFileInfo, plan: ResponsePlan, options: ServeStoredFileOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
  };
  if (plan.status === 416) {
    headers['Content-Range'] = `bytes */${info.size}`;
    return headers;
  }
  headers['ETag'] = info.etag;
  headers['Last-Modified'] = info.modified.toUTCString();
  headers['Cache-Control'] = options.cacheControl ?? cacheControlFor(key);
  if (plan.status === 304) return headers;
  headers['Content-Type'] = options.contentType ?? contentTypeFor(key);
  headers['Content-Length'] = String(plan.end - plan.start + 1);
  if (plan.status === 206) headers['Content-Range'] = `bytes ${plan.start}-${plan.end}/${info.size}`;
  return headers;
}
