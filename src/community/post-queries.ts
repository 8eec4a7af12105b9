/** The posts table (community_posts). */
import type { Queryable } from '../core/db/index.js';

export interface PostRow {
  id: string;
  channel_id: string;
  slug: string;
  title: string;
  body: string;
  body_html: string;
  audience: 'public' | 'members' | 'backers';
  tier_ids: string[];
  /** For 'backers': the campaign whose backers it is for. */
  campaign_id: string | null;
  published_at: Date;
  /** The last edit, if any (the fediverse gets an Update; nobody gets the e-mail again). */
  edited_at: Date | null;
}

const COLUMNS = 'id, channel_id, slug, title, body, body_html, audience, tier_ids, campaign_id, published_at, edited_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertPost(db: Queryable, p: Omit<PostRow, 'id' | 'edited_at'> & { authorId: string }): Promise<PostRow> {
  const rows = await db.query<PostRow>(
    `INSERT INTO community_posts (channel_id, slug, title, body, body_html, audience, tier_ids, campaign_id, author_id, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10) RETURNING ${COLUMNS}`,
    [p.channel_id, p.slug, p.title, p.body, p.body_html, p.audience, p.tier_ids, p.campaign_id, p.authorId, p.published_at],
  );
  return rows[0]!;
}

export async function findPostById(db: Queryable, id: string): Promise<PostRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return (await db.query<PostRow>(`SELECT ${COLUMNS} FROM community_posts WHERE id = $1`, [id]))[0];
}

export async function findPostBySlug(db: Queryable, channelId: string, slug: string): Promise<PostRow | undefined> {
  if (!/^[A-Za-z0-9_-]{8,16}$/.test(slug)) return undefined;
  return (await db.query<PostRow>(`SELECT ${COLUMNS} FROM community_posts WHERE channel_id = $1 AND slug = $2`, [channelId, slug]))[0];
}

/** A channel's posts, newest first. */
export async function listPosts(db: Queryable, channelId: string, limit = 50): Promise<PostRow[]> {
  return db.query<PostRow>(`SELECT ${COLUMNS} FROM community_posts WHERE channel_id = $1 ORDER BY published_at DESC LIMIT $2`, [channelId, limit]);
}

/** A channel's public posts, newest first (its feeds list them; members-only posts never). */
export async function listPublicPosts(db: Queryable, channelId: string, limit: number): Promise<PostRow[]> {
  return db.query<PostRow>(`SELECT ${COLUMNS} FROM community_posts WHERE channel_id = $1 AND audience = 'public' ORDER BY published_at DESC LIMIT $2`, [channelId, limit]);
}

/** A post of the channel, by id (undefined for another channel's). */
export async function findChannelPost(db: Queryable, channelId: string, id: string): Promise<PostRow | undefined> {
  const post = await findPostById(db, id);
  return post?.channel_id === channelId ? post : undefined;
}

export async function updatePost(db: Queryable, id: string, p: { title: string; body: string; body_html: string; at: Date }): Promise<PostRow | undefined> {
  const rows = await db.query<PostRow>(
    `UPDATE community_posts SET title = $2, body = $3, body_html = $4, edited_at = $5 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, p.title, p.body, p.body_html, p.at],
  );
  return rows[0];
}

export async function deletePost(db: Queryable, id: string): Promise<PostRow | undefined> {
  return (await db.query<PostRow>(`DELETE FROM community_posts WHERE id = $1 RETURNING ${COLUMNS}`, [id]))[0];
}
