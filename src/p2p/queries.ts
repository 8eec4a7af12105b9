import type { Queryable } from '../core/db/index.js';

/**
 * P2P's own tables: the site default and the byte counters. What it does not query is anything another
 * capability owns (videos are read through videos' index).
 */

/** Whether fans who never chose get P2P on; on until the creator says otherwise. */
export async function siteDefault(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ enabled_by_default: boolean }>('SELECT enabled_by_default FROM p2p_settings WHERE id');
  return rows[0]?.enabled_by_default ?? true;
}

export async function setSiteDefault(db: Queryable, on: boolean): Promise<void> {
  await db.query(
    `INSERT INTO p2p_settings (id, enabled_by_default) VALUES (true, $1)
     ON CONFLICT (id) DO UPDATE SET enabled_by_default = EXCLUDED.enabled_by_default`,
    [on],
  );
}

/** Adds one viewer report to a video's counters (one upsert: concurrent reports never lose bytes). */
export async function addVideoBytes(db: Queryable, videoId: string, peerBytes: number, httpBytes: number, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO p2p_video_bytes (video_id, peer_bytes, http_bytes, reports, updated_at) VALUES ($1, $2, $3, 1, $4)
     ON CONFLICT (video_id) DO UPDATE SET peer_bytes = p2p_video_bytes.peer_bytes + EXCLUDED.peer_bytes,
       http_bytes = p2p_video_bytes.http_bytes + EXCLUDED.http_bytes, reports = p2p_video_bytes.reports + 1, updated_at = EXCLUDED.updated_at`,
    [videoId, peerBytes, httpBytes, now],
  );
}

export interface VideoBytesRow {
  video_id: string;
  peer_bytes: number;
  http_bytes: number;
  reports: number;
}

/** The videos with the most reported bytes, for the Studio. */
export async function topVideoBytes(db: Queryable, limit: number): Promise<VideoBytesRow[]> {
  const rows = await db.query<{ video_id: string; peer_bytes: string | number; http_bytes: string | number; reports: number }>(
    'SELECT video_id, peer_bytes, http_bytes, reports FROM p2p_video_bytes ORDER BY peer_bytes + http_bytes DESC, video_id LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ video_id: r.video_id, peer_bytes: Number(r.peer_bytes), http_bytes: Number(r.http_bytes), reports: r.reports }));
}
