/**
 * RSS, Atom and Podcasting 2.0 feeds of each channel (see CONTEXT.md). Puts the feeds' discovery links
 * into the head of the channel pages (the `channel.head` slot); its RSS writer is public for the members'
 * private feed.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { FeedLinks } from './discovery.js';
import { feedRoutes } from './routes.js';
import type { FeedArticleSource } from './service.js';

export { renderRss, type RssDocument, type RssItem } from './service.js';
export type { FeedArticle, FeedArticleSource } from './service.js';

declare module '../core/module.js' {
  interface Slots {
    /** Texts of a channel that its RSS and Atom feeds list beside its videos (the community's public posts). */
    'feeds.channel-articles': FeedArticleSource;
  }
}

export const feedsCapability = defineCapability({
  name: 'feeds',
  messages: { en, fr },
  routes: [
    {
      area: 'feed',
      path: '/',
      // A channel that closed its comments takes no fediverse replies: its episodes say so (podcast:socialInteract).
      // Its public posts come from the feeds.channel-articles slot (filled after routes are built: read per request).
      build: (ctx) =>
        feedRoutes(ctx.deps, ctx.services.viewers, () => ({
          commentsClosed: async (channelId) => (await ctx.services.federation?.comments()?.policy(channelId)) === 'closed',
          articles: ctx.fill('feeds.channel-articles'),
        })),
    },
  ],
  contributes: {
    'channel.head': () => (channel) => FeedLinks({ channel }),
  },
  tables: {},
});
