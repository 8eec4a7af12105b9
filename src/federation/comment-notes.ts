import { Hono } from 'hono';
import { findChannelById } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import type { AppEnv } from '../core/http/context.js';
import { findVideoById, isListed, listCaptions } from '../videos/index.js';
import { channelIdentifier, OWNER_IDENTIFIER, personIdentifier } from './actors.js';
import type { FederationServices } from './federation.js';
import { deliverTo, videoObjectUrls, type DeliverySigner } from './outbox.js';
import { enqueue } from '../core/jobs/index.js';
import { postArticleUri } from './post-articles.js';
import { DELIVER_TO_ACTOR_JOB } from './recommend.js';
import { remoteActorUri } from './remote-follow.js';
import * as q from './queries.js';
import { AS_PUBLIC, buildVideoObject, videoActivity, videoObjectUri } from './video-object.js';

/** Who may comment on a channel's videos (the community capability's per-channel policy). */
export type CommentsPolicy = 'open' | 'members' | 'held' | 'closed';

/** A comment written on this site, as federation needs it (given by the community capability). */
export interface LocalComment {
  id: string;
  /** What it is written under: a video, or a post (exactly one of the two). */
  videoId: string | null;
  postId: string | null;
  channelId: string;
  authorId: string;
  /** The local comment it answers, if any. */
  parentId: string | null;
  /** Sanitized HTML, and the Markdown the author wrote. */
  html: string;
  markdown: string;
  /** Channels of this site (handles) and fediverse accounts it mentions: Mention tags on its Note. */
  mentions: { local: string[]; remote: { user: string; host: string }[] };
  createdAt: Date;
  editedAt: Date | null;
  /** Approved by the policy or the team (a held or rejected comment never leaves the site). */
  approved: boolean;
  deleted: boolean;
}

/** What the community capability tells federation about local comments (the `federation.local-comments` slot). */
export interface LocalCommentsSource {
  find(id: string): Promise<LocalComment | undefined>;
  policy(channelId: string): Promise<CommentsPolicy>;
  /** Whether the channel blocked the server of this remote actor: its replies and follows are dropped. */
  refuses(channelId: string, actorUri: string): Promise<boolean>;
}

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/** What a federated comment hangs under: a listed video's object or a public post's Article. */
interface CommentSubject {
  channelId: string;
  channelHandle: string;
  /** The object a top-level comment is `inReplyTo`. */
  object: string;
  /** The page the comment is shown on (absolute). */
  page: string;
  /** The video, whose receiving servers also get its comments. */
  videoId: string | null;
}

/** The subject of a comment when it may leave the site (a listed video, a public post); undefined otherwise. */
async function subjectOf(deps: AppDeps, fed: FederationServices, c: LocalComment): Promise<CommentSubject | undefined> {
  const base = deps.config.publicUrl;
  if (c.videoId) {
    const video = await findVideoById(deps.db, c.videoId);
    if (!video || !isListed(video, deps.clock.now())) return undefined;
    return { channelId: video.channel_id, channelHandle: video.channel_handle, object: videoObjectUri(base, video.short_id), page: `${base}/v/${video.short_id}`, videoId: video.id };
  }
  const post = c.postId ? await fed.posts()?.find(c.postId) : undefined;
  const channel = post?.audience === 'public' ? await findChannelById(deps.db, post.channelId) : undefined;
  if (!post || !channel) return undefined;
  return { channelId: channel.id, channelHandle: channel.handle, object: postArticleUri(base, post.id), page: `${base}${post.path}`, videoId: null };
}

/** Where a local comment's Note lives. */
export function commentNoteUri(base: string, commentId: string): string {
  return `${base}/ap/comments/${commentId}`;
}

/**
 * Where the owner's approval of a shown local comment is served (FEP-5624's `replyApproval`, PeerTube's
 * `<comment>/approve-reply`): a receiver dereferences it to check that the reply is allowed; 404 once the
 * comment is no longer shown (deleted, or never approved).
 */
export function replyApprovalUri(base: string, commentId: string): string {
  return `${commentNoteUri(base, commentId)}/approve-reply`;
}

/** The Person a comment is attributed to: the site owner's, or the author account's own. */
async function authorIdentifier(db: Queryable, userId: string): Promise<string> {
  const rows = await db.query<{ site_role: string | null }>('SELECT site_role FROM users WHERE id = $1', [userId]);
  return rows[0]?.site_role === 'owner' ? OWNER_IDENTIFIER : personIdentifier(userId);
}

function signerOf(identifier: string, userId: string): DeliverySigner {
  return identifier === OWNER_IDENTIFIER ? 'owner' : `person:${userId}`;
}

