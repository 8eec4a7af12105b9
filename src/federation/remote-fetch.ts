import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { signRequest } from '@fedify/fedify';
import { Object as APObject } from '@fedify/vocab';
import { FetchError, getDocumentLoader, preloadedContexts, type DocumentLoader, type RemoteDocument } from '@fedify/vocab-runtime';
import { readBodyUpTo } from '../core/http/read-limited.js';

/** Limits on every request this site makes to another server. */
export interface RemoteFetchLimits {
  /** Allow loopback and private addresses: for tests with several local instances only. */
  allowPrivateAddress: boolean;
  /** Whole request, body included. */
  timeoutMs: number;
  /** Largest body read; a longer one is refused. */
  maxBytes: number;
  userAgent: string;
  /**
   * Replaces the address check of each hop (default: {@link assertFetchableUrl} with
   * `allowPrivateAddress`). Tests use it to let one loopback server through and judge its redirects.
   */
  guard?: (url: string) => Promise<unknown>;
  /** Resolves a host name to its addresses (default: the system resolver, every address). Tests inject names. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Which resolved addresses may be connected to (default: public ones, or any with `allowPrivateAddress`). */
  addressAllowed?: (address: string) => boolean;
}

/** Defaults: a remote document is small and quick, or it is not worth waiting for. */
export const DEFAULT_FETCH_LIMITS: Omit<RemoteFetchLimits, 'allowPrivateAddress' | 'userAgent' | 'guard'> = {
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
};

const MAX_REDIRECTS = 5;

