import { createHash } from 'node:crypto';
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Follow,
  Like,
  Move,
  Note,
  Reject,
  Undo,
  Update,
  Video,
} from '@fedify/vocab';
import type { InboxContext, Federation } from '@fedify/fedify';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import sanitizeHtml from 'sanitize-html';
import type { AppDeps } from '../core/deps.js';
import type { LocalCommentsSource } from './comment-notes.js';
import type { LocalPostsSource } from './post-articles.js';
import { findVideoByShortId, isListed, renderMarkdown, type VideoRow } from '../videos/index.js';
import { recordIncomingRecommendation, removeIncomingRecommendation } from './recommendations/service.js';
import { findLocalActor, identifierPath, INSTANCE_IDENTIFIER, OWNER_IDENTIFIER } from './actors.js';
import { sameOrigin } from './origin-check.js';
import { onMove } from './move.js';
import { deliverTo } from './outbox.js';
import * as q from './queries.js';

type Ctx = InboxContext<void>;

/** The short id of a local video from its object id (`/ap/videos/{id}`) or watch page (`/v/{id}`). */
export function localVideoShortId(base: string, uri: URL | null | undefined): string | undefined {
  if (!uri || uri.origin !== new URL(base).origin) return undefined;
  return /^\/(?:ap\/videos|v)\/([A-Za-z0-9_-]{8,16})$/.exec(uri.pathname)?.[1];
}

/** A loader that never fetches: for reading objects embedded in an activity without trusting a URL. */
const embeddedOnly: DocumentLoader = async (url) => {
  throw new Error(`not fetching ${url}: only embedded objects are read here`);
};

/** Comment HTML keeps text structure and links only. */
function sanitizeComment(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'a', 'span', 'em', 'strong', 'i', 'b', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li'],
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener ugc' }) },
  }).slice(0, 20_000);
}

function dateOf(instant: { epochMilliseconds: number } | null | undefined): Date | null {
  return instant ? new Date(instant.epochMilliseconds) : null;
}

/**
 * Wraps a listener so that an activity is applied once: one already in the inbox log is skipped, and the
 * log entry is written after the effects (each of which is idempotent on its own), so an attempt that fails
 * half-way is completed by Fedify's retry. Activities without an id, or whose id is not on their actor's
 * host, are ignored.
 */
function once<T extends Activity>(deps: AppDeps, listener: (ctx: Ctx, activity: T) => Promise<void>) {
  return async (ctx: Ctx, activity: T) => {
    const id = activity.id;
    const actor = activity.actorId;
    if (!id || !actor || !sameOrigin(id, actor)) return;
    if (await q.wasApplied(deps.db, id.href)) return;
    await listener(ctx, activity);
    const type = activity.constructor.name;
    await q.markApplied(deps.db, { activityUri: id.href, type, actorUri: actor.href, objectUri: activity.objectId?.href ?? null, at: deps.clock.now() });
  };
}