/**
 * A local comment as PeerTube's `Note` (VideoCommentObject): `inReplyTo` the video's object or the post's
 * Article (or the comment it answers), `attributedTo` the author's Person, public, copied to the channel's
 * followers. `content` is the sanitized HTML (what Mastodon shows), `source` the author's Markdown; `url`
 * the comment on its page. The channel approved it (it is shown here), so `replyApproval` names the
 * owner's ApproveReply, served at `replyApprovalUri`.
 */
export function commentNote(
  c: LocalComment,
  o: { base: string; subject: Pick<CommentSubject, 'object' | 'page'>; author: string; owner: string; channelFollowers: string; tags?: MentionTag[] },
): Record<string, unknown> {
  const id = commentNoteUri(o.base, c.id);
  return {
    type: 'Note',
    id,
    url: `${o.subject.page}#comment-${c.id}`,
    attributedTo: o.author,
    inReplyTo: c.parentId ? commentNoteUri(o.base, c.parentId) : o.subject.object,
    content: c.html,
    source: { content: c.markdown, mediaType: 'text/markdown' },
    published: c.createdAt.toISOString(),
    updated: (c.editedAt ?? c.createdAt).toISOString(),
    to: [AS_PUBLIC],
    // Mentioned fediverse accounts are addressed too, as Mastodon does (this site's channels are not: they hear through notifications).
    cc: [o.channelFollowers, ...(o.tags ?? []).filter((t) => !t.href.startsWith(`${o.base}/`)).map((t) => t.href)],
    tag: o.tags ?? [],
    replyApproval: replyApprovalUri(o.base, c.id),
  };
}

/** A Mention of a Note (as Mastodon writes it): the actor's URI and its `@user@host`. */
export interface MentionTag {
  type: 'Mention';
  href: string;
  name: string;
}

/** The Mention tags of a comment: this site's channels by their Group, fediverse accounts found by WebFinger (unknown ones left out). */
async function mentionTags(deps: AppDeps, fed: FederationServices, c: LocalComment): Promise<MentionTag[]> {
  const host = new URL(deps.config.publicUrl).host;
  const local = c.mentions.local.map((handle) => ({ type: 'Mention' as const, href: fed.context().getActorUri(channelIdentifier(handle)).href, name: `@${handle}@${host}` }));
  const remote = await Promise.all(c.mentions.remote.map(async (h) => {
    const href = await remoteActorUri(fed, h);
    return href ? [{ type: 'Mention' as const, href, name: `@${h.user}@${h.host}` }] : [];
  }));
  return [...local, ...remote.flat()];
}

export type CommentSyncOutcome = 'created' | 'updated' | 'deleted' | 'not federated';

/**
 * Tells the fediverse about a local comment, as its author: Create when it is shown under a listed video
 * or a public post (its Note `inReplyTo` the post's Article),
 * Update after an edit, Delete (a Tombstone) once a shown comment is deleted. Sent to the channel's
 * followers and to every server that got the video. Comments under members-only, unlisted or unpublished
 * videos, and held or rejected ones, never leave the site. Activity ids are fixed (Create, Delete) or per
 * edit (Update), and deliveries are deduplicated by them, so a repeated event sends nothing new.
 */
export async function syncComment(deps: AppDeps, fed: FederationServices, source: LocalCommentsSource, commentId: string): Promise<CommentSyncOutcome> {
  const comment = await source.find(commentId);
  if (!comment || !comment.approved) return 'not federated';
  const subject = await subjectOf(deps, fed, comment);
  const now = deps.clock.now();
  if (!subject) return 'not federated';
  const base = deps.config.publicUrl;
  const ctx = fed.context();
  const identifier = await authorIdentifier(deps.db, comment.authorId);
  const author = ctx.getActorUri(identifier).href;
  const urls = videoObjectUrls(fed, base, subject.channelHandle);
  const noteUri = commentNoteUri(base, comment.id);
  const as = signerOf(identifier, comment.authorId);
  const channelId = subject.channelId;
  const tags = comment.deleted ? [] : await mentionTags(deps, fed, comment);
  return deps.db.transaction(async (tx) => {
    const inboxes = [...new Set([...(await q.followerInboxes(tx, channelId)), ...(subject.videoId ? await q.videoRecipients(tx, subject.videoId) : [])])];
    const envelope = { '@context': AS_CONTEXT, actor: author, to: [AS_PUBLIC], cc: [urls.channelFollowers] };
    if (comment.deleted) {
      const activity = { ...envelope, id: `${noteUri}#delete`, type: 'Delete', published: now.toISOString(), object: { type: 'Tombstone', id: noteUri, formerType: 'Note', deleted: now.toISOString() } };
      await deliverTo(deps, tx, channelId, inboxes, activity, { as });
      return 'deleted';
    }
    const note = commentNote(comment, { base, subject, author, owner: urls.ownerActor, channelFollowers: urls.channelFollowers, tags });
    const create = { ...envelope, id: `${noteUri}#create`, type: 'Create', published: comment.createdAt.toISOString(), object: note };
    await deliverTo(deps, tx, channelId, inboxes, create, { as });
    // Each mentioned fediverse account gets the Create in its own inbox (found by the job), so it is told.
    for (const href of (note.cc as string[]).slice(1)) {
      await enqueue(tx, { type: DELIVER_TO_ACTOR_JOB, payload: { channelId, actor: href, activity: create, as }, maxAttempts: 8, dedupeKey: `fed-mention:${create.id}:${href}`.slice(0, 400) }, deps.clock);
    }
    if (!comment.editedAt) return 'created';
    await deliverTo(deps, tx, channelId, inboxes, { ...envelope, id: `${noteUri}#update-${comment.editedAt.getTime()}`, type: 'Update', published: comment.editedAt.toISOString(), object: note }, { as });
    return 'updated';
  });
}

