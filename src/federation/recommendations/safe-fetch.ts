import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { classifyAddress, type AddressClass } from './addresses.js';

/** Why a fetch of another site's page failed; each maps to one message the creator can act on. */
export type FetchFailure =
  | 'invalid_url'
  | 'scheme'
  | 'refused_address'
  | 'dns'
  | 'unreachable'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'http_status';

/**
 * A fetch of another site that did not give a usable answer. Carries the reason, the URL of the hop
 * that failed, the HTTP status for `http_status`, and the address class for `refused_address`.
 */
export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
  constructor(
    readonly reason: FetchFailure,
    readonly url: string,
    readonly details: { status?: number; addressClass?: AddressClass; address?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${url}${details.status ? ` (HTTP ${details.status})` : ''}${details.address ? ` (${details.address}: ${details.addressClass})` : ''}`, options);
  }
}

/** One resolved address, as `dns.lookup(…, { all: true })` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** Options of `safeFetch`. */
export interface SafeFetchOptions {
  /** The Accept header: each use asks for what it can read (ActivityPub JSON, HTML, oEmbed JSON, images). */
  accept: string;
  /**
   * Lets the fetch reach private, loopback and link-local addresses. Only for local testing
   * (`FEDERATION_ALLOW_PRIVATE_ADDRESSES=true`); a public site must never set it.
   */
  allowPrivateAddresses?: boolean;
  /** Exact addresses allowed although private (a sister site on the same network). */
  allowedAddresses?: readonly string[];
  /** Time limit for the whole fetch, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Largest body read, after decompression. Default 1 MiB. */
  maxBytes?: number;
  /** `error` (default) fails with `too_large`; `truncate` returns the first `maxBytes` and sets `truncated`. */
  overflow?: 'error' | 'truncate';
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Aborts the fetch from outside (a caller's own deadline); reported as `timeout`. */
  signal?: AbortSignal;
  /** Name resolution; `dns.lookup` with every address by default. Tests pass their own. */
  lookup?: HostLookup;
  userAgent?: string;
}

/** A successful (2xx) answer, read into memory within the size limit. */
export interface SafeResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  /** Media type without parameters, lower-cased (`text/html`); empty when the server sent none. */
  mediaType: string;
  /** The `charset` parameter of Content-Type, if any. */
  charset?: string;
  body: Uint8Array;
  /** Set when `overflow: 'truncate'` cut the body. */
  truncated: boolean;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Checks a URL before any network use: http(s) only, no credentials, a host. */
export function checkFetchableUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new SafeFetchError('invalid_url', String(input), {}, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SafeFetchError('scheme', url.href);
  if (url.username || url.password || !url.hostname) throw new SafeFetchError('invalid_url', url.href);
  return url;
}

/**
 * Every address the host has, each checked: one private address is enough to refuse the host, so a
 * name cannot mix a public address (for the check) with a private one (for the connection).
 */
async function vettedAddresses(url: URL, options: SafeFetchOptions): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch (error) {
      throw new SafeFetchError('dns', url.href, {}, { cause: error });
    }
    if (addresses.length === 0) throw new SafeFetchError('dns', url.href);
  }
  if (options.allowPrivateAddresses) return addresses;
  for (const { address } of addresses) {
    const addressClass = classifyAddress(address);
    if (addressClass !== 'public' && !options.allowedAddresses?.includes(address)) {
      throw new SafeFetchError('refused_address', url.href, { address, addressClass });
    }
  }
  return addresses;
}

/**
 * Hands the connection the addresses that were checked instead of resolving the name again: a DNS
 * answer that changes between check and connect (rebinding) cannot reach a private address.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const list = wanted.length ? wanted : addresses;
    if (options.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  stream: Readable;
}

function requestHop(url: URL, addresses: ResolvedAddress[], options: SafeFetchOptions, signal: AbortSignal): Promise<Hop> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: pinnedLookup(addresses),
      signal,
      headers: {
        accept: options.accept,
        'accept-encoding': 'gzip, deflate, br',
        'user-agent': options.userAgent ?? 'Fanfare (+https://fanfare.video) link preview',
      },
    });
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, stream: res }));
    req.on('error', reject);
    req.end();
  });
}

function decoded(hop: Hop): Readable {
  const encoding = String(hop.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return hop.stream.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return hop.stream.pipe(zlib.createInflate());
  if (encoding === 'br') return hop.stream.pipe(zlib.createBrotliDecompress());
  return hop.stream;
}

/** Reads at most `maxBytes`; stops reading (and closes the connection) as soon as the limit is passed. */
async function readLimited(hop: Hop, url: string, options: SafeFetchOptions): Promise<{ body: Uint8Array; truncated: boolean }> {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const declared = Number(hop.headers['content-length']);
  const encoded = Boolean(hop.headers['content-encoding']);
  if (options.overflow !== 'truncate' && !encoded && Number.isFinite(declared) && declared > max) {
    hop.stream.destroy();
    throw new SafeFetchError('too_large', url);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = decoded(hop);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const room = max - size;
      if (chunk.length > room) {
        if (options.overflow !== 'truncate') throw new SafeFetchError('too_large', url);
        chunks.push(chunk.subarray(0, room));
        return { body: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    stream.destroy();
    hop.stream.destroy();
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/** A Location header resolved against the current URL; an unparsable one is the redirect's own fault. */
function redirectTarget(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch (error) {
    throw new SafeFetchError('invalid_url', location, {}, { cause: error });
  }
}

function contentType(headers: http.IncomingHttpHeaders): { mediaType: string; charset?: string } {
  const [type = '', ...params] = String(headers['content-type'] ?? '').split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1]).find(Boolean);
  return { mediaType: type.trim().toLowerCase(), charset };
}

function networkFailure(error: unknown, url: string, timedOut: () => boolean): SafeFetchError {
  if (error instanceof SafeFetchError) return error;
  if (timedOut()) return new SafeFetchError('timeout', url, {}, { cause: error });
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SafeFetchError('dns', url, {}, { cause: error });
  return new SafeFetchError('unreachable', url, {}, { cause: error });
}

/**
 * GETs a page of another site without letting that site (or whoever pasted its address) make
 * Fanfare reach inside its own network. For each hop, redirects included (at most `maxRedirects`):
 * only http and https; the host name is resolved once, every address is refused when private,
 * loopback, link-local, unique-local, multicast or unspecified (IPv4 and IPv6, IPv4-mapped too),
 * and the connection goes to the checked address, so DNS rebinding cannot slip a private address in.
 * One time limit covers the whole fetch; the body is streamed and cut at `maxBytes`.
 *
 * Only 2xx answers are returned; anything else throws `SafeFetchError` with a reason.
 *
 * @example
 * const page = await safeFetch('https://video.example/w/abc', { accept: 'text/html' });
 * const html = new TextDecoder().decode(page.body);
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions): Promise<SafeResponse> {
  let url = checkFetchableUrl(input);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const onOuterAbort = () => {
    timedOut = true;
    controller.abort();
  };
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    for (let redirects = 0; ; redirects++) {
      if (timedOut) throw new SafeFetchError('timeout', url.href);
      const addresses = await vettedAddresses(url, options);
      const hop = await requestHop(url, addresses, options, controller.signal).catch((error: unknown) => {
        throw networkFailure(error, url.href, () => timedOut);
      });
      const location = hop.headers.location;
      if (REDIRECTS.has(hop.status) && location) {
        hop.stream.destroy();
        if (redirects >= (options.maxRedirects ?? 5)) throw new SafeFetchError('too_many_redirects', url.href);
        url = checkFetchableUrl(redirectTarget(location, url));
        continue;
      }
      if (hop.status < 200 || hop.status >= 300) {
        hop.stream.destroy();
        throw new SafeFetchError('http_status', url.href, { status: hop.status });
      }
      const { body, truncated } = await readLimited(hop, url.href, options).catch((error: unknown) => {
        throw networkFailure(error, url.href, () => timedOut);
      });
      return { url: url.href, status: hop.status, ...contentType(hop.headers), body, truncated };
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

