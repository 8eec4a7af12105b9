import { Hono } from 'hono';
import { findChannelById } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import type { FederationServices } from './federation.js';
import { deliverTo, videoObjectUrls } from './outbox.js';
import * as q from './queries.js';
import { AS_PUBLIC } from './video-object.js';

/** A creator's post, as federation needs it (given by the community capability). */
export interface LocalPost {
  id: string;
  channelId: string;
  title: string;
  /** Sanitized HTML, and the Markdown the creator wrote. */
  html: string;
  markdown: string;
  /** The post's page on this site (a path). */
  path: string;
  publishedAt: Date;
  /** Only public posts leave the site; members-only ones never do. */
  audience: 'public' | 'members';
}

/** What the community capability tells federation about posts (the `federation.local-posts` slot). */
export interface LocalPostsSource {
  find(id: string): Promise<LocalPost | undefined>;
}

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

export function postArticleUri(base: string, postId: string): string {
  return `${base}/ap/posts/${postId}`;
}

/** A public post as an `Article` of the channel's Group (Mastodon shows its title and a link; PeerTube ignores it). */
export function postArticle(post: LocalPost, o: { base: string; channelActor: string; channelFollowers: string }): Record<string, unknown> {
  return {
    type: 'Article',
    id: postArticleUri(o.base, post.id),
    url: `${o.base}${post.path}`,
    attributedTo: o.channelActor,
    name: post.title,
    content: post.html,
    source: { content: post.markdown, mediaType: 'text/markdown' },
    published: post.publishedAt.toISOString(),
    to: [AS_PUBLIC],
    cc: [o.channelFollowers],
  };
}

async function articleFor(deps: AppDeps, fed: FederationServices, post: LocalPost) {
  const channel = await findChannelById(deps.db, post.channelId);
  if (!channel) return undefined;
  const urls = videoObjectUrls(fed, deps.config.publicUrl, channel.handle);
  return { urls, article: postArticle(post, { base: deps.config.publicUrl, channelActor: urls.channelActor, channelFollowers: urls.channelFollowers }) };
}

/**
 * Sends a public post to the channel's followers as the Group's Create of an Article (once: the activity id
 * is fixed, deliveries are deduplicated by it). Members-only posts never leave the site.
 */
export async function syncPost(deps: AppDeps, fed: FederationServices, source: LocalPostsSource, postId: string): Promise<'created' | 'not federated'> {
  const post = await source.find(postId);
  if (!post || post.audience !== 'public') return 'not federated';
  const built = await articleFor(deps, fed, post);
  if (!built) return 'not federated';
  const { urls, article } = built;
  const activity = { '@context': AS_CONTEXT, id: `${String(article.id)}#create`, type: 'Create', actor: urls.channelActor, published: post.publishedAt.toISOString(), to: [AS_PUBLIC], cc: [urls.channelFollowers], object: article };
  await deps.db.transaction(async (tx) => deliverTo(deps, tx, post.channelId, await q.followerInboxes(tx, post.channelId), activity));
  return 'created';
}

/** `GET /ap/posts/:id`: a public post as its Article. */
export function postArticleRoutes(deps: AppDeps, fed: FederationServices, source: () => LocalPostsSource | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/ap/posts/:id', async (c) => {
    const post = await source()?.find(c.req.param('id'));
    const built = post && post.audience === 'public' ? await articleFor(deps, fed, post) : undefined;
    if (!built) return new Response(JSON.stringify({ error: 'not_found' }), { status: 404, headers: { 'content-type': 'application/json' } });
    return new Response(JSON.stringify({ '@context': AS_CONTEXT, ...built.article }), { headers: { 'content-type': 'application/activity+json', vary: 'Accept' } });
  });
  return app;
}
