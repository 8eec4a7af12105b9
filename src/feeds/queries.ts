import type { Queryable } from '../core/db/index.js';

/** The channel fields a feed shows. */
export interface FeedChannelRow {
  id: string;
  handle: string;
  name: string;
  description: string;
  language: string;
  avatar_key: string | null;
  lightning_address: string | null;
  updated_at: Date;
}

export async function findFeedChannel(db: Queryable, handle: string): Promise<FeedChannelRow | undefined> {
  const rows = await db.query<FeedChannelRow>(
    'SELECT id, handle, name, description, language, avatar_key, lightning_address, updated_at FROM channels WHERE handle = $1',
    [handle],
  );
  return rows[0];
}

export interface FeedCaptionRow {
  video_id: string;
  language: string;
  label: string;
  created_at: Date;
}

/** The captions of many videos in one query (a feed lists up to 100). */
export async function listCaptionsOf(db: Queryable, videoIds: string[]): Promise<FeedCaptionRow[]> {
  if (videoIds.length === 0) return [];
  return db.query<FeedCaptionRow>(
    'SELECT video_id, language, label, created_at FROM video_captions WHERE video_id = ANY($1::uuid[]) ORDER BY video_id, language',
    [videoIds],
  );
}