/** Why a remote request was refused or failed; `url` is the address asked for. */
export class RemoteFetchError extends FetchError {
  constructor(
    url: string,
    readonly reason: 'private_address' | 'bad_url' | 'too_large' | 'timeout' | 'http_status' | 'too_many_redirects' | 'not_json' | 'network',
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(url, message);
    this.name = 'RemoteFetchError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Addresses that are not the public internet (RFC 6890 special-purpose ranges). */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // IPv6 forms that carry an IPv4 address (mapped, translated, 6to4) are decoded first (embeddedIPv4);
  // no ::ffff:0:0/96 here: BlockList matches IPv4 addresses against it, so it would refuse them all.
  ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const quad = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    if (isIP(quad[2]!) !== 4) return undefined;
    const [a, b, c, d] = quad[2]!.split('.').map(Number) as [number, number, number, number];
    text = `${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? undefined : groups;
}

/**
 * The IPv4 address an IPv6 address stands for, when it is one of the forms that reach an IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d, written by URLs as [::ffff:7f00:1]), IPv4-translated (::ffff:0:a.b.c.d)
 * and 6to4 (2002:aabb:ccdd::/48).
 */
function embeddedIPv4(groups: number[]): string | undefined {
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return quad(groups[6]!, groups[7]!);
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return quad(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  return undefined;
}

/**
 * True for an IP address on the public internet. IPv6 addresses that stand for an IPv4 one are judged by
 * that IPv4 address; other non-IP text is not public. (Decimal, octal and hex IPv4 forms such as
 * `2130706433` or `0x7f.1` never get here: URL parsing turns them into dotted quads first.)
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  const groups = ipv6Groups(address);
  if (!groups) return false;
  const v4 = embeddedIPv4(groups);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !NON_PUBLIC.check(address, 'ipv6');
}

/** The system resolver: every address of a name, none when it does not resolve. */
const systemResolve = (hostname: string) => lookup(hostname, { all: true }).then((r) => r.map((a) => a.address), () => [] as string[]);

/** A URL judged fit to fetch, with the addresses it was judged on: the only ones the request may connect to. */
export interface VettedUrl {
  url: URL;
  addresses: string[];
}

/**
 * Refuses URLs other than http(s), and hosts that resolve to any non-public address (all of them are
 * checked, so a name with one private address among public ones is refused too), unless allowed. The
 * name is resolved once, here: {@link limitedFetch} then connects to these addresses only (no second
 * lookup a DNS-rebinding name could answer differently).
 */
export async function vetUrl(url: string, policy: Pick<RemoteFetchLimits, 'allowPrivateAddress' | 'resolve' | 'addressAllowed'>): Promise<VettedUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RemoteFetchError(url, 'bad_url', 'not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RemoteFetchError(url, 'bad_url', `unsupported protocol ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new RemoteFetchError(url, 'bad_url', 'credentials in URL');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await (policy.resolve ?? systemResolve)(host);
  if (addresses.length === 0) throw new RemoteFetchError(url, 'network', `cannot resolve ${host}`);
  const allowed = policy.addressAllowed ?? ((a: string) => policy.allowPrivateAddress || isPublicAddress(a));
  const bad = addresses.find((a) => !allowed(a));
  if (bad) throw new RemoteFetchError(url, 'private_address', `refusing non-public address ${bad}`);
  return { url: parsed, addresses };
}

/** {@link vetUrl} without the addresses, for callers that only judge a URL (nothing is fetched). */
export async function assertFetchableUrl(url: string, allowPrivateAddress: boolean): Promise<URL> {
  return (await vetUrl(url, { allowPrivateAddress })).url;
}

/** A `lookup` for node:http that answers the vetted addresses for the vetted name, and nothing else. */
function pinnedLookup(vetted: VettedUrl): LookupFunction {
  const hostname = vetted.url.hostname.replace(/^\[|\]$/g, '');
  const entries = vetted.addresses.map((address) => ({ address, family: isIP(address) }));
  return (name, options, callback) => {
    if (name !== hostname) return callback(Object.assign(new Error(`unvetted host ${name}`), { code: 'ENOTFOUND' }), '', 4);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof entries) => void)(null, entries);
    const wanted = (options as { family?: number | string }).family;
    const entry = entries.find((e) => !wanted || wanted === e.family || wanted === `IPv${e.family}`) ?? entries[0]!;
    callback(null, entry.address, entry.family);
  };
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The body of a response as a web stream, decoded when the server compressed it anyway. */
function bodyOf(message: IncomingMessage): ReadableStream<Uint8Array> {
  const encoding = (message.headers['content-encoding'] ?? '').toLowerCase().trim();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  const stream: Readable = decoder ? message.pipe(decoder) : message;
  if (decoder) message.on('error', (error) => decoder.destroy(error));
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

/**
 * Sends one request over a connection to a vetted address (node:http with a pinned `lookup`; TLS still
 * checks the certificate for the URL's name). Redirects are not followed: the caller vets each hop.
 */
async function pinnedRequest(request: Request, vetted: VettedUrl, signal: AbortSignal): Promise<Response> {
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  const send = vetted.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(vetted.url, { method: request.method, headers, lookup: pinnedLookup(vetted), signal, agent: false }, (message) => {
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
      }
      const decoded = !!message.headers['content-encoding'];
      if (decoded) {
        responseHeaders.delete('content-encoding');
        responseHeaders.delete('content-length');
      }
      const status = message.statusCode ?? 502;
      if (NULL_BODY_STATUSES.has(status) || request.method === 'HEAD') {
        message.resume();
        return resolve(new Response(null, { status, statusText: message.statusMessage, headers: responseHeaders }));
      }
      resolve(new Response(bodyOf(message), { status: status < 200 ? 502 : status, statusText: message.statusMessage, headers: responseHeaders }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Reads a body up to `maxBytes`, refusing a longer one without reading it all. */
export async function readLimited(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const body = await readBodyUpTo(response, maxBytes);
  if (!body) throw new RemoteFetchError(url, 'too_large', `body exceeds ${maxBytes} bytes`);
  return body;
}

/** What {@link limitedFetch} returns: the final response (after redirects), its body and its URL. */
export interface LimitedResponse {
  response: Response;
  body: Uint8Array;
  url: string;
}

/**
 * One request to another server within `limits`: every hop of a redirect is checked for a public address,
 * the whole exchange must finish in `timeoutMs`, and the body is cut at `maxBytes`. `sign` lets the caller
 * sign each hop (HTTP Signatures cover the URL). Non-2xx answers are returned, not thrown.
 */
export async function limitedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  limits: RemoteFetchLimits,
  sign?: (request: Request) => Promise<Request>,
): Promise<LimitedResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      // Each hop is resolved once and vetted, and its connection pinned to the vetted addresses.
      if (limits.guard) await limits.guard(current);
      const vetted = await vetUrl(current, limits.guard ? { ...limits, addressAllowed: limits.addressAllowed ?? (() => true) } : limits);
      let request = new Request(current, {
        method: init.method ?? 'GET',
        headers: { 'user-agent': limits.userAgent, ...init.headers },
        body: init.body,
        redirect: 'manual',
        signal,
      });
      if (sign) request = await sign(request);
      const response = await pinnedRequest(request, vetted, signal);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && (init.method ?? 'GET') === 'GET') {
        await response.body?.cancel().catch(() => undefined);
        current = new URL(location, current).href;
        continue;
      }
      return { response, body: await readLimited(response, limits.maxBytes, current), url: current };
    }
  } catch (error) {
    if (error instanceof RemoteFetchError) throw error;
    if (signal.aborted) throw new RemoteFetchError(current, 'timeout', `no answer within ${limits.timeoutMs} ms`, undefined, { cause: error });
    throw new RemoteFetchError(current, 'network', error instanceof Error ? error.message : String(error), undefined, { cause: error });
  }
  throw new RemoteFetchError(url, 'too_many_redirects', `more than ${MAX_REDIRECTS} redirects`);
}

