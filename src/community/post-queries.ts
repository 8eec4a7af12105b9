/** The posts table (community_posts). */
import type { Queryable } from '../core/db/index.js';

export interface PostRow {
  id: string;
  channel_id: string;
  slug: string;
  title: string;
  body: string;
  body_html: string;
  audience: 'public' | 'members';
  tier_ids: string[];
  published_at: Date;
}

const COLUMNS = 'id, channel_id, slug, title, body, body_html, audience, tier_ids, published_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertPost(db: Queryable, p: Omit<PostRow, 'id'> & { authorId: string }): Promise<PostRow> {
  const rows = await db.query<PostRow>(
    `INSERT INTO community_posts (channel_id, slug, title, body, body_html, audience, tier_ids, author_id, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9) RETURNING ${COLUMNS}`,
    [p.channel_id, p.slug, p.title, p.body, p.body_html, p.audience, p.tier_ids, p.authorId, p.published_at],
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