/** Registers the inbox listeners: follows, likes and shares, replies, remote videos, and their undoing. */
export function registerInbox(
  federation: Federation<void>,
  deps: AppDeps,
  community: () => LocalCommentsSource | undefined = () => undefined,
  posts: () => LocalPostsSource | undefined = () => undefined,
): void {
  const base = deps.config.publicUrl;
  const db = deps.db;

  /** A local, listed video named by `uri`. */
  async function listedVideo(uri: URL | null): Promise<VideoRow | undefined> {
    const shortId = localVideoShortId(base, uri);
    const video = shortId ? await findVideoByShortId(db, shortId) : undefined;
    return video && isListed(video, deps.clock.now()) ? video : undefined;
  }

  /** The channel identifier a local actor URI names, when it is a channel. */
  async function channelOf(ctx: Ctx, uri: URL | null) {
    const parsed = ctx.parseUri(uri);
    if (parsed?.type !== 'actor') return undefined;
    const actor = await findLocalActor(db, parsed.identifier);
    return actor?.kind === 'channel' ? { identifier: parsed.identifier, channel: actor.channel } : undefined;
  }

  /** Removes the actor's follows (as `where` says) and tells subscribers which channels lost a follower. */
  async function unfollowed(actorUri: string, where: Parameters<typeof q.deleteFollower>[2]) {
    await db.transaction(async (tx) => {
      for (const channelId of await q.deleteFollower(tx, actorUri, where)) {
        await deps.events.publish(tx, 'follower.removed', { channelId, follower: actorUri, kind: 'remote' });
      }
    });
  }

  /** The Accept of a Follow of local actor `me`, with an id derived from the Follow's. */
  function acceptOf(follow: Follow, followerUri: string, me: string): Record<string, unknown> {
    return {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${me}#accepts/${createHash('sha256').update(follow.id!.href).digest('hex').slice(0, 32)}`,
      type: 'Accept',
      actor: me,
      object: { id: follow.id!.href, type: 'Follow', actor: followerUri, object: me },
    };
  }

  /** True when `uri` names the instance actor. */
  const isInstanceActor = (ctx: Ctx, uri: URL | null) => {
    const parsed = ctx.parseUri(uri);
    return parsed?.type === 'actor' && parsed.identifier === INSTANCE_IDENTIFIER;
  };

  /**
   * A server following the whole site (issue 10 D15: PeerTube's "follow an instance by host" sends this
   * Follow from its server actor to ours): recorded, accepted by the instance actor; its inbox then gets
   * every channel's video activities (outbox.ts syncVideo).
   */
  async function onInstanceFollow(ctx: Ctx, follow: Follow) {
    const loader = await ctx.getDocumentLoader({ identifier: INSTANCE_IDENTIFIER });
    const follower = await follow.getActor({ documentLoader: loader, contextLoader: ctx.contextLoader });
    if (!follower?.id || !follower.inboxId || follower.id.href !== follow.actorId?.href) return;
    await q.upsertInstanceFollower(db, {
      actorUri: follower.id.href,
      inboxUri: follower.inboxId.href,
      sharedInboxUri: follower.endpoints?.sharedInbox?.href ?? null,
      followActivityUri: follow.id?.href ?? null,
    });
    const me = ctx.getActorUri(INSTANCE_IDENTIFIER).href;
    await deliverTo(deps, db, null, [follower.inboxId.href], acceptOf(follow, follower.id.href, me), { as: 'instance' });
  }

  async function onFollow(ctx: Ctx, follow: Follow) {
    if (isInstanceActor(ctx, follow.objectId)) return onInstanceFollow(ctx, follow);
    const target = await channelOf(ctx, follow.objectId);
    if (!target) return;
    // A server the channel blocked: its follows are dropped.
    if (await community()?.refuses(target.channel.id, follow.actorId!.href)) return;
    const loader = await ctx.getDocumentLoader({ identifier: target.identifier });
    const follower = await follow.getActor({ documentLoader: loader, contextLoader: ctx.contextLoader });
    if (!follower?.id || !follower.inboxId || follower.id.href !== follow.actorId?.href) return;
    await db.transaction(async (tx) => {
      const added = await q.upsertFollower(tx, {
        channelId: target.channel.id,
        actorUri: follower.id!.href,
        inboxUri: follower.inboxId!.href,
        sharedInboxUri: follower.endpoints?.sharedInbox?.href ?? null,
        followActivityUri: follow.id?.href ?? null,
      });
      if (added) await deps.events.publish(tx, 'follower.added', { channelId: target.channel.id, follower: follower.id!.href, kind: 'remote' });
    });
    // Accepted through our own delivery queue: Fanfare's User-Agent, the address guard, refusals recorded.
    const me = ctx.getActorUri(target.identifier).href;
    await deliverTo(deps, db, target.channel.id, [follower.inboxId!.href], acceptOf(follow, follower.id!.href, me));
  }

  async function onUndo(ctx: Ctx, undo: Undo) {
    const actor = undo.actorId!;
    const inner = await undo.getObject({ documentLoader: embeddedOnly, contextLoader: ctx.contextLoader }).catch(() => null);
    if (inner instanceof Activity && inner.actorId?.href !== actor.href) return;
    if (inner instanceof Follow) {
      if (isInstanceActor(ctx, inner.objectId)) return q.deleteInstanceFollower(db, actor.href);
      const target = await channelOf(ctx, inner.objectId);
      if (target) await unfollowed(actor.href, { channelId: target.channel.id });
    } else if (inner instanceof Like || inner instanceof Announce) {
      const video = await listedVideoOrAny(inner.objectId);
      const kind = inner instanceof Like ? 'like' : 'announce';
      if (video) await q.deleteReaction(db, actor.href, { videoId: video.id, kind });
      else if (inner.id) await q.deleteReaction(db, actor.href, { activityUri: inner.id.href });
      if (inner instanceof Announce) await removeIncomingRecommendation(db, { actorUrl: actor.href, objectUrl: inner.objectId?.href, activityId: inner.id?.href });
    } else if (undo.objectId) {
      // Only the id: undo whatever that activity of this actor did here.
      await unfollowed(actor.href, { followActivityUri: undo.objectId.href });
      await q.deleteInstanceFollower(db, actor.href, undo.objectId.href);
      await q.deleteReaction(db, actor.href, { activityUri: undo.objectId.href });
      await removeIncomingRecommendation(db, { actorUrl: actor.href, activityId: undo.objectId.href });
    }
  }

  /** Undoing counts even when the video stopped being public since. */
  async function listedVideoOrAny(uri: URL | null): Promise<VideoRow | undefined> {
    const shortId = localVideoShortId(base, uri);
    return shortId ? findVideoByShortId(db, shortId) : undefined;
  }

  async function onReaction(ctx: Ctx, activity: Like | Announce, kind: q.ReactionKind) {
    const video = await listedVideo(activity.objectId);
    if (!video) {
      if (activity instanceof Announce) await storeAnnouncedVideo(ctx, activity);
      return;
    }
    await q.insertReaction(db, { videoId: video.id, actorUri: activity.actorId!.href, kind, activityUri: activity.id!.href });
    if (activity instanceof Announce) await recordRecommendation(ctx, activity, video);
  }

  /**
   * An Announce by a followed actor of a remote video (how a PeerTube channel tells its followers of a new
   * video): the object is fetched from its own origin, through our loader, and stored like a Create.
   */
  async function storeAnnouncedVideo(ctx: Ctx, announce: Announce) {
    const actor = announce.actorId!;
    if (!announce.objectId || !(await q.isFollowedLocally(db, actor.href))) return;
    const loader = await ctx.getDocumentLoader({ identifier: OWNER_IDENTIFIER });
    const object = await announce.getObject({ documentLoader: loader, contextLoader: ctx.contextLoader }).catch(() => null);
    // Only what the object's own server says (its id is the URL it was fetched from); filed under the
    // announcer when it is on the video's host, as a PeerTube channel is (storeRemoteVideo checks).
    if (!(object instanceof Video) || !object.id || object.id.href !== announce.objectId.href) return;
    await storeRemoteVideo(object, actor);
  }

  /** An Announce of one of our videos, from anyone: listed in the Studio under "Who recommends your videos". */
  async function recordRecommendation(ctx: Ctx, announce: Announce, video: VideoRow) {
    const actorUrl = announce.actorId!.href;
    // The name and profile page are nice to have: an actor that cannot be fetched is listed by its URI.
    let actorName: string | null = null;
    let profileUrl: string | null = null;
    try {
      const loader = await ctx.getDocumentLoader({ identifier: OWNER_IDENTIFIER });
      const actor = await announce.getActor({ documentLoader: loader, contextLoader: ctx.contextLoader });
      if (actor?.id?.href === actorUrl) {
        actorName = actor.name?.toString() ?? actor.preferredUsername?.toString() ?? null;
        const url = actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? null);
        profileUrl = url && sameOrigin(new URL(url), actor.id) ? url : null;
      }
    } catch (error) {
      deps.log.info({ err: error, actor: actorUrl }, 'federation: could not fetch the actor of a recommendation');
    }
    await recordIncomingRecommendation(db, {
      channelId: video.channel_id,
      videoId: video.id,
      objectUrl: announce.objectId!.href,
      actorUrl,
      actorName,
      profileUrl,
      activityId: announce.id!.href,
      receivedAt: deps.clock.now(),
    });
  }

  async function onCreateOrUpdate(ctx: Ctx, activity: Create | Update) {
    const actor = activity.actorId!;
    const loader = await ctx.getDocumentLoader({ identifier: OWNER_IDENTIFIER });
    const object = await activity.getObject({ documentLoader: loader, contextLoader: ctx.contextLoader });
    if (!object?.id || !sameOrigin(object.id, actor)) return;
    if (object instanceof Note) await storeReply(object, actor);
    else if (object instanceof Video) await storeRemoteVideo(object, actor);
  }

  /** The public post whose Article `uri` names (`<base>/ap/posts/<id>`), with its channel. */
  async function publicPost(uri: URL | null): Promise<{ postId: string; channelId: string } | undefined> {
    const m = uri && uri.origin === new URL(base).origin ? /^\/ap\/posts\/([0-9a-f-]{36})$/.exec(uri.pathname) : null;
    const post = m ? await posts()?.find(m[1]!) : undefined;
    return post?.audience === 'public' ? { postId: post.id, channelId: post.channelId } : undefined;
  }

  async function storeReply(note: Note, actor: URL) {
    if (note.attributionId && note.attributionId.href !== actor.href) return;
    const video = await listedVideo(note.replyTargetId);
    // A reply to a video, or to a public post's Article (held the same way).
    const post = video ? undefined : await publicPost(note.replyTargetId);
    const channelId = video?.channel_id ?? post?.channelId;
    if (!channelId) return;
    // A server the channel blocked: its replies are dropped.
    if (await community()?.refuses(channelId, actor.href)) return;
    const content = note.content?.toString() ?? '';
    // PeerTube sends replies as Markdown (`mediaType: text/markdown`): rendered, then sanitized like HTML.
    const html = note.mediaType === 'text/markdown' ? renderMarkdown(content) : content;
    await q.upsertComment(db, {
      noteUri: note.id!.href,
      subject: video ? { videoId: video.id, channelId } : { postId: post!.postId, channelId },
      actorUri: actor.href,
      url: note.url instanceof URL ? note.url.href : (note.url?.href?.href ?? null),
      contentHtml: sanitizeComment(html),
      publishedAt: dateOf(note.published),
    });
  }

  /**
   * The followed actor a remote video is filed under, or undefined when no local channel follows any of
   * its actors: nobody else gets to fill the "from the fediverse" list. PeerTube sends Create/Update from
   * the account and only an Announce from the channel, so any followed actor among the activity's actor
   * and the video's `attributedTo` (on the video's host) counts.
   */
  async function followedActorOf(video: Video, actor: URL): Promise<string | undefined> {
    const candidates = [actor, ...video.attributionIds].filter((a) => sameOrigin(a, video.id!));
    for (const candidate of candidates) if (await q.isFollowedLocally(db, candidate.href)) return candidate.href;
    return undefined;
  }

  async function storeRemoteVideo(video: Video, actor: URL) {
    const followed = await followedActorOf(video, actor);
    if (!followed) return;
    const links = video.urls.map((u) => (u instanceof URL ? { href: u.href, mediaType: null } : { href: u.href?.href ?? null, mediaType: u.mediaType }));
    const watch = links.find((l) => l.mediaType === 'text/html') ?? links.find((l) => l.href);
    const icon = await video.getIcon({ documentLoader: embeddedOnly }).catch(() => null);
    const iconUrl = icon?.url instanceof URL ? icon.url.href : (icon?.url?.href?.href ?? null);
    const duration = video.duration ? Math.round(video.duration.total({ unit: 'second' })) : null;
    await q.upsertRemoteVideo(db, {
      objectUri: video.id!.href,
      actorUri: followed,
      name: (video.name?.toString() ?? video.id!.href).slice(0, 500) || video.id!.href.slice(0, 500),
      watchUrl: watch?.href && /^https?:\/\//.test(watch.href) ? watch.href : null,
      thumbnailUrl: iconUrl && /^https?:\/\//.test(iconUrl) ? iconUrl : null,
      durationSeconds: duration,
      publishedAt: dateOf(video.published),
      updatedAt: dateOf(video.updated),
      object: await video.toJsonLd({ format: 'compact' }),
    });
  }

  async function onDelete(_ctx: Ctx, del: Delete) {
    const actor = del.actorId!;
    const target = del.objectId;
    if (!target || !sameOrigin(target, actor)) return;
    if (target.href === actor.href) {
      // The actor itself is gone: forget its follows and reactions.
      await unfollowed(actor.href, {});
      await q.deleteFollowing(db, { actorUri: actor.href });
      await db.query('DELETE FROM federation_reactions WHERE actor_uri = $1', [actor.href]);
      return;
    }
    await q.deleteRemoteVideo(db, target.href, actor.href);
    await q.deleteComment(db, target.href, actor.href);
  }

  async function onAccept(_ctx: Ctx, accept: Accept) {
    const follow = accept.objectId;
    if (follow) await q.acceptFollowing(db, follow.href, accept.actorId!.href, deps.clock.now());
  }

  async function onReject(_ctx: Ctx, reject: Reject) {
    const follow = reject.objectId;
    if (follow) await q.deleteFollowing(db, { actorUri: reject.actorId!.href, followActivityUri: follow.href });
  }

  federation
    .setInboxListeners(identifierPath('/ap/{+identifier}/inbox'), '/ap/inbox')
    .on(Follow, once(deps, onFollow))
    .on(Undo, once(deps, onUndo))
    .on(Like, once(deps, (ctx, like: Like) => onReaction(ctx, like, 'like')))
    .on(Announce, once(deps, (ctx, announce: Announce) => onReaction(ctx, announce, 'announce')))
    .on(Create, once(deps, onCreateOrUpdate))
    .on(Update, once(deps, onCreateOrUpdate))
    .on(Delete, once(deps, onDelete))
    .on(Accept, once(deps, onAccept))
    .on(Reject, once(deps, onReject))
    .on(Move, once(deps, (ctx, move: Move) => onMove(deps, ctx, move)))
    .onError((_ctx, error) => deps.log.warn({ err: error }, 'federation: an incoming activity could not be processed'))
    // Objects fetched while processing the shared inbox are fetched as the site owner (signed fetch).
    .setSharedKeyDispatcher(() => ({ identifier: OWNER_IDENTIFIER }));
}