const ACTIVITY_TYPES = /^application\/(activity\+json|ld\+json)\b/i;

/** The `Link: <...>; rel="alternate"; type="application/activity+json"` target, if any. */
function alternateFromLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>(.*)/.exec(part.trim());
    if (m && /rel="?alternate"?/i.test(m[2]!) && /type="?application\/(activity\+json|ld\+json)/i.test(m[2]!)) return new URL(m[1]!, base).href;
  }
  return undefined;
}

/** The `<link rel="alternate" type="application/activity+json" href>` of an HTML page, if any. */
function alternateFromHtml(html: string, base: string): string | undefined {
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/rel=["']?alternate/i.test(tag) || !/type=["']?application\/(activity\+json|ld\+json)/i.test(tag)) continue;
    const href = /href=["']([^"']+)["']/i.exec(tag)?.[1];
    if (href) return new URL(href, base).href;
  }
  return undefined;
}

const preloaded = getDocumentLoader({ allowPrivateAddress: false });

/**
 * A JSON-LD document loader for Fedify within `limits` (see {@link limitedFetch}); `sign` makes it an
 * authenticated loader (signed fetch, for servers in secure mode). Follows one alternate link from
 * an HTML page or a Link header, as Fedify's own loader does.
 */
export function createDocumentLoader(limits: RemoteFetchLimits, sign?: (request: Request) => Promise<Request>): DocumentLoader {
  async function load(url: string, alternates = 1): Promise<RemoteDocument> {
    // JSON-LD contexts Fedify ships with are never fetched.
    if (Object.hasOwn(preloadedContexts, url)) return preloaded(url);
    const headers = { accept: 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"' };
    const { response, body, url: finalUrl } = await limitedFetch(url, { headers }, limits, sign);
    if (!response.ok) throw new RemoteFetchError(finalUrl, 'http_status', `HTTP ${response.status}`, response.status);
    const type = response.headers.get('content-type') ?? '';
    const text = new TextDecoder().decode(body);
    if (!ACTIVITY_TYPES.test(type) && type !== '' && !/^application\/json\b/i.test(type)) {
      const alternate = alternates > 0 ? (alternateFromLink(response.headers.get('link'), finalUrl) ?? (/html/i.test(type) ? alternateFromHtml(text, finalUrl) : undefined)) : undefined;
      if (alternate && alternate !== finalUrl) return load(alternate, alternates - 1);
      throw new RemoteFetchError(finalUrl, 'not_json', `unexpected content type ${type}`);
    }
    try {
      return { contextUrl: null, document: JSON.parse(text), documentUrl: finalUrl };
    } catch (cause) {
      throw new RemoteFetchError(finalUrl, 'not_json', 'invalid JSON', undefined, { cause });
    }
  }
  return (url: string) => load(url);
}

/** An authenticated loader: each request is signed with the actor's RSA key (`keyId` names it). */
export function createAuthenticatedDocumentLoader(limits: RemoteFetchLimits, identity: { keyId: URL; privateKey: CryptoKey }): DocumentLoader {
  return createDocumentLoader(limits, (request) => signRequest(request, identity.privateKey, identity.keyId));
}

/** What a WebFinger answer may hold: the links we read. */
interface WebFingerAnswer {
  links?: { rel?: string; type?: string; href?: string }[];
}

const SELF_TYPES = /^application\/(activity\+json|ld\+json;\s*profile="https:\/\/www\.w3\.org\/ns\/activitystreams")$/;

/**
 * Asks `host` by WebFinger for the ActivityPub id of `resource` (`acct:user@host`, or a URL), through
 * {@link limitedFetch}: every hop vetted, redirects followed only through the guard. https, and plain http
 * only where private addresses are allowed (several local test instances).
 */
async function webFingerSelf(resource: string, host: string, limits: RemoteFetchLimits): Promise<string | undefined> {
  const schemes = limits.allowPrivateAddress ? ['https', 'http'] : ['https'];
  for (const scheme of schemes) {
    const url = `${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
    let answer: WebFingerAnswer;
    try {
      const { response, body } = await limitedFetch(url, { headers: { accept: 'application/jrd+json, application/json' } }, limits);
      if (!response.ok) continue;
      answer = JSON.parse(new TextDecoder().decode(body)) as WebFingerAnswer;
    } catch (error) {
      if (error instanceof RemoteFetchError && error.reason === 'private_address') throw error;
      continue;
    }
    const self = answer.links?.find((l) => l.rel === 'self' && typeof l.href === 'string' && SELF_TYPES.test(l.type ?? ''));
    if (self?.href) return self.href;
  }
  return undefined;
}

/**
 * Looks up a remote ActivityPub object by URL or `@user@host` handle with Fanfare's own guard on every
 * request — never Fedify's `lookupObject`, whose WebFinger step makes requests of its own that no guard
 * of ours sees. A URL is loaded with `documentLoader` (which must be one of ours); when that fails or is
 * not JSON, the URL's host is asked by WebFinger. An object whose id is on another origin than the
 * document that carried it is refused. Returns null when nothing usable was found; throws a
 * RemoteFetchError when an address was refused.
 */
export async function lookUpRemoteObject(
  target: string,
  options: { limits: RemoteFetchLimits; documentLoader: DocumentLoader; contextLoader?: DocumentLoader },
): Promise<APObject | null> {
  const { limits, documentLoader } = options;
  let document: RemoteDocument | undefined;
  const handle = /^@?([^@\s/]+)@([^@\s/]+)$/.exec(target);
  if (handle) {
    const host = new URL(`https://${handle[2]!}`).host;
    // The host's address is vetted before anything is sent to it, as every hop afterwards.
    await (limits.guard ? limits.guard(`https://${host}/`) : vetUrl(`https://${host}/`, limits));
    const self = await webFingerSelf(`acct:${handle[1]!}@${host}`, host, limits);
    if (!self) return null;
    document = await documentLoader(self);
  } else {
    const url = await (limits.guard ? limits.guard(target).then(() => new URL(target)) : vetUrl(target, limits).then((v) => v.url));
    try {
      document = await documentLoader(url.href);
    } catch (error) {
      if (error instanceof RemoteFetchError && error.reason === 'private_address') throw error;
      const self = await webFingerSelf(url.href, url.host, limits);
      if (!self) return null;
      document = await documentLoader(self);
    }
  }
  let object: APObject;
  try {
    object = await APObject.fromJsonLd(document.document, {
      documentLoader,
      contextLoader: options.contextLoader ?? documentLoader,
      baseUrl: new URL(document.documentUrl),
    });
  } catch {
    return null;
  }
  if (object.id && object.id.origin !== new URL(document.documentUrl).origin) return null;
  return object;
}
