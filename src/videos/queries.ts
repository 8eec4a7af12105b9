import type { Queryable } from '../core/db/index.js';
import type { Locale } from '../core/i18n/index.js';

export type Visibility = 'draft' | 'public' | 'unlisted' | 'members';
export type VideoStatus = 'processing' | 'ready' | 'failed';

export interface Rendition {
  /** Folder of this rendition's playlist inside the HLS prefix, e.g. "v0". */
  name: string;
  height: number | null;
  width: number | null;
  bandwidth: number;
  codecs: string;
  kind: 'video' | 'audio';
}

export interface Chapter {
  start: number;
  title: string;
}

export interface VideoRow {
  id: string;
  short_id: string;
  channel_id: string;
  uploader_id: string | null;
  title: string;
  description: string;
  tags: string[];
  language: Locale | null;
  licence: string;
  visibility: Visibility;
  publish_at: Date | null;
  status: VideoStatus;
  failure_message: string | null;
  transcode_job_id: number | null;
  original_filename: string;
  source_key: string | null;
  source_bytes: number | null;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  hls_prefix: string | null;
  renditions: Rendition[];
  has_storyboard: boolean;
  poster_key: string | null;
  custom_thumbnail_key: string | null;
  /** On the paywall of a members-only video: the poster as is, or blurred (the creator's choice). */
  paywall_poster: 'shown' | 'blurred';
  chapters: Chapter[];
  /** The creator lets fans download the MP4 / M4A (and the torrent). */
  downloads_allowed: boolean;
  /** The creator's choice of MP4 size: 720 or 1080 lines. */
  download_height: number;
  /** The progressive files, relative to hls_prefix, and their sizes (null before a transcode made them). */
  download_file: string | null;
  download_bytes: number | null;
  audio_file: string | null;
  audio_bytes: number | null;
  created_at: Date;
  updated_at: Date;
}

/** A video with the channel fields pages show beside it. */
export interface VideoWithChannel extends VideoRow {
  channel_handle: string;
  channel_name: string;
}

const COLUMNS = `v.id, v.short_id, v.channel_id, v.uploader_id, v.title, v.description, v.tags, v.language, v.licence,
  v.visibility, v.publish_at, v.status, v.failure_message, v.transcode_job_id, v.original_filename, v.source_key,
  v.source_bytes, v.duration_seconds, v.width, v.height, v.hls_prefix, v.renditions, v.has_storyboard, v.poster_key,
  v.custom_thumbnail_key, v.paywall_poster, v.chapters, v.downloads_allowed, v.download_height, v.download_file, v.download_bytes,
  v.audio_file, v.audio_bytes, v.created_at, v.updated_at, c.handle AS channel_handle, c.name AS channel_name`;
const FROM = 'videos v JOIN channels c ON c.id = v.channel_id';

export async function insertVideo(
  db: Queryable,
  video: { shortId: string; channelId: string; uploaderId: string; title: string; originalFilename: string; sourceKey: string; sourceBytes: number; durationSeconds: number | null; width: number | null; height: number | null },
): Promise<{ id: string }> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO videos (short_id, channel_id, uploader_id, title, original_filename, source_key, source_bytes, duration_seconds, width, height)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [video.shortId, video.channelId, video.uploaderId, video.title, video.originalFilename, video.sourceKey, video.sourceBytes, video.durationSeconds, video.width, video.height],
  );
  return rows[0]!;
}

export async function setTranscodeJob(db: Queryable, videoId: string, jobId: number): Promise<void> {
  await db.query(`UPDATE videos SET transcode_job_id = $2, status = 'processing', failure_message = NULL WHERE id = $1`, [videoId, jobId]);
}

export async function findVideoById(db: Queryable, id: string): Promise<VideoWithChannel | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const rows = await db.query<VideoWithChannel>(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.id = $1`, [id]);
  return rows[0];
}

export async function findVideoByShortId(db: Queryable, shortId: string): Promise<VideoWithChannel | undefined> {
  if (!/^[A-Za-z0-9_-]{8,16}$/.test(shortId)) return undefined;
  const rows = await db.query<VideoWithChannel>(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.short_id = $1`, [shortId]);
  return rows[0];
}

/**
 * The SQL condition for "listed" (`isListed` in access.ts): ready, public, and its publish time passed at
 * the time bound to `nowParam`, on the `videos` row aliased `alias`. Other capabilities that join videos to
 * their own tables use this fragment rather than writing the rule again.
 *
 * @example
 * `SELECT v.id FROM videos v WHERE ${listedVideoCondition('v', '$1')}`
 */
export function listedVideoCondition(alias: string, nowParam: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias) || !/^\$\d+$/.test(nowParam)) throw new Error(`bad alias or parameter: ${alias} ${nowParam}`);
  return `${alias}.status = 'ready' AND ${alias}.visibility = 'public' AND (${alias}.publish_at IS NULL OR ${alias}.publish_at <= ${nowParam})`;
}
const LISTED = (nowParam: string) => listedVideoCondition('v', nowParam);

