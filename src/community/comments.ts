/**
 * Comments under videos: written by signed-in fans, shown at once or held for the team according to the
 * channel's policy and watched words (the moderation vocabulary: held, approved, rejected), threaded, with
 * replies from the fediverse (federation's, once approved) in the same thread.
 */
import { contactsOf } from '../accounts/index.js';
import { findChannelByHandle, findChannelById, roleOnChannel } from '../channels/index.js';
import { configSection } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import type { CurrentUser } from '../core/http/context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/http/errors.js';
import { hitRateLimit } from '../core/http/rate-limit.js';
import { approvedCommentsForPost, approvedCommentsForVideo, type LocalComment } from '../federation/index.js';
import { readsPost } from './audience.js';
import { liveMembers } from '../funding/memberships/index.js';
import type { ModerationDecision } from '../moderation/index.js';
import { findVideoById, type VideoWithChannel } from '../videos/index.js';
import { findPostById, type PostRow } from './post-queries.js';
import { isAccountBlocked } from './blocks.js';
import * as cq from './comment-queries.js';
import { communityConfig } from './config.js';
import { mentionsOf, renderCommentWithMentions } from './mentions.js';

/** Comments per account and per client address in ten minutes: enough to talk, too few to flood. */
const COMMENT_LIMIT = { perAccount: 10, perClient: 30, windowSeconds: 600 };

