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

/** Public and unlisted videos may be cached by shared caches; everything else is private. */
export function isPubliclyCacheable(video: Pick<VideoRow, 'visibility' | 'publish_at'>, now: Date): boolean {
  return (video.visibility === 'public' || video.visibility === 'unlisted') && (!video.publish_at || video.publish_at <= now);
}
