/**
 * Blocks: a channel's team blocks a local account (from one of its comments) or a remote server (a domain).
 * A blocked account cannot comment or follow; a blocked server's replies and follows are dropped by
 * federation's inbox (through the `federation.local-comments` slot's `refuses`). Making a block rejects
 * what they wrote that still waits for approval and ends their follows (as a Mastodon domain block does).
 */
import { accountIdOfEmail, emailField } from '../accounts/index.js';
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
  /** A blocked address: the account that has it (now or later) and an e-mail follower with it. */
  email: string | null;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export async function listBlocks(db: Queryable, channelId: string): Promise<BlockRow[]> {
  return db.query<BlockRow>('SELECT id, user_id, domain, email, created_at FROM community_blocks WHERE channel_id = $1 ORDER BY created_at DESC LIMIT 1000', [channelId]);
}

/** Whether the channel blocked this account, or its address. */
export async function isAccountBlocked(db: Queryable, channelId: string, user: { id: string; email: string }): Promise<boolean> {
  return (await db.query('SELECT 1 FROM community_blocks WHERE channel_id = $1 AND (user_id = $2 OR email = $3) LIMIT 1', [channelId, user.id, user.email.toLowerCase()])).length > 0;
}

/** Whether the channel blocked this address (an e-mail follow is refused the same way as an account's). */
export async function isEmailBlocked(db: Queryable, channelId: string, email: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM community_blocks WHERE channel_id = $1 AND email = $2', [channelId, email.toLowerCase()])).length > 0;
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

/** Rejects an account's held comments on the channel and ends its follow. */
async function shutOutAccount(deps: AppDeps, tx: Queryable, channelId: string, userId: string): Promise<void> {
  await tx.query(`UPDATE community_comments SET status = 'rejected' WHERE channel_id = $1 AND author_id = $2 AND status = 'held'`, [channelId, userId]);
  const follow = await fq.findAccountFollower(tx, channelId, userId);
  if (follow && (await fq.unsubscribeFollower(tx, follow.id, deps.clock.now()))) {
    await deps.events.publish(tx, 'follower.removed', { channelId, follower: follow.id, kind: 'account' });
  }
}

/** Blocks the author of one of the channel's comments; their held comments on the channel are rejected, their follow ended. */
export async function blockCommentAuthor(deps: AppDeps, channel: ChannelRow, commentId: string): Promise<void> {
  const comment = UUID.test(commentId) ? await findComment(deps.db, commentId) : undefined;
  if (!comment || comment.channel_id !== channel.id) throw new NotFoundError('community.comment_not_found');
  await deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO community_blocks (channel_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [channel.id, comment.author_id, deps.clock.now()]);
    await shutOutAccount(deps, tx, channel.id, comment.author_id);
  });
}

/**
 * Blocks an e-mail address: the account that has it (if any, now or later) and an e-mail follower with
 * it. The Studio answers the same whether an account has the address or not, and lists the address only.
 */
export async function blockEmail(deps: AppDeps, channel: ChannelRow, typed: string): Promise<void> {
  const parsed = emailField.safeParse(typed);
  if (!parsed.success) throw new ValidationError({ email: 'error.email_invalid' });
  const email = parsed.data.toLowerCase();
  const accountId = await accountIdOfEmail(deps.db, email);
  await deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO community_blocks (channel_id, email, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [channel.id, email, deps.clock.now()]);
    if (accountId) await shutOutAccount(deps, tx, channel.id, accountId);
    const [follower] = await tx.query<{ id: string }>(`SELECT id FROM community_followers WHERE channel_id = $1 AND email = $2`, [channel.id, email]);
    if (follower && (await fq.unsubscribeFollower(tx, follower.id, deps.clock.now()))) {
      await deps.events.publish(tx, 'follower.removed', { channelId: channel.id, follower: follower.id, kind: 'email' });
    }
  });
}

export async function unblock(deps: AppDeps, channel: ChannelRow, id: string): Promise<void> {
  if (!UUID.test(id) || (await deps.db.query('DELETE FROM community_blocks WHERE channel_id = $1 AND id = $2 RETURNING id', [channel.id, id])).length === 0) {
    throw new NotFoundError('community.block_not_found');
  }
}
