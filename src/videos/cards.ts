import type { AppDeps } from '../core/deps.js';
import type { CurrentUser } from '../core/http/context.js';
import type { Locale } from '../core/i18n/index.js';
import { canWatch, type Viewer } from './access.js';
import { cheapestOfferFor, type WatchOffer, type WatchOfferLookup } from './offers.js';
import type { VideoCard } from './pages/listing.js';
import type { VideoWithChannel } from './queries.js';
import { thumbnailPath, type ViewerLookup } from './service.js';

/** Who is looking, and where to ask what they may watch and what is on offer. */
export interface CardViewer {
  viewerFor: ViewerLookup;
  offers: WatchOfferLookup;
  user: CurrentUser | null;
  locale: Locale;
  /** How many comments each video shows (the `videos.comment-counts` contributions), asked once per listing. */
  commentCounts?: CommentCountLookup;
}

/** Shown comments per video, for a whole listing in one call (videos without comments may be left out). */
export type CommentCountLookup = (videoIds: readonly string[]) => Promise<Map<string, number>>;

/** One lookup summing every contribution (none: no counts). */
export function commentCountsFrom(sources: () => CommentCountLookup[]): CommentCountLookup {
  return async (videoIds) => {
    const total = new Map<string, number>();
    if (videoIds.length === 0) return total;
    for (const counts of await Promise.all(sources().map((count) => count(videoIds)))) {
      for (const [id, n] of counts) total.set(id, (total.get(id) ?? 0) + n);
    }
    return total;
  };
}

/**
 * The cards of videos on show for one viewer: playable ones as usual; the others locked, with the
 * cheapest offer that opens them, and their poster only when the creator chose to show it. A scheduled
 * video nobody could watch yet is left out (it is on the page only as early access).
 */
export async function cardsFor(deps: AppDeps, who: CardViewer, videos: readonly VideoWithChannel[]): Promise<VideoCard[]> {
  const now = deps.clock.now();
  const byChannel = new Map<string, Promise<{ viewer: Viewer; offers: WatchOffer[] }>>();
  const standing = (channelId: string) => {
    let found = byChannel.get(channelId);
    if (!found) {
      found = Promise.all([who.viewerFor(deps.db, who.user, channelId, now), who.offers(deps.db, channelId, who.locale)]).then(([viewer, offers]) => ({ viewer, offers }));
      byChannel.set(channelId, found);
    }
    return found;
  };
  const cards: VideoCard[] = [];
  for (const video of videos) {
    const { viewer, offers } = await standing(video.channel_id);
    const publicOn = video.publish_at && video.publish_at > now ? video.publish_at : undefined;
    if (canWatch(video, viewer, now)) {
      cards.push({ ...video, thumbnailUrl: thumbnailPath(video), publicOn });
      continue;
    }
    const offer = cheapestOfferFor(video, offers, now);
    if (publicOn && !offer) continue;
    cards.push({
      ...video,
      thumbnailUrl: video.paywall_poster === 'shown' ? thumbnailPath(video) : undefined,
      locked: { priceLabel: offer?.priceLabel, tierName: offer?.name },
      publicOn,
    });
  }
  const counts = who.commentCounts ? await who.commentCounts(cards.map((card) => card.id)) : undefined;
  return counts ? cards.map((card) => ({ ...card, comments: counts.get(card.id) ?? 0 })) : cards;
}
