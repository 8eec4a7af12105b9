import type { VideoRow } from './queries.js';

export interface Viewer {
  /** Owner, or admin/editor of the video's channel. */
  isTeam: boolean;
  /**
   * Whether the viewer holds an active membership of the channel. Always false until the memberships
   * capability answers it; members-only videos are then team-only, never public.
   */
  isMember: boolean;
}

/**
 * Who may watch a video (page, playlists, segments, captions, poster). The team sees everything;
 * others see ready videos that are public or unlisted (or members-only, for members) once their
 * scheduled time has passed. Drafts and failed uploads are team-only.
 */
export function canWatch(video: Pick<VideoRow, 'status' | 'visibility' | 'publish_at'>, viewer: Viewer, now: Date): boolean {
  if (viewer.isTeam) return true;
  if (video.status !== 'ready' || video.visibility === 'draft') return false;
  if (video.publish_at && video.publish_at > now) return false;
  if (video.visibility === 'members') return viewer.isMember;
  return true;
}

/** Public and unlisted videos may be cached by shared caches; everything else is private. */
export function isPubliclyCacheable(video: Pick<VideoRow, 'visibility' | 'publish_at'>, now: Date): boolean {
  return (video.visibility === 'public' || video.visibility === 'unlisted') && (!video.publish_at || video.publish_at <= now);
}
