import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppDeps } from '../../core/deps.js';
import type { AppEnv } from '../../core/http/context.js';
import { NotFoundError } from '../../core/http/errors.js';
import type { PageEnv } from '../../core/http/layout.js';
import { CACHE_IMMUTABLE, serveStoredFile } from '../../core/storage/index.js';
import { listAllRecommendations, listRecommendations, type PublicRecommendationRow } from './service.js';
import { RecommendationShelf } from './shelf.js';
import { THUMBNAIL_TYPES, type ThumbnailExtension } from './thumbnails.js';

/** Cards on a channel's home page, and under a video. */
export const CHANNEL_SHELF_SIZE = 12;
export const VIDEO_SHELF_SIZE = 4;

/** One entry of `/.well-known/recommendations.json`. */
export interface WellKnownRecommendation {
  url: string;
  /** The creator's note, as Ghost calls it; null when there is none. */
  reason: string | null;
  title: string;
  site_name: string | null;
  author_name: string | null;
  author_url: string | null;
  /** The recommending channel's page on this site. */
  recommending_channel: string;
  created_at: string;
  updated_at: string;
}

/**
 * Ghost's format (an array of `{ url, reason, created_at, updated_at }`, which Ghost sites read to
 * verify a recommendation), with what a video needs on top: title, site, author, and which channel
 * of this site recommends it.
 */
export function wellKnownEntry(publicUrl: string, row: PublicRecommendationRow): WellKnownRecommendation {
  const at = row.created_at.toISOString();
  return {
    url: row.url,
    reason: row.note || null,
    title: row.title,
    site_name: row.site_name,
    author_name: row.author_name,
    author_url: row.author_url,
    recommending_channel: `${publicUrl}/c/${row.channel_handle}`,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Public routes: `GET /.well-known/recommendations.json` (every channel's recommendations, readable
 * by any site) and `GET /media/recommendations/<id>.<png|jpg|webp>` (the thumbnail copies).
 */
export function recommendationPublicRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const media = new Hono<AppEnv>();

  app.get('/.well-known/recommendations.json', async (c) => {
    const rows = await listAllRecommendations(deps.db);
    return c.json(
      rows.map((row) => wellKnownEntry(deps.config.publicUrl, row)),
      200,
      { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
    );
  });

  media.on(['GET', 'HEAD'], '/media/recommendations/:file', async (c) => {
    const file = c.req.param('file');
    const ext = /^[0-9a-f-]{36}\.(png|jpg|webp)$/.exec(file)?.[1] as ThumbnailExtension | undefined;
    if (!ext) throw new NotFoundError();
    // A copy is never rewritten (a new recommendation gets a new id), so it can be cached for good.
    return serveStoredFile(c, deps.storage, `recommendations/${file}`, { cacheControl: CACHE_IMMUTABLE, contentType: THUMBNAIL_TYPES[ext] });
  });

  return { api: app, media };
}

/** The shelf for a channel's home page; null when the channel recommends nothing. */
export async function channelRecommendationShelf(deps: AppDeps, env: PageEnv, channel: { id: string; name: string; language?: string }): Promise<Child> {
  const recommendations = await listRecommendations(deps.db, channel.id, CHANNEL_SHELF_SIZE);
  return RecommendationShelf({ env, channelName: channel.name, channelLanguage: channel.language, recommendations });
}

/** The shelf under a video: a few of its channel's recommendations; null when there are none. */
export async function videoRecommendationShelf(deps: AppDeps, env: PageEnv, video: { channel_id: string; channel_name: string }): Promise<Child> {
  const recommendations = await listRecommendations(deps.db, video.channel_id, VIDEO_SHELF_SIZE);
  return RecommendationShelf({ env, channelName: video.channel_name, recommendations, id: 'video-recommendations' });
}
