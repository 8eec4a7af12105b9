import type { FetchFailure } from './safe-fetch.js';

/** Where a snapshot's facts came from, in the order the resolver tries them. */
export type SnapshotSource = 'activitypub' | 'oembed' | 'opengraph';

/**
 * What Fanfare keeps of a video on another site when a creator recommends it: read once, when the
 * link is pasted, and shown from our database afterwards (the other site is not asked again).
 * Every URL in it is http(s); every text is trimmed and cut to the column's limit.
 */
export interface VideoSnapshot {
  /** The video's page, after redirects (or the page's own canonical address on the same host). */
  url: string;
  title: string;
  /** The remote image; the service stores a checked copy, browsers never load this address. */
  thumbnailUrl?: string;
  authorName?: string;
  authorUrl?: string;
  siteName?: string;
  source: SnapshotSource;
  /** ActivityPub only: the object's id (what an `Announce` names), on the host it was fetched from. */
  objectId?: string;
  /** ActivityPub only: the actor the object is attributed to (a channel before an account), same host. */
  objectActor?: string;
}

/** Why a pasted address gave no snapshot: a fetch failure, or a page that does not describe a video. */
export type ResolveFailure = FetchFailure | 'not_video';

/** The resolver's one error: `reason` says what to tell the creator; `cause` keeps the detail for logs. */
export class ResolveError extends Error {
  override name = 'ResolveError';
  constructor(
    readonly reason: ResolveFailure,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${url}`, options);
  }
}

/** Column limits, shared with the migration's CHECKs. */
export const LIMITS = { url: 2048, title: 300, name: 200, note: 500 } as const;

/** Trimmed, whitespace folded, cut to `max` characters (code points, as PostgreSQL counts); undefined when empty. */
export function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const folded = value.replace(/\s+/g, ' ').trim();
  if (!folded) return undefined;
  const chars = Array.from(folded);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : folded;
}

/** `value` resolved against `base` when it is an http(s) URL of acceptable length; else undefined. */
export function httpUrl(value: unknown, base?: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const url = new URL(value.trim(), base);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return undefined;
    return url.href.length <= LIMITS.url ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** True when both URLs name the same host (a page may only speak for its own host's addresses). */
export function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).hostname === new URL(b).hostname;
  } catch {
    return false;
  }
}
