import { ACTIVITY_ACCEPT, isActivityMediaType, snapshotFromActivity, type ActivityFetcher } from './activitypub.js';
import { decodeText, parseHtmlHead, type HtmlHead } from './html-head.js';
import { checkFetchableUrl, safeFetch, SafeFetchError, type SafeFetchOptions, type SafeResponse } from './safe-fetch.js';
import { cleanText, httpUrl, LIMITS, ResolveError, sameHost, type VideoSnapshot } from './snapshot.js';

/** How the resolver reaches other sites: the safe fetcher's network settings, shared by every request. */
export type FetchSettings = Pick<SafeFetchOptions, 'allowPrivateAddresses' | 'allowedAddresses' | 'timeoutMs' | 'maxBytes' | 'lookup' | 'userAgent'>;

/** Options of `resolveVideo`. */
export interface ResolveOptions {
  fetch?: FetchSettings;
  /** Time limit for the whole resolution (every request it makes). Default 20 s. */
  timeoutMs?: number;
}

const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';
const JSON_ACCEPT = 'application/json, text/json;q=0.9';
const ACTOR_MAX_BYTES = 256 * 1024;

type Get = (url: string, accept: string, extra?: Partial<SafeFetchOptions>) => Promise<SafeResponse>;

function isHtml(mediaType: string): boolean {
  return mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
}

function parseJson(response: SafeResponse): unknown {
  if (response.truncated) return undefined;
  try {
    return JSON.parse(decodeText(response.body, response.charset));
  } catch {
    return undefined;
  }
}

/** The page's address: its own canonical URL when it names one on the same host, else where it was fetched. */
function pageUrl(head: HtmlHead, fetched: string): string {
  const canonical = httpUrl(head.meta.get('og:url'), fetched) ?? httpUrl(head.canonical, fetched);
  return canonical && sameHost(canonical, fetched) ? canonical : fetched;
}

async function fromOembed(get: Get, head: HtmlHead, page: string): Promise<VideoSnapshot | undefined> {
  const endpoint = httpUrl(head.alternates.get('application/json+oembed') ?? head.alternates.get('text/json+oembed'), page);
  if (!endpoint) return undefined;
  // A broken oEmbed endpoint is not the page's last word: Open Graph may still describe it.
  const data = await get(endpoint, JSON_ACCEPT).then(parseJson, () => undefined);
  if (!data || typeof data !== 'object') return undefined;
  const o = data as Record<string, unknown>;
  const title = cleanText(o['title'], LIMITS.title);
  if (o['type'] !== 'video' || !title) return undefined;
  return {
    url: pageUrl(head, page),
    title,
    thumbnailUrl: httpUrl(o['thumbnail_url'], endpoint) ?? httpUrl(head.meta.get('og:image'), page),
    authorName: cleanText(o['author_name'], LIMITS.name),
    authorUrl: httpUrl(o['author_url'], endpoint),
    siteName: cleanText(o['provider_name'], LIMITS.name) ?? cleanText(head.meta.get('og:site_name'), LIMITS.name),
    source: 'oembed',
  };
}

/** Open Graph, when the page says it is (or carries) a video. */
function fromOpenGraph(head: HtmlHead, page: string): VideoSnapshot | undefined {
  const meta = head.meta;
  const title = cleanText(meta.get('og:title') ?? meta.get('twitter:title'), LIMITS.title);
  const isVideo =
    (meta.get('og:type') ?? '').startsWith('video') ||
    ['og:video', 'og:video:url', 'og:video:secure_url'].some((k) => meta.has(k)) ||
    meta.get('twitter:card') === 'player';
  if (!title || !isVideo) return undefined;
  const author = meta.get('article:author') ?? meta.get('video:director') ?? meta.get('author');
  // article:author is a profile URL or, on many sites, just a name.
  const authorUrl = /^https?:\/\//i.test(author ?? '') ? httpUrl(author) : undefined;
  return {
    url: pageUrl(head, page),
    title,
    thumbnailUrl: httpUrl(meta.get('og:image') ?? meta.get('og:image:url') ?? meta.get('og:image:secure_url') ?? meta.get('twitter:image'), page),
    authorName: authorUrl ? undefined : cleanText(author, LIMITS.name),
    authorUrl,
    siteName: cleanText(meta.get('og:site_name'), LIMITS.name),
    source: 'opengraph',
  };
}

async function fromActivityResponse(response: SafeResponse, fetchActor: ActivityFetcher): Promise<VideoSnapshot | undefined> {
  if (!isActivityMediaType(response.mediaType) && response.mediaType !== 'application/json') return undefined;
  return snapshotFromActivity(parseJson(response), response.url, fetchActor);
}

async function fromHtml(get: Get, response: SafeResponse, fetchActor: ActivityFetcher): Promise<VideoSnapshot> {
  if (!isHtml(response.mediaType)) throw new ResolveError('not_video', response.url);
  const head = parseHtmlHead(decodeText(response.body, response.charset));
  // The head is all we read; a page whose head alone passes the limit is refused, not guessed at.
  if (response.truncated && !head.complete) throw new ResolveError('too_large', response.url);
  const apLink = httpUrl(head.alternates.get('application/activity+json'), response.url);
  if (apLink) {
    const document = await get(apLink, ACTIVITY_ACCEPT).catch(() => undefined);
    const snapshot = document && (await fromActivityResponse(document, fetchActor));
    if (snapshot) return snapshot;
  }
  const snapshot = (await fromOembed(get, head, response.url)) ?? fromOpenGraph(head, response.url);
  if (!snapshot) throw new ResolveError('not_video', response.url);
  return snapshot;
}

/**
 * Turns the address of a video on another site into a snapshot, trying in order: ActivityPub (the
 * address itself asked for `application/activity+json`, or the page's `rel=alternate` link; a
 * `Video` object), oEmbed (the page's `application/json+oembed` link; `type: video`), then Open
 * Graph (`og:title` on a page that says it is or carries a video). Every request goes through
 * `safeFetch`; the thumbnail is not downloaded here.
 *
 * Throws `ResolveError` with the reason to show: a fetch failure (`refused_address`, `timeout`,
 * `too_large`, …) or `not_video`.
 */
export async function resolveVideo(input: string, options: ResolveOptions = {}): Promise<VideoSnapshot> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
  const get: Get = (url, accept, extra = {}) => safeFetch(url, { ...options.fetch, accept, signal: controller.signal, ...extra });
  const fetchActor: ActivityFetcher = async (uri) => parseJson(await get(uri, ACTIVITY_ACCEPT, { maxBytes: ACTOR_MAX_BYTES }));
  try {
    const url = checkFetchableUrl(input).href;
    let first: SafeResponse | undefined;
    try {
      first = await get(url, ACTIVITY_ACCEPT, { overflow: 'truncate' });
    } catch (error) {
      // Servers without ActivityPub may answer that Accept with 404 or 406: the page is still worth a look.
      if (!(error instanceof SafeFetchError && error.reason === 'http_status')) throw error;
    }
    const activity = first && (await fromActivityResponse(first, fetchActor));
    if (activity) return activity;
    const page = first && isHtml(first.mediaType) ? first : await get(url, HTML_ACCEPT, { overflow: 'truncate' });
    return await fromHtml(get, page, fetchActor);
  } catch (error) {
    if (error instanceof ResolveError) throw error;
    if (error instanceof SafeFetchError) throw new ResolveError(error.reason, error.url, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
