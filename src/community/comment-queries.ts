/** The comments tables (community_comments, community_settings). */
import type { Queryable } from '../core/db/index.js';
import type { ModerationDecision } from '../moderation/index.js';

export type CommentPolicy = 'open' | 'members' | 'held' | 'closed';

export interface CommunitySettingsRow {
  comment_policy: CommentPolicy;
  watched_words: string;
}

export interface CommentRow {
  id: string;
  /** What it answers: a video, or a post (exactly one of the two). */
  video_id: string | null;
  post_id: string | null;
  channel_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  body_html: string;
  status: 'held' | 'approved' | 'rejected';
  by_team: boolean;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

const COLUMNS = 'id, video_id, post_id, channel_id, parent_id, author_id, body, body_html, status, by_team, created_at, edited_at, deleted_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function channelSettings(db: Queryable, channelId: string): Promise<CommunitySettingsRow> {
  const rows = await db.query<CommunitySettingsRow>('SELECT comment_policy, watched_words FROM community_settings WHERE channel_id = $1', [channelId]);
  return rows[0] ?? { comment_policy: 'open', watched_words: '' };
}

export async function saveChannelSettings(db: Queryable, channelId: string, s: CommunitySettingsRow, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO community_settings (channel_id, comment_policy, watched_words, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel_id) DO UPDATE SET comment_policy = $2, watched_words = $3, updated_at = $4`,
    [channelId, s.comment_policy, s.watched_words, now],
  );
}

export async function insertComment(db: Queryable, c: Omit<CommentRow, 'id' | 'edited_at' | 'deleted_at'>): Promise<CommentRow> {
  const rows = await db.query<CommentRow>(
    `INSERT INTO community_comments (video_id, post_id, channel_id, parent_id, author_id, body, body_html, status, by_team, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [c.video_id, c.post_id, c.channel_id, c.parent_id, c.author_id, c.body, c.body_html, c.status, c.by_team, c.created_at],
  );
  return rows[0]!;
}

export async function findComment(db: Queryable, id: string): Promise<CommentRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return (await db.query<CommentRow>(`SELECT ${COLUMNS} FROM community_comments WHERE id = $1`, [id]))[0];
}

/** What a comment answers. */
export type CommentSubject = { kind: 'video'; id: string } | { kind: 'post'; id: string };

const subjectColumn = (s: CommentSubject) => (s.kind === 'video' ? 'video_id' : 'post_id');

/** A video's or a post's comments shown to `viewerId`: approved ones, and the viewer's own still held. */
export async function listComments(db: Queryable, subject: CommentSubject, viewerId: string | null): Promise<CommentRow[]> {
  return db.query<CommentRow>(
    `SELECT ${COLUMNS} FROM community_comments
      WHERE ${subjectColumn(subject)} = $1 AND (status = 'approved' OR (status = 'held' AND author_id = $2))
      ORDER BY created_at LIMIT 1000`,
    [subject.id, viewerId],
  );
}

export async function updateCommentBody(db: Queryable, id: string, body: string, bodyHtml: string, now: Date): Promise<void> {
  await db.query('UPDATE community_comments SET body = $2, body_html = $3, edited_at = $4 WHERE id = $1 AND deleted_at IS NULL', [id, body, bodyHtml, now]);
}

/** Marks a comment deleted and forgets its text; its replies stay in the thread under "deleted". */
export async function markCommentDeleted(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query("UPDATE community_comments SET deleted_at = $2, body = '-', body_html = '' WHERE id = $1 AND deleted_at IS NULL", [id, now]);
}

export interface HeldCommentRow extends CommentRow {
  /** The title of the video or post it answers. */
  about_title: string;
}

export async function heldComments(db: Queryable, channelId: string): Promise<HeldCommentRow[]> {
  return db.query<HeldCommentRow>(
    `SELECT ${COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}, COALESCE(v.title, p.title) AS about_title
       FROM community_comments c LEFT JOIN videos v ON v.id = c.video_id LEFT JOIN community_posts p ON p.id = c.post_id
      WHERE c.channel_id = $1 AND c.status = 'held' AND c.deleted_at IS NULL ORDER BY c.created_at LIMIT 500`,
    [channelId],
  );
}

/** Applies a decision to a held comment of the channel; the row when it was held, else undefined. */
export async function decideHeldComment(db: Queryable, channelId: string, id: string, decision: ModerationDecision): Promise<CommentRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const rows = await db.query<CommentRow>(
    `UPDATE community_comments SET status = $3 WHERE id = $2 AND channel_id = $1 AND status = 'held' RETURNING ${COLUMNS}`,
    [channelId, id, decision],
  );
  return rows[0];
}

/** Approved, not deleted comments of local accounts on the whole site (NodeInfo's localComments). */
export async function countLocalComments(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM community_comments WHERE status = 'approved' AND deleted_at IS NULL");
  return rows[0]!.n;
}

/** Approved comments of a video or a post (the heading of its thread). */
export async function countComments(db: Queryable, subject: CommentSubject): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM community_comments WHERE ${subjectColumn(subject)} = $1 AND status = 'approved' AND deleted_at IS NULL`, [subject.id]);
  return rows[0]!.n;
}

/** Approved comments of each of `videoIds` (one query for a whole listing; videos without comments are left out). */
export async function countCommentsOfVideos(db: Queryable, videoIds: readonly string[]): Promise<Map<string, number>> {
  const ids = videoIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ video_id: string; n: number }>(
    "SELECT video_id, count(*)::int AS n FROM community_comments WHERE video_id = ANY($1::uuid[]) AND status = 'approved' AND deleted_at IS NULL GROUP BY video_id",
    [ids],
  );
  return new Map(rows.map((r) => [r.video_id, r.n]));
}
