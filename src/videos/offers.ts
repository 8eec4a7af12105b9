import type { Queryable } from '../core/db/index.js';
import type { Locale } from '../core/i18n/index.js';
import { canWatch, type Viewer, type ViewerGrant } from './access.js';
import type { VideoRow } from './queries.js';

/**
 * Something a fan can buy that lets them watch more of a channel: a membership tier today. Videos does
 * not know prices or tiers; the `videos.offers` contributions describe them, already in the fan's words.
 */
export interface WatchOffer {
  /** The tier's name. */
  name: string;
  /** What it grants, in the terms of `canWatch`. */
  grant: ViewerGrant;
  /** One month's price in minor units, to find the cheapest offer (offers of one channel share a currency). */
  monthlyAmount: number;
  /** The price for the paywall and the cards, e.g. "€5.00/month". */
  priceLabel: string;
  /** Where to join, e.g. `/c/handle/membership`; the caller adds `?back=` to come back to the video. */
  joinUrl: string;
}

/** Lists a channel's offers (memberships contributes its tiers), in the viewer's language. */
export type WatchOfferLookup = (db: Queryable, channelId: string, locale: Locale) => Promise<WatchOffer[]>;

/** The cheapest offer that would let a fan watch this video now, if any: what the paywall and the lock name. */
export function cheapestOfferFor(video: Pick<VideoRow, 'status' | 'visibility' | 'publish_at'>, offers: readonly WatchOffer[], now: Date): WatchOffer | undefined {
  const opening = offers.filter((offer) => canWatch(video, { isTeam: false, ...offer.grant } satisfies Viewer, now));
  return opening.sort((a, b) => a.monthlyAmount - b.monthlyAmount)[0];
}

/** How far ahead any offer lets members watch scheduled videos: the channel page shows those as coming. */
export function earlyAccessHorizon(offers: readonly WatchOffer[], now: Date): Date {
  const days = Math.max(0, ...offers.map((offer) => offer.grant.earlyAccessDays));
  return new Date(now.getTime() + days * 86_400_000);
}

/** Every site's offers, read through the slot's contributions, in list order. */
export function offersFrom(lookups: () => readonly WatchOfferLookup[]): WatchOfferLookup {
  return async (db, channelId, locale) => (await Promise.all(lookups().map((lookup) => lookup(db, channelId, locale)))).flat();
}
