/**
 * Federation: each channel is an ActivityPub `Group` (as on PeerTube), the site owner a `Person`. Built on
 * Fedify, with its key-value store and message queue on our database (federation_kv, the jobs table).
 * The words used are in CONTEXT.md. It plugs in through its manifest below: its routes (the `federation`
 * area, before the page routes so content negotiation on `/c/…` and `/v/…` sees requests first), its Studio
 * pages, its jobs and the recurring reconcile, and its subscriptions to `video.changed` / `video.deleted`
 * (followers get Create, Update or Delete; the reconcile job catches up on anything missed, such as a
 * scheduled publication time passing).
 */
import type { AppDeps } from '../core/deps.js';
import { defineCapability } from '../core/module.js';
import { federationConfig } from './config.js';
import { federationServices, type FederationServices } from './federation.js';
import { federationJobHandlersFor, RECONCILE_JOB } from './jobs.js';
import { RESEND_FOLLOWS_JOB } from './follow.js';
import { en, fr } from './messages.js';
import { recommendationFederationHooks } from './recommend.js';
import { federationRoutes } from './routes.js';
import { federationStudioRoutes } from './studio-routes.js';
import { syncVideo } from './outbox.js';
import { videoIconRoutes } from './video-icons.js';
import { listComments } from './queries.js';
import { decideRemoteReply } from './replies.js';
import { announceCommentsPolicy, commentNoteRoutes, syncComment, type LocalCommentsSource } from './comment-notes.js';
import { deletePostArticle, postArticleRoutes, syncPost, type LocalPostsSource } from './post-articles.js';

export { createFederationServices, federationServices, type FederationServices } from './federation.js';
export { federationRoutes, MAX_INBOX_BYTES } from './routes.js';
export { federationStudioRoutes, uriField } from './studio-routes.js';
export { followRemoteActor, unfollowRemoteActor } from './follow.js';
export { syncVideo } from './outbox.js';
export { decideRemoteReply } from './replies.js';
export { recommendationFederationHooks } from './recommend.js';
// For the community capability: remote follow, and fediverse replies shown in a video's comment thread.
export { parseHandle, remoteFollowUrl } from './remote-follow.js';
export { RemoteFetchError } from './remote-fetch.js';
export { approvedCommentsForPost, approvedCommentsForVideo, countFollowers as countRemoteFollowers, deleteFollowersFrom, rejectHeldRepliesFrom } from './queries.js';
export { channelIdentifier } from './actors.js';
// For the feeds' podcast:socialInteract: where a video's ActivityPub object (the root of its fediverse replies) lives.
export { videoObjectUri } from './video-object.js';
// For the moving capability: `alsoKnownAs`, `movedTo` and `Move` (move.ts).
export { addChannelAlias, moveChannel } from './move.js';
export { cancelMove, findMove, findMoveByHandle, findMoveOfVideo, insertAlias, listAliases, removeChannelAlias, siteHasMoves, type MoveRow } from './move-queries.js';
export { wantsActivityJson } from './routes.js';
export type { CommentsPolicy, LocalComment, LocalCommentsSource } from './comment-notes.js';
export type { LocalPost, LocalPostsSource } from './post-articles.js';


declare module '../core/module.js' {
  interface Slots {
    /** How many comments written on this site are public (NodeInfo's `localComments` is their sum). */
    'nodeinfo.local-comments': () => Promise<number>;
    /** The comments written on this site: federated as Notes, their policy on video objects (one contributor: community). */
    'federation.local-comments': LocalCommentsSource;
    /** The creators' posts: public ones federate as the channel's Articles (one contributor: community). */
    'federation.local-posts': LocalPostsSource;
  }
  interface SiteServices {
    /** Fedify and its stores, shared by the federation's routes and jobs. */
    federation: FederationServices;
  }
}

async function syncLocalComment(ctx: { deps: AppDeps; services: { federation: FederationServices } }, commentId: string): Promise<string> {
  const source = ctx.services.federation.comments();
  return source ? syncComment(ctx.deps, ctx.services.federation, source, commentId) : 'no comments capability';
}

async function syncLocalPost(ctx: { deps: AppDeps; services: { federation: FederationServices } }, postId: string): Promise<string> {
  const source = ctx.services.federation.posts();
  return source ? syncPost(ctx.deps, ctx.services.federation, source, postId) : 'no posts capability';
}

