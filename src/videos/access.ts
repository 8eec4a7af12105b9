import type { Queryable } from '../core/db/index.js';
import type { VideoRow } from './queries.js';

export interface Viewer {
  /** Owner, or admin/editor of the video's channel. */
  isTeam: boolean;
  /** Whether the viewer's paid-up membership of the channel includes members-only videos. */
  isMember: boolean;
  /** Members with early access see a scheduled video this many days before its public time. */
  earlyAccessDays: number;
}

/**
 * Who may watch a video (page, playlists, segments, captions, poster). The team sees everything;
 * others see ready videos that are public or unlisted (or members-only, for members) once their
 * scheduled time has passed — members with early access that many days sooner. Drafts and failed
 * uploads are team-only.
 */
export function canWatch(video: Pick<VideoRow, 'status' | 'visibility' | 'publish_at'>, viewer: Viewer, now: Date): boolean {
  if (viewer.isTeam) return true;
  if (video.status !== 'ready' || video.visibility === 'draft') return false;
  if (video.publish_at && video.publish_at > now) {
    const earlyFrom = video.publish_at.getTime() - viewer.earlyAccessDays * 86_400_000;
    if (viewer.earlyAccessDays === 0 || earlyFrom > now.getTime()) return false;
  }
  if (video.visibility === 'members') return viewer.isMember;
  return true;
}

/**
 * Listed: ready, public, and its publish time passed. The one rule for what anyone may find without a
 * link — channel pages, search, feeds, NodeInfo's count and the fediverse. Unlisted, members-only, draft,
 * scheduled and unfinished videos never are. `listedVideoCondition` (queries.ts) is the same rule in SQL.
 */
export function isListed(video: Pick<VideoRow, 'status' | 'visibility' | 'publish_at'>, now: Date): boolean {
  return video.status === 'ready' && video.visibility === 'public' && (!video.publish_at || video.publish_at <= now);
}

/** What a fan's standing with a channel adds to what they may watch (a paid-up membership). */
export interface ViewerGrant {
  isMember: boolean;
  earlyAccessDays: number;
}

/**
 * Looks up what another capability grants a signed-in fan on a channel (memberships contributes one).
 * `videoId`, when the question is about one video, lets a grant unlock that video alone (a campaign's
 * backers watch the videos attached to it): `isMember` then means "may watch this members-only video".
 */
export type ViewerGrantLookup = (db: Queryable, userId: string, channelId: string, now: Date, videoId?: string) => Promise<ViewerGrant>;

/** Public and unlisted videos may be cached by shared caches; everything else is private. */
export function isPubliclyCacheable(video: Pick<VideoRow, 'visibility' | 'publish_at'>, now: Date): boolean {
  return (video.visibility === 'public' || video.visibility === 'unlisted') && (!video.publish_at || video.publish_at <= now);
}
