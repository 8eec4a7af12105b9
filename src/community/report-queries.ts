/** Fans' reports of comments and posts (community_reports). */
import type { Queryable } from '../core/db/index.js';
import type { ModerationDecision } from '../moderation/index.js';

export type ReportTarget = { kind: 'comment'; id: string } | { kind: 'post'; id: string };

const column = (t: ReportTarget) => (t.kind === 'comment' ? 'comment_id' : 'post_id');

/** Files a report; a fan's second report of the same thing changes nothing. True when it is new. */
export async function insertReport(db: Queryable, r: { channelId: string; target: ReportTarget; reporterId: string; reason: string; at: Date }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO community_reports (channel_id, ${column(r.target)}, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING id`,
    [r.channelId, r.target.id, r.reporterId, r.reason, r.at],
  );
  return rows.length > 0;
}

/** One reported thing waiting for the team, with its reports gathered. */
export interface ReportedRow {
  comment_id: string | null;
  post_id: string | null;
  reports: number;
  reasons: string[];
  first_at: Date;
  /** The comment's text or the post's, its author, and what it answers (a comment's video or post title). */
  html: string;
  author_id: string | null;
  about: string | null;
}

export async function heldReports(db: Queryable, channelId: string): Promise<ReportedRow[]> {
  return db.query<ReportedRow>(
    `SELECT r.comment_id, r.post_id, count(*)::int AS reports, array_agg(r.reason ORDER BY r.created_at) AS reasons, min(r.created_at) AS first_at,
            COALESCE(c.body_html, p.body_html) AS html, COALESCE(c.author_id, p.author_id) AS author_id, COALESCE(v.title, cp.title, p.title) AS about
       FROM community_reports r
       LEFT JOIN community_comments c ON c.id = r.comment_id
       LEFT JOIN videos v ON v.id = c.video_id
       LEFT JOIN community_posts cp ON cp.id = c.post_id
       LEFT JOIN community_posts p ON p.id = r.post_id
      WHERE r.channel_id = $1 AND r.status = 'held' AND (c.deleted_at IS NULL)
      GROUP BY r.comment_id, r.post_id, c.body_html, p.body_html, c.author_id, p.author_id, v.title, cp.title, p.title
      ORDER BY min(r.created_at) LIMIT 500`,
    [channelId],
  );
}

/** Settles every held report of a thing of the channel; false when none was held. */
export async function settleReports(db: Queryable, channelId: string, target: ReportTarget, decision: ModerationDecision): Promise<boolean> {
  const rows = await db.query(`UPDATE community_reports SET status = $3 WHERE channel_id = $1 AND ${column(target)} = $2 AND status = 'held' RETURNING id`, [channelId, target.id, decision]);
  return rows.length > 0;
}
