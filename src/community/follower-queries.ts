/**
 * The followers tables (community_followers): accounts and e-mail addresses following a channel. What this
 * file does not query is anything another capability owns; remote followers are federation's.
 */
import type { Queryable } from '../core/db/index.js';

export type FollowerKind = 'account' | 'email';
export type FollowerStatus = 'unconfirmed' | 'active' | 'unsubscribed' | 'bounced';

/** What a follower chose to receive (all on by default). */
export interface FollowerChoices {
  videos: boolean;
  posts: boolean;
  campaigns: boolean;
  members: boolean;
}

export interface FollowerRow {
  id: string;
  channel_id: string;
  kind: FollowerKind;
  user_id: string | null;
  email: string | null;
  language: 'en' | 'fr';
  status: FollowerStatus;
  wants_videos: boolean;
  wants_posts: boolean;
  wants_campaigns: boolean;
  wants_members: boolean;
  created_at: Date;
}

const COLUMNS = 'id, channel_id, kind, user_id, email, language, status, wants_videos, wants_posts, wants_campaigns, wants_members, created_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findFollower(db: Queryable, id: string): Promise<FollowerRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return (await db.query<FollowerRow>(`SELECT ${COLUMNS} FROM community_followers WHERE id = $1`, [id]))[0];
}

export async function findAccountFollower(db: Queryable, channelId: string, userId: string): Promise<FollowerRow | undefined> {
  return (await db.query<FollowerRow>(`SELECT ${COLUMNS} FROM community_followers WHERE channel_id = $1 AND user_id = $2`, [channelId, userId]))[0];
}

/**
 * Makes `userId` an active follower of the channel (again, if they had left); returns its row and whether
 * it is new or came back (false when it was already active).
 */
export async function upsertAccountFollower(db: Queryable, f: { channelId: string; userId: string; language: 'en' | 'fr'; now: Date }): Promise<{ row: FollowerRow; added: boolean }> {
  const before = await findAccountFollower(db, f.channelId, f.userId);
  const rows = await db.query<FollowerRow>(
    `INSERT INTO community_followers (channel_id, kind, user_id, language, status, consent_at, confirmed_at, created_at, updated_at)
     VALUES ($1, 'account', $2, $3, 'active', $4, $4, $4, $4)
     ON CONFLICT (channel_id, user_id) DO UPDATE SET status = 'active', updated_at = $4
     RETURNING ${COLUMNS}`,
    [f.channelId, f.userId, f.language, f.now],
  );
  return { row: rows[0]!, added: before?.status !== 'active' };
}

/**
 * Records an e-mail address asking to follow. A new or departed address becomes `unconfirmed` (it gets
 * only the confirm e-mail); an address already active or bounced is left as it is.
 */
export async function upsertEmailFollower(db: Queryable, f: { channelId: string; email: string; language: 'en' | 'fr'; now: Date }): Promise<FollowerRow> {
  const rows = await db.query<FollowerRow>(
    `INSERT INTO community_followers (channel_id, kind, email, language, status, consent_at, created_at, updated_at)
     VALUES ($1, 'email', $2, $3, 'unconfirmed', $4, $4, $4)
     ON CONFLICT (channel_id, email) DO UPDATE
       SET status = CASE WHEN community_followers.status = 'unsubscribed' THEN 'unconfirmed' ELSE community_followers.status END,
           consent_at = $4, updated_at = $4
     RETURNING ${COLUMNS}`,
    [f.channelId, f.email, f.language, f.now],
  );
  return rows[0]!;
}

/** Confirms an unconfirmed follower; true when this call confirmed it. */
export async function confirmFollower(db: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE community_followers SET status = 'active', confirmed_at = $2, updated_at = $2 WHERE id = $1 AND status = 'unconfirmed' RETURNING id`, [id, now]);
  return rows.length > 0;
}

/** Stops everything to this follower; true when they were following (active or unconfirmed). */
export async function unsubscribeFollower(db: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE community_followers SET status = 'unsubscribed', updated_at = $2 WHERE id = $1 AND status IN ('active', 'unconfirmed') RETURNING id`, [id, now]);
  return rows.length > 0;
}

export async function saveChoices(db: Queryable, id: string, c: FollowerChoices, now: Date): Promise<void> {
  await db.query(
    `UPDATE community_followers SET wants_videos = $2, wants_posts = $3, wants_campaigns = $4, wants_members = $5, updated_at = $6 WHERE id = $1`,
    [id, c.videos, c.posts, c.campaigns, c.members, now],
  );
}

export async function countFollowersByKind(db: Queryable, channelId: string): Promise<Record<FollowerKind, number>> {
  const rows = await db.query<{ kind: FollowerKind; n: number }>(
    `SELECT kind, count(*)::int AS n FROM community_followers WHERE channel_id = $1 AND status = 'active' GROUP BY kind`,
    [channelId],
  );
  return { account: rows.find((r) => r.kind === 'account')?.n ?? 0, email: rows.find((r) => r.kind === 'email')?.n ?? 0 };
}

/** Active followers who want `what`, with the address to write to (an account follower's own, from `emails`). */
export async function activeFollowersWanting(db: Queryable, channelId: string, what: 'videos' | 'posts' | 'members' | 'campaigns'): Promise<FollowerRow[]> {
  return db.query<FollowerRow>(`SELECT ${COLUMNS} FROM community_followers WHERE channel_id = $1 AND status = 'active' AND wants_${what} ORDER BY created_at`, [channelId]);
}
