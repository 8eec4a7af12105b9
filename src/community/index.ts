/**
 * Community: the audience a creator owns. Followers (a local account, an e-mail address with double
 * opt-in, or a fediverse account sent to follow from its own instance), what each chose to receive and a
 * one-click unsubscribe in every e-mail; threaded comments under videos, moderated through the moderation
 * capability's one vocabulary, with fediverse replies in the same thread and mentions linked; posts to
 * followers, members or a campaign's backers, e-mailed by a durable, throttled, resumable per-recipient send
 * (VERP envelope; bounces and complaints read back at /webhooks/mail/inbound suppress the address). New
 * public videos (`video.changed`) and campaign launches (`campaign.launched`) are e-mailed to the followers
 * who want them. Publishes `comment.created`, `comment.held`, `comment.mentioned` and `post.published`;
 * `follower.added` / `follower.removed` for accounts and e-mail addresses.
 */
import { contactsOf } from '../accounts/index.js';
import { defineCapability, oncePerSite } from '../core/module.js';
import { findPostById, listPosts, listPublicPosts } from './post-queries.js';
import { findChannelById } from '../channels/index.js';
import { channelSettings, countCommentsOfVideos, countLocalComments, heldComments } from './comment-queries.js';
import { commentForFederation, decideComment } from './comments.js';
import { communityConfig } from './config.js';
import { mailCampaignLaunch, mailNewVideo, SEND_MAILING_JOB, sendMailingHandler } from './mailings.js';
import { en, fr } from './messages.js';
import { isActorServerBlocked } from './blocks.js';
import { decideReport, isReportId, reportedItems } from './reports.js';
import { PostsSection } from './pages.js';
import { commentsBox, communityRoutes, followBox } from './routes.js';

export { countLocalComments, insertComment } from './comment-queries.js';
export { renderCommentMarkdown } from './markdown.js';
export { SEND_MAILING_JOB, sendMailingHandler, startMailing } from './mailings.js';
// For the moving capability's "the channel moved" e-mail: who follows, and their one-click unsubscribe link.
export { activeFollowersWanting } from './follower-queries.js';
export { signLink } from './tokens.js';

declare module '../core/events/catalog.js' {
  interface DomainEvents {
    /**
     * A shown comment mentions a channel of this site (`@handle`): that channel's team is told (notifications).
     * `channelId` is the channel the comment is under, `mentionedChannelId` the one named.
     */
    'comment.mentioned': { commentId: string; videoId: string | null; postId: string | null; channelId: string; authorId: string; mentionedChannelId: string; page: string };
  }
}

const routes = oncePerSite((ctx) => communityRoutes({ deps: ctx.deps, fed: () => ctx.services.federation, viewers: ctx.services.viewers, studioAccess: ctx.studioAccess }));