/**
 * After a channel opened or closed its comments (`comments.policy-changed`): an Update of each video its
 * followers were told of, carrying the new `commentsPolicy` / `commentsEnabled` (a video's own version does
 * not move with the policy, so syncVideo would not resend it). One activity id per change (`changedAt`).
 */
export async function announceCommentsPolicy(deps: AppDeps, fed: FederationServices, source: LocalCommentsSource, channelId: string, changedAt: string): Promise<string> {
  const commentsClosed = (await source.policy(channelId)) === 'closed';
  const now = deps.clock.now();
  let sent = 0;
  for (const videoId of await q.publishedVideoIds(deps.db, channelId)) {
    const video = await findVideoById(deps.db, videoId);
    if (!video || !isListed(video, now)) continue;
    const urls = videoObjectUrls(fed, deps.config.publicUrl, video.channel_handle);
    const object = buildVideoObject(video, await listCaptions(deps.db, video.id), urls, { commentsClosed });
    const activity = videoActivity('Update', `${String(object.id)}#update-comments-${commentsClosed ? 'closed' : 'open'}-${Date.parse(changedAt)}`, urls, object, now);
    await deps.db.transaction(async (tx) => deliverTo(deps, tx, channelId, await q.videoAudienceInboxes(tx, channelId), activity));
    sent += 1;
  }
  return `updated ${sent} videos`;
}

/** The owner's ApproveReply of a shown comment (what `replyApproval` points to), as PeerTube builds it. */
export function replyApproval(c: LocalComment, o: { base: string; subject: Pick<CommentSubject, 'object'>; owner: string }): Record<string, unknown> {
  return {
    type: 'ApproveReply',
    id: replyApprovalUri(o.base, c.id),
    actor: o.owner,
    object: commentNoteUri(o.base, c.id),
    inReplyTo: c.parentId ? commentNoteUri(o.base, c.parentId) : o.subject.object,
  };
}

/**
 * `GET /ap/comments/:id`: a shown local comment under a listed video, as its Note (what a server fetches to
 * check a Create); `GET /ap/comments/:id/approve-reply`: the owner's approval of it (FEP-5624).
 */
export function commentNoteRoutes(deps: AppDeps, fed: FederationServices, source: () => LocalCommentsSource | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const notFound = () => new Response(JSON.stringify({ error: 'not_found' }), { status: 404, headers: { 'content-type': 'application/json' } });
  const json = (body: Record<string, unknown>) => new Response(JSON.stringify({ '@context': AS_CONTEXT, ...body }), { headers: { 'content-type': 'application/activity+json', vary: 'Accept' } });
  /** The comment and its subject when it is shown under a listed video or a public post; undefined otherwise. */
  async function shown(id: string) {
    const comment = await source()?.find(id);
    if (!comment || !comment.approved || comment.deleted) return undefined;
    const subject = await subjectOf(deps, fed, comment);
    if (!subject) return undefined;
    return { comment, subject, urls: videoObjectUrls(fed, deps.config.publicUrl, subject.channelHandle) };
  }
  app.get('/ap/comments/:id', async (c) => {
    const found = await shown(c.req.param('id'));
    if (!found) return notFound();
    const { comment, subject, urls } = found;
    const author = fed.context().getActorUri(await authorIdentifier(deps.db, comment.authorId)).href;
    return json(commentNote(comment, { base: urls.base, subject, author, owner: urls.ownerActor, channelFollowers: urls.channelFollowers, tags: await mentionTags(deps, fed, comment) }));
  });
  app.get('/ap/comments/:id/approve-reply', async (c) => {
    const found = await shown(c.req.param('id'));
    if (!found) return notFound();
    return json(replyApproval(found.comment, { base: found.urls.base, subject: found.subject, owner: found.urls.ownerActor }));
  });
  return app;
}
