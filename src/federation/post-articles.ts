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
  /** The last edit, if any (the Article's `updated`; an Update is sent per edit). */
  editedAt: Date | null;
  /** Only public posts leave the site; members-only ones never do. */
  audience: 'public' | 'members' | 'backers';
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
    ...(post.editedAt ? { updated: post.editedAt.toISOString() } : {}),
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
 * is fixed, deliveries are deduplicated by it), and after an edit an Update (one id per edit). Members-only
 * posts never leave the site.
 */
export async function syncPost(deps: AppDeps, fed: FederationServices, source: LocalPostsSource, postId: string): Promise<'created' | 'updated' | 'not federated'> {
  const post = await source.find(postId);
  if (!post || post.audience !== 'public') return 'not federated';
  const built = await articleFor(deps, fed, post);
  if (!built) return 'not federated';
  const { urls, article } = built;
  const envelope = { '@context': AS_CONTEXT, actor: urls.channelActor, to: [AS_PUBLIC], cc: [urls.channelFollowers], object: article };
  await deps.db.transaction(async (tx) => {
    const inboxes = await q.followerInboxes(tx, post.channelId);
    await deliverTo(deps, tx, post.channelId, inboxes, { ...envelope, id: `${String(article.id)}#create`, type: 'Create', published: post.publishedAt.toISOString() });
    if (post.editedAt) await deliverTo(deps, tx, post.channelId, inboxes, { ...envelope, id: `${String(article.id)}#update-${post.editedAt.getTime()}`, type: 'Update', published: post.editedAt.toISOString() });
  });
  return post.editedAt ? 'updated' : 'created';
}

/** After a public post is deleted (its row is gone): the Group's Delete of its Article (a Tombstone) to the followers. */
export async function deletePostArticle(deps: AppDeps, fed: FederationServices, deleted: { postId: string; channelId: string; audience: 'public' | 'members' | 'backers' }): Promise<'deleted' | 'not federated'> {
  const channel = deleted.audience === 'public' ? await findChannelById(deps.db, deleted.channelId) : undefined;
  if (!channel) return 'not federated';
  const urls = videoObjectUrls(fed, deps.config.publicUrl, channel.handle);
  const id = postArticleUri(deps.config.publicUrl, deleted.postId);
  const now = deps.clock.now().toISOString();
  const activity = { '@context': AS_CONTEXT, id: `${id}#delete`, type: 'Delete', actor: urls.channelActor, published: now, to: [AS_PUBLIC], cc: [urls.channelFollowers], object: { type: 'Tombstone', id, formerType: 'Article', deleted: now } };
  await deps.db.transaction(async (tx) => deliverTo(deps, tx, channel.id, await q.followerInboxes(tx, channel.id), activity));
  return 'deleted';
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
