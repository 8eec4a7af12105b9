import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { FetchError, getDocumentLoader, signRequest, type DocumentLoader, type RemoteDocument } from '@fedify/fedify';
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
}

/** Defaults: a remote document is small and quick, or it is not worth waiting for. */
export const DEFAULT_FETCH_LIMITS: Omit<RemoteFetchLimits, 'allowPrivateAddress' | 'userAgent'> = {
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
  // No ::ffff:0:0/96 here: BlockList matches IPv4 addresses against it, so it would refuse them all.
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7],
  ['fe80::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** True for an IP address on the public internet. */
export function isPublicAddress(address: string): boolean {
  // IPv4-mapped IPv6, dotted or in hex as URLs write it ([::ffff:127.0.0.1] becomes [::ffff:7f00:1]).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isPublicAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Refuses URLs other than http(s), and hosts that resolve to any non-public address (all of them are
 * checked, so a name with one private address among public ones is refused too), unless allowed.
 */
export async function assertFetchableUrl(url: string, allowPrivateAddress: boolean): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RemoteFetchError(url, 'bad_url', 'not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RemoteFetchError(url, 'bad_url', `unsupported protocol ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new RemoteFetchError(url, 'bad_url', 'credentials in URL');
  if (allowPrivateAddress) return parsed;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((r) => r.map((a) => a.address), () => []);
  if (addresses.length === 0) throw new RemoteFetchError(url, 'network', `cannot resolve ${host}`);
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad) throw new RemoteFetchError(url, 'private_address', `refusing non-public address ${bad}`);
  return parsed;
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
      await assertFetchableUrl(current, limits.allowPrivateAddress);
      let request = new Request(current, {
        method: init.method ?? 'GET',
        headers: { 'user-agent': limits.userAgent, ...init.headers },
        body: init.body,
        redirect: 'manual',
        signal,
      });
      if (sign) request = await sign(request);
      const response = await fetch(request, { redirect: 'manual', signal });
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

/** JSON-LD contexts Fedify ships with; they are never fetched. */
const PRELOADED_CONTEXTS = new Set([
  'https://www.w3.org/ns/activitystreams',
  'https://w3id.org/security/v1',
  'https://w3id.org/security/data-integrity/v1',
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/identity/v1',
  'https://purl.archive.org/socialweb/webfinger',
  'http://schema.org/',
  'https://gotosocial.org/ns',
]);
const preloaded = getDocumentLoader({ allowPrivateAddress: false });

/**
 * A JSON-LD document loader for Fedify within `limits` (see {@link limitedFetch}); `sign` makes it an
 * authenticated loader (signed fetch, for servers in secure mode). Follows one alternate link from
 * an HTML page or a Link header, as Fedify's own loader does.
 */
export function createDocumentLoader(limits: RemoteFetchLimits, sign?: (request: Request) => Promise<Request>): DocumentLoader {
  async function load(url: string, alternates = 1): Promise<RemoteDocument> {
    if (PRELOADED_CONTEXTS.has(url)) return preloaded(url);
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