export const communityCapability = defineCapability({
  name: 'community',
  messages: { en, fr },
  config: communityConfig,
  routes: [
    { area: 'public', path: '/', build: (ctx) => routes(ctx).public },
    { area: 'account', path: '/', build: (ctx) => routes(ctx).account },
    // RFC 8058: mail clients POST the unsubscribe link without a CSRF token; the signed link is the proof.
    { area: 'webhook', path: '/', build: (ctx) => routes(ctx).oneClick },
    { area: 'studio', path: '/studio', build: (ctx) => routes(ctx).studio },
  ],
  jobs: (ctx) => ({ [SEND_MAILING_JOB]: sendMailingHandler(ctx.deps) }),
  subscriptions: {
    'video.changed': (ctx) => async ({ videoId }) => ({ outcome: await mailNewVideo(ctx.deps, videoId) }),
    'campaign.launched': (ctx) => async ({ campaignId }) => ({ outcome: await mailCampaignLaunch(ctx.deps, campaignId) }),
  },
  contributes: {
    'channel.sections': (ctx) => async (env, channel) => [await followBox(ctx.deps, env, channel), PostsSection({ env, handle: channel.handle, posts: await listPosts(ctx.deps.db, channel.id) })],
    'watch.below-player': (ctx) => async (env, video) => [
      await followBox(ctx.deps, env, { id: video.channel_id, handle: video.channel_handle, name: video.channel_name }),
      await commentsBox(ctx.deps, env, { kind: 'video', video }),
    ],
    // Comment counts on video listings: one query per listing.
    'videos.comment-counts': (ctx) => (videoIds) => countCommentsOfVideos(ctx.deps.db, videoIds),
    'nodeinfo.local-comments': (ctx) => () => countLocalComments(ctx.deps.db),
    // Shown comments under public videos federate as their authors' Notes; a closed policy travels on videos.
    'federation.local-comments': (ctx) => ({
      find: (id) => commentForFederation(ctx.deps, id),
      policy: async (channelId) => (await channelSettings(ctx.deps.db, channelId)).comment_policy,
      refuses: (channelId, actorUri) => isActorServerBlocked(ctx.deps.db, channelId, actorUri),
    }),
    // Public posts federate as the channel's Articles.
    'federation.local-posts': (ctx) => ({
      find: async (id) => {
        const post = await findPostById(ctx.deps.db, id);
        const channel = post ? await findChannelById(ctx.deps.db, post.channel_id) : undefined;
        if (!post || !channel) return undefined;
        return { id: post.id, channelId: post.channel_id, title: post.title, html: post.body_html, markdown: post.body, path: `/c/${channel.handle}/posts/${post.slug}`, publishedAt: post.published_at, editedAt: post.edited_at, audience: post.audience };
      },
    }),
    // Public posts in the channel's RSS and Atom feeds, beside its videos.
    'feeds.channel-articles': (ctx) => async (channelId, limit) => {
      const channel = await findChannelById(ctx.deps.db, channelId);
      if (!channel) return [];
      return (await listPublicPosts(ctx.deps.db, channelId, limit)).map((p) => ({
        id: p.id, title: p.title, url: `${ctx.deps.config.publicUrl}/c/${channel.handle}/posts/${p.slug}`, html: p.body_html, published: p.published_at, updated: p.edited_at ?? p.published_at,
      }));
    },
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/community`, label: 'community.studio_title', role: 'admin', order: 60 }],
    'moderation.sources': (ctx) => ({
      kind: 'comment',
      label: 'community.held_comments',
      held: async (channelId) => {
        const held = await heldComments(ctx.deps.db, channelId);
        const names = new Map((await contactsOf(ctx.deps.db, held.map((c) => c.author_id))).map((u) => [u.id, u.display_name]));
        const reported = await reportedItems(ctx.deps, channelId);
        return [...held.map((c) => ({ id: c.id, author: names.get(c.author_id) ?? null, authorUrl: null, text: c.body_html, html: true, about: c.about_title, receivedAt: c.created_at })), ...reported];
      },
      // Held comments by id; fans' reports as `comment:<id>` / `post:<id>` (approve keeps it, reject removes it).
      decide: (channelId, id, decision) => (isReportId(id) ? decideReport(ctx.deps, channelId, id, decision) : decideComment(ctx.deps, channelId, id, decision)),
    }),
  },
  tables: {
    community_followers: { export: 'rows', scope: 'channel', note: 'with the consent and confirmation dates' },
    community_settings: { export: 'rows', scope: 'channel' },
    community_comments: { export: 'rows', scope: 'channel' },
    community_posts: { export: 'rows', scope: 'channel' },
    community_mailings: { export: 'rows', scope: 'channel', note: 'so that a moved site does not mail the same post or video again' },
    community_deliveries: { export: 'none', why: 'per-recipient sending state of this server' },
    community_suppressions: { export: 'none', why: 'what this server’s mail server was told about addresses; the new site learns its own bounces' },
    community_blocks: { export: 'rows', scope: 'channel' },
    community_reports: { export: 'rows', scope: 'channel', note: 'fans’ reports and the team’s decisions' },
  },
});
