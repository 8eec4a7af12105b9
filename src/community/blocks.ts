/**
 * Blocks: a channel's team blocks a local account (from one of its comments) or a remote server (a domain).
 * A blocked account cannot comment or follow; a blocked server's replies and follows are dropped by
 * federation's inbox (through the `federation.local-comments` slot's `refuses`). Making a block rejects
 * what they wrote that still waits for approval and ends their follows (as a Mastodon domain block does).
 */
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { NotFoundError, ValidationError } from '../core/http/errors.js';
import { deleteFollowersFrom, rejectHeldRepliesFrom } from '../federation/index.js';
import * as fq from './follower-queries.js';
import { findComment } from './comment-queries.js';

export interface BlockRow {
  id: string;
  user_id: string | null;
  domain: string | null;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export async function listBlocks(db: Queryable, channelId: string): Promise<BlockRow[]> {
  return db.query<BlockRow>('SELECT id, user_id, domain, created_at FROM community_blocks WHERE channel_id = $1 ORDER BY created_at DESC LIMIT 1000', [channelId]);
}

export async function isAccountBlocked(db: Queryable, channelId: string, userId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM community_blocks WHERE channel_id = $1 AND user_id = $2', [channelId, userId])).length > 0;
}

/** Whether the channel blocked the server of `actorUri` (or a parent domain of it). */
export async function isActorServerBlocked(db: Queryable, channelId: string, actorUri: string): Promise<boolean> {
  let host: string;
  try {
    host = new URL(actorUri).hostname.toLowerCase();
  } catch {
    return false;
  }
  const rows = await db.query(`SELECT 1 FROM community_blocks WHERE channel_id = $1 AND domain IS NOT NULL AND ($2 = domain OR $2 LIKE '%.' || domain) LIMIT 1`, [channelId, host]);
  return rows.length > 0;
}

/** A domain as typed (`Example.org`, `https://example.org/`, `@me@example.org`) → `example.org`, or undefined. */
export function parseDomain(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase().replace(/^@?[^@\s/]*@/, '').replace(/^https?:\/\//, '').replace(/[/:].*$/, '');
  return DOMAIN.test(trimmed) ? trimmed : undefined;
}

/** Blocks a remote server; its held replies under the channel's videos are rejected, its followers removed. */
export async function blockDomain(deps: AppDeps, channel: ChannelRow, typed: string): Promise<void> {
  const domain = parseDomain(typed);
  if (!domain || domain === new URL(deps.config.publicUrl).hostname) throw new ValidationError({ domain: 'community.block_domain_invalid' });
  await deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO community_blocks (channel_id, domain, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [channel.id, domain, deps.clock.now()]);
    await rejectHeldRepliesFrom(tx, channel.id, domain);
    for (const follower of await deleteFollowersFrom(tx, channel.id, domain)) {
      await deps.events.publish(tx, 'follower.removed', { channelId: channel.id, follower, kind: 'remote' });
    }
  });
}

/** Blocks the author of one of the channel's comments; their held comments on the channel are rejected, their follow ended. */
export async function blockCommentAuthor(deps: AppDeps, channel: ChannelRow, commentId: string): Promise<void> {
  const comment = UUID.test(commentId) ? await findComment(deps.db, commentId) : undefined;
  if (!comment || comment.channel_id !== channel.id) throw new NotFoundError('community.comment_not_found');
  await deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO community_blocks (channel_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [channel.id, comment.author_id, deps.clock.now()]);
    await tx.query(`UPDATE community_comments SET status = 'rejected' WHERE channel_id = $1 AND author_id = $2 AND status = 'held'`, [channel.id, comment.author_id]);
    const follow = await fq.findAccountFollower(tx, channel.id, comment.author_id);
    if (follow && (await fq.unsubscribeFollower(tx, follow.id, deps.clock.now()))) {
      await deps.events.publish(tx, 'follower.removed', { channelId: channel.id, follower: follow.id, kind: 'account' });
    }
  });
}

export async function unblock(deps: AppDeps, channel: ChannelRow, id: string): Promise<void> {
  if (!UUID.test(id) || (await deps.db.query('DELETE FROM community_blocks WHERE channel_id = $1 AND id = $2 RETURNING id', [channel.id, id])).length === 0) {
    throw new NotFoundError('community.block_not_found');
  }
}