/** Whether `text` holds one of the channel's watched words (one per line or comma, case-insensitive, whole words). */
export function hasWatchedWord(text: string, watched: string): boolean {
  const words = watched.split(/[\n,]/).map((w) => w.trim().toLowerCase()).filter(Boolean);
  const lower = text.toLowerCase();
  return words.some((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(lower));
}

/** What a comment is written under: a video, or a post of the channel. */
export type CommentTarget = { kind: 'video'; video: VideoWithChannel } | { kind: 'post'; post: PostRow };

/** The channel, the subject and the event ids of a target. */
function aboutTarget(target: CommentTarget): { channelId: string; subject: cq.CommentSubject; videoId: string | null; postId: string | null } {
  return target.kind === 'video'
    ? { channelId: target.video.channel_id, subject: { kind: 'video', id: target.video.id }, videoId: target.video.id, postId: null }
    : { channelId: target.post.channel_id, subject: { kind: 'post', id: target.post.id }, videoId: null, postId: target.post.id };
}

/** The ids a comment's events carry. */
function eventIds(row: cq.CommentRow) {
  return { commentId: row.id, videoId: row.video_id, postId: row.post_id, channelId: row.channel_id };
}

/**
 * Writes a comment (or a reply) under a video or a post, held or shown per the channel's rules; publishes
 * comment.created or comment.held. Under a members-only post only its members (and the team) may write.
 */
export async function postComment(deps: AppDeps, target: CommentTarget, user: CurrentUser, input: { body: string; parentId: string | null; client: string }): Promise<cq.CommentRow> {
  const now = deps.clock.now();
  const about = aboutTarget(target);
  const settings = await cq.channelSettings(deps.db, about.channelId);
  const byTeam = (await roleOnChannel(deps.db, user, about.channelId)) !== undefined;
  if (!byTeam && settings.comment_policy === 'closed') throw new ForbiddenError('community.comments_closed');
  if (!byTeam && (await isAccountBlocked(deps.db, about.channelId, user))) throw new ForbiddenError('community.blocked');
  // Under a members-only or backers-only post, only its readers write; a members policy also wants a member.
  if (!byTeam && target.kind === 'post' && !(await readsPost(deps.db, target.post, user.id, now))) {
    throw new ForbiddenError(target.post.audience === 'backers' ? 'community.comments_backers_only' : 'community.comments_members_only');
  }
  const memberChecked = target.kind === 'post' && target.post.audience === 'members';
  if (!byTeam && settings.comment_policy === 'members' && !memberChecked && (await liveMembers(deps.db, about.channelId, now, { userIds: [user.id] })).length === 0) {
    throw new ForbiddenError('community.comments_members_only');
  }
  if (input.parentId) {
    const parent = await cq.findComment(deps.db, input.parentId);
    const sameSubject = parent && (about.subject.kind === 'video' ? parent.video_id : parent.post_id) === about.subject.id;
    if (!parent || !sameSubject || parent.status !== 'approved') throw new ValidationError({ body: 'community.comment_parent_gone' });
  }
  await hitRateLimit(deps.db, { bucket: `comment:user:${user.id}`, limit: COMMENT_LIMIT.perAccount, windowSeconds: COMMENT_LIMIT.windowSeconds, now });
  await hitRateLimit(deps.db, { bucket: `comment:ip:${input.client}`, limit: COMMENT_LIMIT.perClient, windowSeconds: COMMENT_LIMIT.windowSeconds, now });
  const held = !byTeam && (settings.comment_policy === 'held' || hasWatchedWord(input.body, settings.watched_words));
  const { html } = await renderCommentWithMentions(deps.db, input.body, ownHost(deps));
  return deps.db.transaction(async (tx) => {
    const row = await cq.insertComment(tx, {
      video_id: about.videoId, post_id: about.postId, channel_id: about.channelId, parent_id: input.parentId, author_id: user.id, body: input.body,
      body_html: html, status: held ? 'held' : 'approved', by_team: byTeam, created_at: now,
    });
    if (held) await deps.events.publish(tx, 'comment.held', { ...eventIds(row), authorId: user.id });
    else await publishShown(deps, tx, row);
    return row;
  });
}

/** The page a comment is shown on: its video's watch page or its post's page (a path). */
export async function commentPagePath(db: Queryable, row: cq.CommentRow): Promise<string> {
  if (row.post_id) {
    const post = await findPostById(db, row.post_id);
    const channel = post ? await findChannelById(db, post.channel_id) : undefined;
    return post && channel ? `/c/${channel.handle}/posts/${post.slug}` : '/';
  }
  const video = row.video_id ? await findVideoById(db, row.video_id) : undefined;
  return video ? `/v/${video.short_id}` : '/';
}

const ownHost = (deps: AppDeps) => new URL(deps.config.publicUrl).host.toLowerCase();

/**
 * A comment is now shown: comment.created (federation sends its Note), and comment.mentioned for each
 * channel of this site it mentions (its team is told), once per comment and channel.
 */
async function publishShown(deps: AppDeps, tx: Queryable, row: cq.CommentRow): Promise<void> {
  await deps.events.publish(tx, 'comment.created', { ...eventIds(row), authorId: row.author_id, parentId: row.parent_id });
  const mentioned = mentionsOf(row.body_html).local;
  if (mentioned.length === 0) return;
  const page = `${await commentPagePath(tx, row)}#comment-${row.id}`;
  for (const handle of mentioned) {
    const channel = await findChannelByHandle(tx, handle);
    if (!channel) continue;
    await deps.events.publish(tx, 'comment.mentioned', { ...eventIds(row), authorId: row.author_id, mentionedChannelId: channel.id, page }, `comment-mentioned:${row.id}:${channel.id}`);
  }
}

/** The author's own comment, not deleted, or 404 (another's comment is as unknown as a missing one). */
async function ownComment(deps: AppDeps, id: string, user: CurrentUser): Promise<cq.CommentRow> {
  const row = await cq.findComment(deps.db, id);
  if (!row || row.deleted_at || row.author_id !== user.id) throw new NotFoundError('community.comment_not_found');
  return row;
}

/** The author edits their comment within the edit window. */
export async function editComment(deps: AppDeps, id: string, user: CurrentUser, body: string): Promise<cq.CommentRow> {
  const row = await ownComment(deps, id, user);
  const { editWindowMs } = configSection(deps.config, communityConfig);
  if (deps.clock.now().getTime() - row.created_at.getTime() > editWindowMs) throw new ForbiddenError('community.comment_edit_window');
  await deps.db.transaction(async (tx) => {
    await cq.updateCommentBody(tx, row.id, body, (await renderCommentWithMentions(tx, body, ownHost(deps))).html, deps.clock.now());
    await deps.events.publish(tx, 'comment.edited', eventIds(row));
  });
  return row;
}

/** Deletes a comment: its author, or an admin or editor of the channel. */
export async function deleteComment(deps: AppDeps, id: string, user: CurrentUser): Promise<cq.CommentRow> {
  const row = await cq.findComment(deps.db, id);
  if (!row || row.deleted_at) throw new NotFoundError('community.comment_not_found');
  if (row.author_id !== user.id && (await roleOnChannel(deps.db, user, row.channel_id)) === undefined) throw new NotFoundError('community.comment_not_found');
  await deps.db.transaction((tx) => removeComment(deps, tx, row));
  return row;
}

/** Marks a comment deleted and says so (federation sends a Delete of a shown one), in `tx`. */
export async function removeComment(deps: AppDeps, tx: Queryable, row: cq.CommentRow): Promise<void> {
  await cq.markCommentDeleted(tx, row.id, deps.clock.now());
  await deps.events.publish(tx, 'comment.deleted', eventIds(row));
}

/** The team's decision on a held comment; an approval publishes comment.created. */
export async function decideComment(deps: AppDeps, channelId: string, id: string, decision: ModerationDecision): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const row = await cq.decideHeldComment(tx, channelId, id, decision);
    if (row && decision === 'approved') await publishShown(deps, tx, row);
    return row !== undefined;
  });
}

