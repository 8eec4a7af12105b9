import { randomBytes, randomUUID } from 'node:crypto';
import { roleOnChannel } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { CurrentUser } from '../core/http/context.js';
import { ForbiddenError, NotFoundError } from '../core/http/errors.js';
import { enqueue } from '../core/jobs/index.js';
import type { Queryable } from '../core/db/index.js';
import type { Viewer, ViewerGrantLookup } from './access.js';
import * as q from './queries.js';
import type { MediaSummary } from './transcode/probe.js';

export const TRANSCODE_JOB = 'video.transcode';

export { canWatch, isPubliclyCacheable } from './access.js';

/** 8 random bytes: unguessable enough for unlisted links, short enough to share. */
export function newShortId(): string {
  return randomBytes(8).toString('base64url');
}

/** What a user is to a video's channel: its team, a member (and with what early access), or neither. */
export type ViewerLookup = (db: Queryable, user: CurrentUser | null, channelId: string, now: Date, videoId?: string) => Promise<Viewer>;

/**
 * The viewer lookup of a site: the channel's team sees everything; for anyone else, what the
 * `videos.viewer-grants` contributions say (a paid-up membership), the most generous of them.
 * `grants` is read on each call so it may be filled after this lookup is built.
 */
export function viewerLookup(grants: () => readonly ViewerGrantLookup[]): ViewerLookup {
  return async (db, user, channelId, now, videoId) => {
    const role = await roleOnChannel(db, user, channelId);
    if (role) return { isTeam: true, isMember: true, earlyAccessDays: 0 };
    const viewer: Viewer = { isTeam: false, isMember: false, earlyAccessDays: 0 };
    if (!user) return viewer;
    for (const grant of grants()) {
      const granted = await grant(db, user.id, channelId, now, videoId);
      viewer.isMember ||= granted.isMember;
      viewer.earlyAccessDays = Math.max(viewer.earlyAccessDays, granted.earlyAccessDays);
    }
    return viewer;
  };
}

/** A video the user may edit (owner, channel admin or editor), or 404/403. */
export async function videoForTeam(db: Queryable, user: CurrentUser | null, videoId: string): Promise<q.VideoWithChannel> {
  const video = await q.findVideoById(db, videoId);
  if (!video) throw new NotFoundError('video.not_found');
  if (!(await roleOnChannel(db, user, video.channel_id))) throw new ForbiddenError();
  return video;
}

function extensionOf(filename: string): string {
  return /\.[a-z0-9]{1,5}$/i.exec(filename)?.[0].toLowerCase() ?? '';
}

export interface UploadedSource {
  localPath: string;
  bytes: number;
  filename: string;
  channelId: string;
  userId: string;
  probe: MediaSummary;
}

/**
 * Turns a finished, probed upload into a video: moves the file into media storage, then inserts the row
 * and its transcoding job in one transaction. If the database refuses, the stored file is removed, so a
 * failure leaves neither a row without a file nor a file without a row.
 */
export async function createVideoFromUpload(deps: AppDeps, source: UploadedSource): Promise<{ id: string; shortId: string }> {
  const id = randomUUID();
  const shortId = newShortId();
  const sourceKey = `videos/${id}/source/original${extensionOf(source.filename)}`;
  // Moved, not copied, when storage is on the same disk: originals can weigh gigabytes.
  await deps.storage.putFile(sourceKey, source.localPath, { move: true });
  try {
    await deps.db.transaction(async (tx) => {
      const title = source.filename.replace(/\.[^.]*$/, '').trim().slice(0, 200) || source.filename.slice(0, 200) || 'Video';
      await tx.query(
        `INSERT INTO videos (id, short_id, channel_id, uploader_id, title, original_filename, source_key, source_bytes,
                             duration_seconds, width, height)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [id, shortId, source.channelId, source.userId, title, source.filename.slice(0, 255), sourceKey, source.bytes,
          source.probe.durationSeconds, source.probe.hasVideo ? source.probe.width : null, source.probe.hasVideo ? source.probe.height : null],
      );
      const { job } = await enqueue(tx, { type: TRANSCODE_JOB, payload: { videoId: id }, dedupeKey: `transcode:${id}:1`, maxAttempts: 3 }, deps.clock);
      await q.setTranscodeJob(tx, id, job.id);
    });
  } catch (error) {
    await deps.storage.delete(sourceKey).catch(() => undefined);
    throw error;
  }
  return { id, shortId };
}

/** Queues a new transcoding attempt for a failed video. */
export async function retryTranscode(deps: AppDeps, video: q.VideoRow): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { job } = await enqueue(tx, { type: TRANSCODE_JOB, payload: { videoId: video.id }, dedupeKey: `transcode:${video.id}:${Date.now()}`, maxAttempts: 3 }, deps.clock);
    await q.setTranscodeJob(tx, video.id, job.id);
  });
}

/** Deletes a video's row, then every file under its storage prefix. */
export async function deleteVideo(deps: AppDeps, video: q.VideoRow): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await q.deleteVideo(tx, video.id);
    await deps.events.publish(tx, 'video.deleted', { videoId: video.id, channelId: video.channel_id });
  });
  await deps.storage.deletePrefix(`videos/${video.id}/`);
}

/** The address of a file of a video: through the site, which checks access on every request. */
export function mediaPath(video: Pick<q.VideoRow, 'short_id'>, file: string): string {
  return `/media/v/${video.short_id}/${file}`;
}

/** The picture that stands for a video in lists and cards: the creator's thumbnail, else the poster. */
export function thumbnailPath(video: Pick<q.VideoRow, 'short_id' | 'custom_thumbnail_key' | 'poster_key'>): string | undefined {
  return video.custom_thumbnail_key || video.poster_key ? mediaPath(video, 'thumbnail') : undefined;
}