/**
 * On show: listed, or members-only and past its publish time — what channel pages and search show,
 * members-only ones with a lock for those who may not watch them (`isOnShow` in access.ts). Feeds, the
 * fediverse and NodeInfo keep to listed videos.
 */
export function onShowCondition(alias: string, nowParam: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias) || !/^\$\d+$/.test(nowParam)) throw new Error(`bad alias or parameter: ${alias} ${nowParam}`);
  return `${alias}.status = 'ready' AND ${alias}.visibility IN ('public', 'members') AND (${alias}.publish_at IS NULL OR ${alias}.publish_at <= ${nowParam})`;
}

/** How many videos are listed on the whole site (NodeInfo's count). */
export async function countListedVideos(db: Queryable, now: Date): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos v WHERE ${LISTED('$1')}`, [now]);
  return rows[0]!.n;
}

export async function listPublicVideos(db: Queryable, channelId: string, now: Date, limit: number, offset: number): Promise<{ rows: VideoWithChannel[]; total: number }> {
  const rows = await db.query<VideoWithChannel>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE v.channel_id = $1 AND ${LISTED('$2')}
     ORDER BY COALESCE(v.publish_at, v.created_at) DESC, v.id LIMIT $3 OFFSET $4`,
    [channelId, now, limit, offset],
  );
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos v WHERE v.channel_id = $1 AND ${LISTED('$2')}`, [channelId, now]);
  return { rows, total: count[0]!.n };
}

/**
 * A channel's videos on show, newest first: listed ones, members-only ones, and — when `earlyUntil` is
 * later than `now` — public or members-only ones scheduled before it (early access: the card says when
 * they become public).
 */
export async function listChannelVideosOnShow(db: Queryable, channelId: string, now: Date, earlyUntil: Date, limit: number, offset: number): Promise<{ rows: VideoWithChannel[]; total: number }> {
  const where = `v.channel_id = $1 AND (${onShowCondition('v', '$2')}
    OR (v.status = 'ready' AND v.visibility IN ('public', 'members') AND v.publish_at <= $3))`;
  const rows = await db.query<VideoWithChannel>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} ORDER BY COALESCE(v.publish_at, v.created_at) DESC, v.id LIMIT $4 OFFSET $5`,
    [channelId, now, earlyUntil, limit, offset],
  );
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos v WHERE ${where}`, [channelId, now, earlyUntil]);
  return { rows, total: count[0]!.n };
}

/**
 * The search query in every language a video may be indexed in (migration 018): French and English
 * stemming, and the plain words, all without accents. A video matches when any reading of the query does.
 */
const SEARCH_QUERY = `(SELECT websearch_to_tsquery('fanfare_fr', $1) || websearch_to_tsquery('fanfare_en', $1) || websearch_to_tsquery('fanfare_simple', $1) AS q) AS query`;

/**
 * Full-text search over titles (weighted first), tags and descriptions of the videos anyone may find:
 * listed ones and, with a lock, members-only ones (`onShowCondition`).
 */
export async function searchVideos(db: Queryable, query: string, now: Date, limit: number, offset: number): Promise<{ rows: VideoWithChannel[]; total: number }> {
  const rows = await db.query<VideoWithChannel>(
    `SELECT ${COLUMNS} FROM ${FROM}, ${SEARCH_QUERY}
      WHERE v.search @@ query.q AND ${onShowCondition('v', '$2')}
      ORDER BY ts_rank(v.search, query.q) DESC, v.created_at DESC LIMIT $3 OFFSET $4`,
    [query, now, limit, offset],
  );
  const count = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM videos v, ${SEARCH_QUERY} WHERE v.search @@ query.q AND ${onShowCondition('v', '$2')}`,
    [query, now],
  );
  return { rows, total: count[0]!.n };
}

/**
 * A channel's ready videos that are public or members-only, newest first: what a member's private feed
 * may hold (unlisted ones stay with those who have the link). The caller still asks `canWatch` of each,
 * which applies the publish time and early access.
 */
export async function listPublicAndMembersVideos(db: Queryable, channelId: string, limit: number): Promise<VideoWithChannel[]> {
  return db.query<VideoWithChannel>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE v.channel_id = $1 AND v.status = 'ready' AND v.visibility IN ('public', 'members')
      ORDER BY COALESCE(v.publish_at, v.created_at) DESC LIMIT $2`,
    [channelId, limit],
  );
}

export async function listChannelVideosForTeam(db: Queryable, channelId: string): Promise<VideoWithChannel[]> {
  return db.query<VideoWithChannel>(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.channel_id = $1 ORDER BY v.created_at DESC LIMIT 500`, [channelId]);
}