export const federationCapability = defineCapability({
  name: 'federation',
  messages: { en, fr },
  config: federationConfig,
  services: (ctx) => ({
    federation: federationServices(ctx.deps, {
      localComments: async () => (await Promise.all(ctx.fill('nodeinfo.local-comments').map((count) => count()))).reduce((a, b) => a + b, 0),
      comments: () => ctx.fill('federation.local-comments')[0],
      posts: () => ctx.fill('federation.local-posts')[0],
    }),
    // Recommendations read from ActivityPub are announced to followers and to the recommended creator.
    recommendations: recommendationFederationHooks(ctx.deps),
  }),
  routes: [
    // Video icons as the JPEG sizes PeerTube keeps (video-icons.ts).
    { area: 'federation', path: '/', build: (ctx) => videoIconRoutes(ctx.deps) },
    { area: 'federation', path: '/', build: (ctx) => federationRoutes(ctx.deps, ctx.services.federation) },
    // Local comments as Notes (comment-notes.ts).
    { area: 'federation', path: '/', build: (ctx) => commentNoteRoutes(ctx.deps, ctx.services.federation, () => ctx.services.federation.comments()) },
    // Public posts as Articles (post-articles.ts).
    { area: 'federation', path: '/', build: (ctx) => postArticleRoutes(ctx.deps, ctx.services.federation, () => ctx.services.federation.posts()) },
    { area: 'studio', path: '/studio', build: (ctx) => federationStudioRoutes(ctx.deps, ctx.services.federation) },
  ],
  jobs: (ctx) => federationJobHandlersFor(ctx.deps, ctx.services.federation),
  recurring: [
    { type: RECONCILE_JOB, everySeconds: (ctx) => ctx.services.federation.settings.reconcileIntervalMs / 1000 },
    // Follows still pending are asked again (PeerTube delivers an Accept once).
    { type: RESEND_FOLLOWS_JOB, everySeconds: () => 3600 },
  ],
  subscriptions: {
    'video.changed': (ctx) => async ({ videoId }) => ({ outcome: await syncVideo(ctx.deps, ctx.services.federation, videoId) }),
    'video.deleted': (ctx) => async ({ videoId }) => ({ outcome: await syncVideo(ctx.deps, ctx.services.federation, videoId) }),
    // Local comments reach the fediverse as their authors' Notes (comment-notes.ts).
    'comment.created': (ctx) => async ({ commentId }) => ({ outcome: await syncLocalComment(ctx, commentId) }),
    'comment.edited': (ctx) => async ({ commentId }) => ({ outcome: await syncLocalComment(ctx, commentId) }),
    'comment.deleted': (ctx) => async ({ commentId }) => ({ outcome: await syncLocalComment(ctx, commentId) }),
    // A channel opened or closed its comments: its videos are updated with the new policy.
    'comments.policy-changed': (ctx) => async ({ channelId, changedAt }) => {
      const source = ctx.services.federation.comments();
      return { outcome: source ? await announceCommentsPolicy(ctx.deps, ctx.services.federation, source, channelId, changedAt) : 'no comments capability' };
    },
    'post.published': (ctx) => async ({ postId }) => ({ outcome: await syncLocalPost(ctx, postId) }),
    'post.edited': (ctx) => async ({ postId }) => ({ outcome: await syncLocalPost(ctx, postId) }),
    'post.deleted': (ctx) => async (event) => ({ outcome: await deletePostArticle(ctx.deps, ctx.services.federation, event) }),
  },
  contributes: {
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/fediverse`, label: 'studio.fediverse', role: 'admin', order: 90 }],
    'studio.site-menu': () => [{ href: '/studio/fediverse/activity', label: 'studio.fediverse_activity' }],
    // Replies from the fediverse are held until an admin approves them.
    'moderation.sources': (ctx) => ({
      kind: 'remote-reply',
      label: 'moderation.remote_replies',
      held: async (channelId) => {
        const held = await listComments(ctx.deps.db, channelId, 'held');
        // A reply to a post is about the post's title (the community capability's).
        const about = async (c: (typeof held)[number]) => c.video_title ?? (c.post_id ? ((await ctx.services.federation.posts()?.find(c.post_id))?.title ?? null) : null);
        return Promise.all(held.map(async (c) => ({ id: c.note_uri, author: c.actor_uri, authorUrl: c.url ?? c.note_uri, text: c.content_html, html: true, about: await about(c), receivedAt: c.received_at })));
      },
      // Deciding also tells the author's server (ApproveReply / RejectReply), as PeerTube expects.
      decide: (channelId, id, decision) => decideRemoteReply(ctx.deps, ctx.services.federation, channelId, id, decision),
    }),
  },
  tables: {
    federation_kv: { export: 'none', why: "Fedify's cache of remote documents" },
    federation_actor_keys: { export: 'none', why: 'keys are per server; the new site announces a Move with its own' },
    federation_followers: { export: 'rows', scope: 'channel', note: "remote followers' actor ids, to be asked to follow the new site" },
    federation_instance_followers: { export: 'none', why: "servers following this site's instance actor; they follow the new site by its host again" },
    federation_following: { export: 'rows', scope: 'channel' },
    federation_reactions: { export: 'rows', scope: 'channel' },
    federation_comments: { export: 'rows', scope: 'channel' },
    federation_remote_videos: { export: 'none', why: 'copies of remote objects, fetched again on demand' },
    federation_video_state: { export: 'none', why: 'what this server sent; the new site federates afresh' },
    federation_video_recipients: { export: 'none', why: 'what this server sent; the new site federates afresh' },
    federation_inbox_log: { export: 'none', why: 'replay protection of this server, pruned after 90 days' },
    federation_actor_aliases: { export: 'rows', scope: 'channel', note: 'where the channel came from (alsoKnownAs)' },
    federation_moves: { export: 'none', why: 'the old site keeps its move; the new site is where the channel now lives' },
  },
});