/**
 * A comment as federation sends it (the `federation.local-comments` slot), with its mentions; undefined for
 * an unknown id. Federation decides what leaves the site (shown comments under listed videos and public posts).
 */
export async function commentForFederation(deps: AppDeps, id: string): Promise<LocalComment | undefined> {
  const row = await cq.findComment(deps.db, id);
  if (!row) return undefined;
  return {
    id: row.id, videoId: row.video_id, postId: row.post_id, channelId: row.channel_id, authorId: row.author_id, parentId: row.parent_id,
    html: row.body_html, markdown: row.body, mentions: mentionsOf(row.body_html), createdAt: row.created_at, editedAt: row.edited_at,
    approved: row.status === 'approved', deleted: row.deleted_at !== null,
  };
}

/** One entry of a thread as the watch page shows it: a local comment or an approved fediverse reply. */
export interface ThreadEntry {
  id: string;
  author: string;
  authorUrl: string | null;
  html: string;
  at: Date;
  origin: 'local' | 'remote';
  byTeam: boolean;
  /** The member's tier name when their tier shows a badge. */
  badge: string | null;
  held: boolean;
  deleted: boolean;
  editable: boolean;
  mine: boolean;
  replies: ThreadEntry[];
}

/** A video's or a post's whole thread for `viewer`: local comments and approved fediverse replies, oldest first, replies nested. */
export async function commentThread(deps: AppDeps, target: CommentTarget, viewer: CurrentUser | null): Promise<ThreadEntry[]> {
  const now = deps.clock.now();
  const { channelId, subject } = aboutTarget(target);
  const [local, remote] = await Promise.all([cq.listComments(deps.db, subject, viewer?.id ?? null), target.kind === 'video' ? approvedCommentsForVideo(deps.db, target.video.id) : approvedCommentsForPost(deps.db, target.post.id)]);
  const authorIds = [...new Set(local.map((c) => c.author_id))];
  const [names, members] = await Promise.all([contactsOf(deps.db, authorIds), liveMembers(deps.db, channelId, now, { userIds: authorIds })]);
  const nameOf = new Map(names.map((u) => [u.id, u.display_name]));
  const badgeOf = new Map(members.filter((m) => m.badge).map((m) => [m.user_id, m.tier_name]));
  const { editWindowMs } = configSection(deps.config, communityConfig);
  const entries: (ThreadEntry & { parent: string | null })[] = [
    ...local.map((c) => ({
      id: c.id, parent: c.parent_id, author: nameOf.get(c.author_id) ?? '?', authorUrl: null, html: c.body_html, at: c.created_at, origin: 'local' as const,
      byTeam: c.by_team, badge: badgeOf.get(c.author_id) ?? null, held: c.status === 'held', deleted: c.deleted_at !== null,
      mine: viewer?.id === c.author_id, editable: viewer?.id === c.author_id && !c.deleted_at && now.getTime() - c.created_at.getTime() <= editWindowMs, replies: [],
    })),
    ...remote.map((r) => ({
      id: r.note_uri, parent: null, author: remoteName(r.actor_uri), authorUrl: r.url ?? r.actor_uri, html: r.content_html, at: r.received_at, origin: 'remote' as const,
      byTeam: false, badge: null, held: false, deleted: false, mine: false, editable: false, replies: [],
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const byId = new Map(entries.map((e) => [e.id, e]));
  const roots: ThreadEntry[] = [];
  for (const e of entries) (e.parent && byId.get(e.parent) ? byId.get(e.parent)!.replies : roots).push(e);
  return roots;
}

/** `@user@host` from an actor URI's last path segment (how Mastodon and PeerTube name their actors). */
function remoteName(actorUri: string): string {
  try {
    const url = new URL(actorUri);
    const user = url.pathname.split('/').filter(Boolean).at(-1)?.replace(/^@/, '') ?? '';
    return `@${user}@${url.host}`;
  } catch {
    return actorUri;
  }
}

/** Saves a channel's comment settings; opening or closing its comments publishes `comments.policy-changed` (videos on the fediverse carry it). */
export async function saveSettings(deps: AppDeps, channelId: string, settings: cq.CommunitySettingsRow): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const before = await cq.channelSettings(tx, channelId);
    await cq.saveChannelSettings(tx, channelId, settings, now);
    const closed = settings.comment_policy === 'closed';
    if ((before.comment_policy === 'closed') !== closed) await deps.events.publish(tx, 'comments.policy-changed', { channelId, closed, changedAt: now.toISOString() });
  });
}