export async function updateMetadata(
  db: Queryable,
  id: string,
  m: {
    title: string;
    description: string;
    tags: string[];
    language: Locale | null;
    licence: string;
    visibility: Visibility;
    publishAt: Date | null;
    chapters: Chapter[];
    downloadsAllowed: boolean;
    downloadHeight: number;
    paywallPoster: 'shown' | 'blurred';
  },
): Promise<void> {
  await db.query(
    `UPDATE videos SET title = $2, description = $3, tags = $4, language = $5, licence = $6, visibility = $7,
            publish_at = $8, chapters = $9, downloads_allowed = $10, download_height = $11, paywall_poster = $12, updated_at = now() WHERE id = $1`,
    [id, m.title, m.description, m.tags, m.language, m.licence, m.visibility, m.publishAt, JSON.stringify(m.chapters), m.downloadsAllowed, m.downloadHeight, m.paywallPoster],
  );
}

export async function setCustomThumbnail(db: Queryable, id: string, key: string | null): Promise<void> {
  await db.query('UPDATE videos SET custom_thumbnail_key = $2, updated_at = now() WHERE id = $1', [id, key]);
}

export async function markTranscoded(
  db: Queryable,
  id: string,
  out: {
    hlsPrefix: string;
    renditions: Rendition[];
    posterKey: string | null;
    hasStoryboard: boolean;
    durationSeconds: number;
    width: number | null;
    height: number | null;
    download: { file: string; bytes: number } | null;
    audio: { file: string; bytes: number } | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE videos SET status = 'ready', failure_message = NULL, hls_prefix = $2, renditions = $3, poster_key = $4,
            has_storyboard = $5, duration_seconds = $6, width = $7, height = $8, download_file = $9, download_bytes = $10,
            audio_file = $11, audio_bytes = $12, updated_at = now() WHERE id = $1`,
    [
      id, out.hlsPrefix, JSON.stringify(out.renditions), out.posterKey, out.hasStoryboard, out.durationSeconds, out.width, out.height,
      out.download?.file ?? null, out.download?.bytes ?? null, out.audio?.file ?? null, out.audio?.bytes ?? null,
    ],
  );
}

/** Points a first transcode's row at the ladder being written (still `processing`); false when it already has one. */
export async function showPreview(db: Queryable, id: string, prefix: string): Promise<boolean> {
  const rows = await db.query(`UPDATE videos SET hls_prefix = $2, updated_at = now() WHERE id = $1 AND hls_prefix IS NULL AND status = 'processing' RETURNING id`, [id, prefix]);
  return rows.length > 0;
}

/** Takes a failed attempt's preview away from its row, if the row still points at it. */
export async function withdrawPreview(db: Queryable, id: string, prefix: string): Promise<void> {
  await db.query(`UPDATE videos SET hls_prefix = NULL, updated_at = now() WHERE id = $1 AND hls_prefix = $2 AND status <> 'ready'`, [id, prefix]);
}

export async function markFailed(db: Queryable, id: string, message: string): Promise<void> {
  await db.query(`UPDATE videos SET status = 'failed', failure_message = $2, updated_at = now() WHERE id = $1`, [id, message.slice(0, 1000)]);
}

export async function deleteVideo(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM videos WHERE id = $1', [id]);
}

export interface CaptionRow {
  language: string;
  label: string;
  storage_key: string;
}

export async function listCaptions(db: Queryable, videoId: string): Promise<CaptionRow[]> {
  return db.query<CaptionRow>('SELECT language, label, storage_key FROM video_captions WHERE video_id = $1 ORDER BY language', [videoId]);
}

/** Adds or replaces the captions of one language; returns the key of the file it replaced, if any. */
export async function upsertCaption(db: Queryable, videoId: string, language: string, label: string, key: string): Promise<string | undefined> {
  const previous = await db.query<{ storage_key: string }>('SELECT storage_key FROM video_captions WHERE video_id = $1 AND language = $2', [videoId, language]);
  await db.query(
    `INSERT INTO video_captions (video_id, language, label, storage_key) VALUES ($1, $2, $3, $4)
     ON CONFLICT (video_id, language) DO UPDATE SET label = EXCLUDED.label, storage_key = EXCLUDED.storage_key`,
    [videoId, language, label, key],
  );
  return previous[0]?.storage_key;
}

/** Marks the video as changed now (captions live in their own table but are part of what followers see). */
export async function touchVideo(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE videos SET updated_at = now() WHERE id = $1', [id]);
}

export async function deleteCaption(db: Queryable, videoId: string, language: string): Promise<string | undefined> {
  const rows = await db.query<{ storage_key: string }>('DELETE FROM video_captions WHERE video_id = $1 AND language = $2 RETURNING storage_key', [videoId, language]);
  return rows[0]?.storage_key;
}

export async function savePosition(db: Queryable, userId: string, videoId: string, seconds: number): Promise<void> {
  await db.query(
    `INSERT INTO watch_positions (user_id, video_id, position_seconds) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, video_id) DO UPDATE SET position_seconds = EXCLUDED.position_seconds, updated_at = now()`,
    [userId, videoId, seconds],
  );
}

export async function findPosition(db: Queryable, userId: string, videoId: string): Promise<number | undefined> {
  const rows = await db.query<{ position_seconds: number }>('SELECT position_seconds FROM watch_positions WHERE user_id = $1 AND video_id = $2', [userId, videoId]);
  return rows[0]?.position_seconds;
}
