import { cleanText, httpUrl, LIMITS, sameHost, type VideoSnapshot } from './snapshot.js';

/** What to ask an ActivityPub server for (ActivityStreams 2.0, both spellings servers accept). */
export const ACTIVITY_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

/** True for the media types ActivityPub servers answer with. */
export function isActivityMediaType(mediaType: string): boolean {
  return mediaType === 'application/activity+json' || mediaType === 'application/ld+json';
}

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function hasType(value: Json, type: string): boolean {
  return list(value['type']).includes(type);
}

/** A natural-language value: the plain property, else the first entry of its `…Map`. */
function naturalText(object: Json, key: string): unknown {
  if (typeof object[key] === 'string') return object[key];
  const map = asRecord(object[`${key}Map`]);
  return map ? Object.values(map).find((v) => typeof v === 'string') : undefined;
}

/** The human page among `url` values: a Link with an HTML media type first, else the first plain URL. */
function htmlUrl(value: unknown, base: string): string | undefined {
  const items = list(value);
  for (const item of items) {
    const link = asRecord(item);
    if (link && /^text\/html\b/.test(String(link['mediaType'] ?? ''))) {
      const href = httpUrl(link['href'], base);
      if (href) return href;
    }
  }
  for (const item of items) {
    const href = httpUrl(typeof item === 'string' ? item : asRecord(item)?.['href'], base);
    if (href) return href;
  }
  return undefined;
}

/** The widest image among `icon`, `image`, `thumbnail`, `preview` (PeerTube sends several sizes). */
function imageUrl(object: Json, base: string): string | undefined {
  let best: { url: string; width: number } | undefined;
  for (const key of ['icon', 'image', 'thumbnail', 'preview']) {
    for (const item of list(object[key])) {
      const image = asRecord(item);
      const mediaType = String(image?.['mediaType'] ?? '');
      if (mediaType && !mediaType.startsWith('image/')) continue;
      const url = typeof item === 'string' ? httpUrl(item, base) : htmlUrlOrHref(image?.['url'] ?? image?.['href'], base);
      const width = Number(image?.['width']) || 0;
      if (url && (!best || width > best.width)) best = { url, width };
    }
  }
  return best?.url;
}

function htmlUrlOrHref(value: unknown, base: string): string | undefined {
  for (const item of list(value)) {
    const href = httpUrl(typeof item === 'string' ? item : asRecord(item)?.['href'], base);
    if (href) return href;
  }
  return undefined;
}

/** The actor to credit: a channel (Group) before an account (Person), as PeerTube lists both. */
function pickAttribution(value: unknown): Json | string | undefined {
  const items = list(value).filter((v): v is Json | string => typeof v === 'string' || Boolean(asRecord(v)));
  return items.find((v) => typeof v !== 'string' && hasType(v, 'Group')) ?? items[0];
}

/** Fetches an ActivityPub document by id through the safe fetcher; undefined when it cannot. */
export type ActivityFetcher = (uri: string) => Promise<unknown>;

async function authorOf(object: Json, base: string, fetchActor: ActivityFetcher): Promise<{ authorName?: string; authorUrl?: string }> {
  const attribution = pickAttribution(object['attributedTo']);
  if (!attribution) return {};
  let actor = typeof attribution === 'string' ? undefined : attribution;
  const id = httpUrl(typeof attribution === 'string' ? attribution : attribution['id'], base);
  if (id && !cleanText(actor?.['name'] ?? actor?.['preferredUsername'], 1)) {
    // Only the actor's own host may describe it: a document claiming another host's id is ignored.
    const fetched = asRecord(await fetchActor(id).catch(() => undefined));
    if (fetched && typeof fetched['id'] === 'string' && sameHost(fetched['id'], id)) actor = fetched;
  }
  return {
    authorName: cleanText(actor ? (naturalText(actor, 'name') ?? actor['preferredUsername']) : undefined, LIMITS.name),
    authorUrl: (actor ? htmlUrl(actor['url'], base) : undefined) ?? id,
  };
}

/**
 * Reads an ActivityPub `Video` object into a snapshot, or undefined when the document is not one
 * (another type, no name) or claims an id on another host than the one it was fetched from (the
 * usual ActivityPub origin check: a server only speaks for its own objects). The author's name is
 * fetched from the attributed actor when the object only names it by URI.
 */
export async function snapshotFromActivity(document: unknown, fetchedFrom: string, fetchActor: ActivityFetcher): Promise<VideoSnapshot | undefined> {
  const object = asRecord(document);
  if (!object || !hasType(object, 'Video')) return undefined;
  const id = typeof object['id'] === 'string' ? object['id'] : undefined;
  if (!id || !sameHost(id, fetchedFrom)) return undefined;
  const title = cleanText(naturalText(object, 'name'), LIMITS.title);
  if (!title) return undefined;
  const page = htmlUrl(object['url'], fetchedFrom);
  const attribution = pickAttribution(object['attributedTo']);
  const objectActor = httpUrl(typeof attribution === 'string' ? attribution : attribution?.['id'], fetchedFrom);
  return {
    url: page && sameHost(page, fetchedFrom) ? page : fetchedFrom,
    title,
    thumbnailUrl: imageUrl(object, fetchedFrom),
    ...(await authorOf(object, fetchedFrom, fetchActor)),
    siteName: new URL(fetchedFrom).hostname,
    source: 'activitypub',
    objectId: httpUrl(id),
    ...(objectActor && sameHost(objectActor, fetchedFrom) ? { objectActor } : {}),
  };
}
