import { Hono } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import type { ViewerLookup } from '../videos/index.js';
import { renderChannelAtom } from './atom.js';
import { DEFAULT_COVER_PATH, defaultCover } from './cover.js';
import { conditionalResponse } from './http.js';
import { renderChannelAudioPodcast, renderChannelPodcast } from './podcast.js';
import { renderChannelRss } from './rss.js';
import { loadChannelFeed, loadChapters, type ChannelFeed, type FeedOptions } from './service.js';

const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
/** Public feeds change when a video is published; readers poll, so five minutes of caching is plenty. */
const FEED_CACHE = 'public, max-age=300';
// Web-based podcast players fetch feeds and chapters from their own origin; public documents may be read by any.
const ANY_ORIGIN = { 'Access-Control-Allow-Origin': '*' };

const FORMATS: [path: string, render: (feed: ChannelFeed) => string, contentType: string][] = [
  ['feed.rss', renderChannelRss, RSS_TYPE],
  ['feed.atom', renderChannelAtom, ATOM_TYPE],
  ['podcast.rss', renderChannelPodcast, RSS_TYPE],
  ['podcast-audio.rss', renderChannelAudioPodcast, RSS_TYPE],
];

/**
 * A channel's public feeds (RSS 2.0, Atom 1.0, a Podcasting 2.0 video podcast), the JSON chapters its
 * podcast items link to, and the default podcast artwork. Needs no session or CSRF token; the chapters
 * route uses the signed-in user when there is one, so the team and members can read their own videos'.
 *
 * @example
 * app.route('/', feedRoutes(deps, ctx.services.viewers));
 */
export function feedRoutes(deps: AppDeps, viewerFor: ViewerLookup, options: () => FeedOptions = () => ({})) {
  const app = new Hono<AppEnv>();

  for (const [file, render, contentType] of FORMATS) {
    app.get(`/c/:handle/${file}`, async (c) => {
      const feed = await loadChannelFeed(deps, c.req.param('handle'), options());
      return conditionalResponse(c, render(feed), { contentType, cacheControl: FEED_CACHE, lastModified: feed.lastModified, headers: ANY_ORIGIN });
    });
  }

  app.get('/c/:handle/videos/:shortId/chapters.json', async (c) => {
    const { chapters, isPublic, updated } = await loadChapters(deps, viewerFor, c.var.user ?? null, c.req.param('handle'), c.req.param('shortId'));
    return conditionalResponse(c, JSON.stringify(chapters), {
      contentType: 'application/json+chapters; charset=utf-8',
      cacheControl: isPublic ? FEED_CACHE : 'private, max-age=30',
      lastModified: updated,
      headers: isPublic ? ANY_ORIGIN : {},
    });
  });

  app.get(DEFAULT_COVER_PATH, (c) => {
    const cover = defaultCover();
    if (c.req.header('if-none-match') === cover.etag) return c.body(null, 304, { ETag: cover.etag });
    return c.body(cover.body, 200, { 'Content-Type': 'image/png', ETag: cover.etag, 'Cache-Control': 'public, max-age=86400' });
  });

  return app;
}
