import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { setAnswerHeader } from './response-headers.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Smaller bodies gain nothing worth the work (one TCP packet either way). */
const MIN_BYTES = 1024;
/** Larger text (an export, a long feed) is left as it is rather than held in memory twice. */
const MAX_BYTES = 4 * 1024 * 1024;
const COMPRESSIBLE = /^(text\/(?!event-stream)|application\/(json|javascript|xml|[a-z.+-]*\+(json|xml))|image\/svg\+xml)/;
/** Bodies with an ETag are the same for everyone (assets): compressed harder, once per process. */
const MAX_KEPT = 64;

type Encoding = 'br' | 'gzip';

/** The encoding the client prefers among those it accepts (brotli first), ignoring `q=0`. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    accepted.add(name!.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

function compress(body: Uint8Array, encoding: Encoding, hard: boolean): Promise<Buffer> {
  if (encoding === 'br') {
    return brotli(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: hard ? 9 : 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
    });
  }
  return gzipAsync(body, { level: hard ? 9 : 6 });
}

/**
 * Compresses text answers (pages, styles, scripts, JSON, feeds) with brotli or gzip by `Accept-Encoding`,
 * off the event loop (zlib's thread pool). Media (video segments, playlists served by the media area),
 * partial and empty answers pass untouched. An answer with an ETag keeps it marked weak (`W/`), as the
 * bytes differ; its compressed form is kept, so an asset is compressed once per process.
 */
export function compression() {
  const kept = new Map<string, Buffer>();
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (c.var.area !== 'media') setAnswerHeader(c, 'Vary', 'Accept-Encoding', { append: true });
    const res = c.res;
    if (!encoding || c.req.method === 'HEAD' || c.var.area === 'media' || !res.body || res.status !== 200) return;
    if (res.headers.has('content-encoding') || res.headers.has('content-range')) return;
    if (!COMPRESSIBLE.test(res.headers.get('content-type') ?? '')) return;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > MAX_BYTES || declared < MIN_BYTES) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    if (body.byteLength < MIN_BYTES || body.byteLength > MAX_BYTES) {
      c.res = new Response(body, { status: res.status, headers });
      return;
    }
    const etag = headers.get('etag');
    let out: Buffer;
    if (etag) {
      const key = `${encoding}:${etag}`;
      out = kept.get(key) ?? (await compress(body, encoding, true));
      kept.set(key, out);
      if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
      if (!etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    } else {
      out = await compress(body, encoding, false);
    }
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(out.byteLength));
    c.res = undefined as unknown as Response; // replace the answer rather than merge headers into it
    c.res = new Response(new Uint8Array(out), { status: res.status, headers });
  });
}

/** If-None-Match against an ETag, weak or strong (a compressed answer carried it as `W/"…"`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare || candidate.trim() === '*');
}
