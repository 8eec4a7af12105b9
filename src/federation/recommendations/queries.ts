import type { Queryable } from '../../core/db/index.js';
import type { SnapshotSource } from './snapshot.js';

/** A video on another site that a channel recommends. */
export interface RecommendationRow {
  id: string;
  channel_id: string;
  url: string;
  title: string;
  thumbnail_key: string | null;
  author_name: string | null;
  author_url: string | null;
  site_name: string | null;
  source: SnapshotSource;
  note: string;
  /** ActivityPub only: the object's id and the actor it is attributed to (null otherwise). */
  object_id: string | null;
  object_actor: string | null;
  position: number;
  created_at: Date;
}

/** Someone on another site who recommends one of our videos (or channels). */
export interface RecommendedByRow {
  id: string;
  channel_id: string;
  video_id: string | null;
  object_url: string;
  actor_url: string;
  actor_name: string | null;
  profile_url: string | null;
  activity_id: string | null;
  created_at: Date;
  /** Title of our video, when the row names one that still exists. */
  video_title: string | null;
  video_short_id: string | null;
}

/** A recommendation with its channel, for the public list of every channel's recommendations. */
export interface PublicRecommendationRow extends RecommendationRow {
  channel_handle: string;
  channel_name: string;
}

export type NewRecommendationRow = Omit<RecommendationRow, 'position' | 'created_at'>;

const COLUMNS = 'id, channel_id, url, title, thumbnail_key, author_name, author_url, site_name, source, note, object_id, object_actor, position, created_at';

export async function listRecommendations(db: Queryable, channelId: string, limit = 1000): Promise<RecommendationRow[]> {
  return db.query<RecommendationRow>(`SELECT ${COLUMNS} FROM recommendations WHERE channel_id = $1 ORDER BY position, created_at LIMIT $2`, [channelId, limit]);
}

export async function listAllRecommendations(db: Queryable): Promise<PublicRecommendationRow[]> {
  return db.query<PublicRecommendationRow>(
    `SELECT ${COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, c.handle AS channel_handle, c.name AS channel_name
       FROM recommendations r JOIN channels c ON c.id = r.channel_id
      ORDER BY c.handle, r.position, r.created_at`,
  );
}

export async function countRecommendations(db: Queryable, channelId: string): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recommendations WHERE channel_id = $1', [channelId]);
  return rows[0]?.n ?? 0;
}

/** Inserts at the end of the channel's shelf. */
export async function insertRecommendation(db: Queryable, row: NewRecommendationRow): Promise<RecommendationRow> {
  const rows = await db.query<RecommendationRow>(
    `INSERT INTO recommendations (id, channel_id, url, title, thumbnail_key, author_name, author_url, site_name, source, note, object_id, object_actor, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
             (SELECT coalesce(max(position), 0) + 1 FROM recommendations WHERE channel_id = $2))
     RETURNING ${COLUMNS}`,
    [row.id, row.channel_id, row.url, row.title, row.thumbnail_key, row.author_name, row.author_url, row.site_name, row.source, row.note, row.object_id, row.object_actor],
  );
  return rows[0]!;
}

export async function findRecommendationByUrl(db: Queryable, channelId: string, url: string): Promise<RecommendationRow | undefined> {
  const rows = await db.query<RecommendationRow>(`SELECT ${COLUMNS} FROM recommendations WHERE channel_id = $1 AND url = $2`, [channelId, url]);
  return rows[0];
}

/** Deletes one of the channel's recommendations and returns it (undefined when it was not the channel's). */
export async function deleteRecommendation(db: Queryable, channelId: string, id: string): Promise<RecommendationRow | undefined> {
  const rows = await db.query<RecommendationRow>(`DELETE FROM recommendations WHERE channel_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [channelId, id]);
  return rows[0];
}

export async function listRecommendedBy(db: Queryable, channelId: string, limit = 200): Promise<RecommendedByRow[]> {
  return db.query<RecommendedByRow>(
    `SELECT b.id, b.channel_id, b.video_id, b.object_url, b.actor_url, b.actor_name, b.profile_url, b.activity_id, b.created_at,
            v.title AS video_title, v.short_id AS video_short_id
       FROM recommended_by b LEFT JOIN videos v ON v.id = b.video_id
      WHERE b.channel_id = $1
      ORDER BY b.created_at DESC LIMIT $2`,
    [channelId, limit],
  );
}

export interface RecommendedByInput {
  channelId: string;
  videoId: string | null;
  objectUrl: string;
  actorUrl: string;
  actorName: string | null;
  profileUrl: string | null;
  activityId: string | null;
  createdAt: Date;
}

/** Inserts, or refreshes the names of, the one row per (actor, object); says whether it was new. */
export async function upsertRecommendedBy(db: Queryable, r: RecommendedByInput): Promise<{ id: string; created: boolean }> {
  const rows = await db.query<{ id: string; created: boolean }>(
    `INSERT INTO recommended_by (channel_id, video_id, object_url, actor_url, actor_name, profile_url, activity_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (actor_url, object_url) DO UPDATE
       SET actor_name = coalesce(EXCLUDED.actor_name, recommended_by.actor_name),
           profile_url = coalesce(EXCLUDED.profile_url, recommended_by.profile_url),
           activity_id = coalesce(recommended_by.activity_id, EXCLUDED.activity_id)
     RETURNING id, (xmax = 0) AS created`,
    [r.channelId, r.videoId, r.objectUrl, r.actorUrl, r.actorName, r.profileUrl, r.activityId, r.createdAt],
  );
  return rows[0]!;
}

/** Deletes an actor's recommendation, by the object or by the Announce's id; returns how many rows went. */
export async function deleteRecommendedBy(db: Queryable, actorUrl: string, by: { objectUrl?: string; activityId?: string }): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `DELETE FROM recommended_by WHERE actor_url = $1 AND (object_url = $2 OR activity_id = $3) RETURNING id`,
    [actorUrl, by.objectUrl ?? null, by.activityId ?? null],
  );
  return rows.length;
}
