/**
 * SQL of the downloads capability: the `video_torrents` table only. Videos are read through the videos
 * capability's public API, never queried here.
 */
import type { Queryable } from '../core/db/index.js';

export interface VideoTorrentRow {
  video_id: string;
  source_key: string;
  source_etag: string;
  info: Uint8Array;
  info_hash: string;
  built_at: Date;
}

export async function findVideoTorrent(db: Queryable, videoId: string): Promise<VideoTorrentRow | undefined> {
  const rows = await db.query<VideoTorrentRow>('SELECT video_id, source_key, source_etag, info, info_hash, built_at FROM video_torrents WHERE video_id = $1', [videoId]);
  return rows[0];
}

/** Info hashes of many videos at once (a feed lists up to 100). */
export async function listVideoTorrents(db: Queryable, videoIds: string[]): Promise<{ video_id: string; info_hash: string }[]> {
  if (videoIds.length === 0) return [];
  return db.query('SELECT video_id, info_hash FROM video_torrents WHERE video_id = ANY($1::uuid[])', [videoIds]);
}

export async function saveVideoTorrent(db: Queryable, row: Omit<VideoTorrentRow, 'built_at'>): Promise<void> {
  await db.query(
    `INSERT INTO video_torrents (video_id, source_key, source_etag, info, info_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (video_id) DO UPDATE SET source_key = EXCLUDED.source_key, source_etag = EXCLUDED.source_etag,
       info = EXCLUDED.info, info_hash = EXCLUDED.info_hash, built_at = now()`,
    [row.video_id, row.source_key, row.source_etag, row.info, row.info_hash],
  );
}

export async function deleteVideoTorrent(db: Queryable, videoId: string): Promise<void> {
  await db.query('DELETE FROM video_torrents WHERE video_id = $1', [videoId]);
}

export async function videoTorrentExists(db: Queryable, infoHash: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM video_torrents WHERE info_hash = $1', [infoHash])).length > 0;
}
