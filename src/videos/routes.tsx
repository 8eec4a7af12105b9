import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { BadRequestError, NotFoundError } from '../core/http/errors.js';
import { pageEnv } from '../core/http/layout.js';
import { serveStoredFile } from '../core/storage/serve.js';
import { canWatch, isListed, isPubliclyCacheable, type Viewer } from './access.js';
import { cardsFor, type CardViewer, type CommentCountLookup } from './cards.js';
import { cheapestOfferFor, earlyAccessHorizon, type WatchOffer, type WatchOfferLookup } from './offers.js';
import { PaywallPage } from './pages/paywall.js';
import { renderMarkdown } from '../core/markdown.js';
import { EmbedPage, WatchPage, type WatchPageProps } from './pages/watch.js';
import { SearchPage } from './pages/listing.js';
import * as q from './queries.js';
import { MEDIA_CORS, withPublicMediaCors } from './media-cors.js';
import { DOWNLOAD_M4A, DOWNLOAD_MP4 } from './transcode/downloads.js';
import { mediaPath, thumbnailPath, type ViewerLookup } from './service.js';
import { recordView } from './views.js';
import { clientIp } from '../core/http/client-ip.js';
import { mediaTokenExpiry, signedMediaBase, signMasterPlaylist, SIGNED_MEDIA_ROOT, verifySignedMedia, type MediaScope } from './media-token.js';
import { contentTypeFor } from '../core/storage/media-types.js';
import { hasControlCharacters } from '../core/http/text.js';

const PAGE_SIZE = 24;

/** Renders what goes under a video on its page (given by other capabilities, e.g. tips). */
export type VideoExtrasRenderer = (env: ReturnType<typeof pageEnv>, video: q.VideoWithChannel) => Promise<Child>;

/**
 * Watch, embed, oEmbed, search, media files and the resume position: the fan-facing video routes, one
 * group per area (pages, the framable embed, stored media, the JSON endpoints).
 */
export function videoRoutes(
  deps: AppDeps,
  viewerFor: ViewerLookup,
  studioAccess: (c: AppContext) => Promise<boolean>,
  renderExtras: VideoExtrasRenderer = async () => null,
  offers: WatchOfferLookup = async () => [],
  playerAddons: VideoExtrasRenderer = async () => null,
  commentCounts?: CommentCountLookup,
) {
  const app = new Hono<AppEnv>();
  const embed = new Hono<AppEnv>();
  const media = new Hono<AppEnv>();
  const signed = new Hono<AppEnv>();
  const api = new Hono<AppEnv>();
  const abs = (p: string) => `${deps.config.publicUrl}${p}`;

  /** The video if this visitor may watch it; otherwise the same 404 whether it exists or not. */
  async function watchable(c: AppContext, shortId: string) {
    const found = await watchableOrOffered(c, shortId);
    if (found.offer) throw new NotFoundError('video.not_found');
    return found;
  }

  /**
   * The video if this visitor may watch it, or — when an offer would let them (a members-only video,
   * early access) — the video with the cheapest such offer, for its paywall. Anything else is a 404.
   */
  async function watchableOrOffered(c: AppContext, shortId: string): Promise<{ video: q.VideoWithChannel; viewer: Viewer; offer?: WatchOffer }> {
    const video = await q.findVideoByShortId(deps.db, shortId);
    if (!video) throw new NotFoundError('video.not_found');
    const now = deps.clock.now();
    const viewer = await viewerFor(deps.db, c.var.user, video.channel_id, now, video.id);
    if (canWatch(video, viewer, now)) return { video, viewer };
    const offer = video.visibility === 'draft' ? undefined : cheapestOfferFor(video, await offers(deps.db, video.channel_id, c.var.locale), now);
    if (!offer) throw new NotFoundError('video.not_found');
    return { video, viewer, offer };
  }

  async function playerProps(c: AppContext, video: q.VideoWithChannel, withPosition: boolean): Promise<WatchPageProps['player']> {
    const captions = await q.listCaptions(deps.db, video.id);
    const user = c.var.user;
    // A shared link at a moment (`?t=90`) starts there, before any remembered position.
    const linked = /^\d{1,6}$/.test(c.req.query('t') ?? '') ? Number(c.req.query('t')) : undefined;
    return {
      masterUrl: mediaPath(video, 'master.m3u8'),
      posterUrl: thumbnailPath(video),
      storyboardUrl: video.has_storyboard ? mediaPath(video, 'storyboard.vtt') : undefined,
      captions: captions.map((cap) => ({ ...cap, url: mediaPath(video, `captions/${cap.language}.vtt`) })),
      startAt: linked ?? (withPosition && user ? await q.findPosition(deps.db, user.id, video.id) : undefined),
      positionUrl: withPosition && user ? `/api/videos/${video.short_id}/position` : undefined,
      viewUrl: `/api/videos/${video.short_id}/view`,
      addons: await playerAddons(pageEnv(c), video),
    };
  }

  app.get('/v/:shortId', async (c) => {
    const { video, viewer, offer } = await watchableOrOffered(c, c.req.param('shortId'));
    const now = deps.clock.now();
    if (offer) {
      const poster = video.paywall_poster === 'shown' ? thumbnailPath(video) : undefined;
      return c.html(<PaywallPage env={pageEnv(c, await studioAccess(c))} video={video} offer={offer} posterUrl={poster} descriptionHtml={renderMarkdown(video.description)} now={now} />);
    }
    // A first transcode is watchable by the team as soon as its renditions start growing (transcode-preview.ts).
    const previewing = video.status === 'processing' && video.hls_prefix !== null && viewer.isTeam;
    if (video.status !== 'ready' && !previewing) return c.redirect(`/studio/videos/${video.id}`, 303);
    const teamNotice =
      previewing
        ? 'processing'
        : viewer.isTeam && video.visibility === 'draft'
        ? 'draft'
        : viewer.isTeam && video.publish_at && video.publish_at > now
          ? 'scheduled'
          : viewer.isTeam && video.visibility === 'members'
            ? 'members'
            : viewer.isTeam && video.visibility === 'unlisted'
              ? 'unlisted'
              : undefined;
    const thumb = thumbnailPath(video);
    const page = abs(`/v/${video.short_id}`);
    const env = pageEnv(c, await studioAccess(c));
    return c.html(
      <WatchPage
        env={env}
        extras={await renderExtras(env, video)}
        video={video}
        player={await playerProps(c, video, true)}
        descriptionHtml={renderMarkdown(video.description)}
        teamNotice={teamNotice}
        urls={{
          page,
          embed: abs(`/embed/${video.short_id}`),
          oembed: abs(`/oembed?format=json&url=${encodeURIComponent(page)}`),
          poster: thumb ? abs(thumb) : undefined,
          channel: abs(`/c/${video.channel_handle}`),
        }}
      />,
    );
  });

  embed.get('/embed/:shortId', async (c) => {
    const { video } = await watchable(c, c.req.param('shortId'));
    if (video.status !== 'ready') throw new NotFoundError('video.not_found');
    return c.html(<EmbedPage env={pageEnv(c)} video={video} player={await playerProps(c, video, false)} pageUrl={abs(`/v/${video.short_id}`)} />);
  });

  const oembedQuery = z.object({
    url: z.string().max(2000),
    format: z.enum(['json']).default('json'),
    maxwidth: z.coerce.number().int().positive().max(4096).optional(),
    maxheight: z.coerce.number().int().positive().max(4096).optional(),
  });

  // oEmbed 1.0 (https://oembed.com): JSON only; XML is answered 501 as the spec allows.
  api.get('/oembed', async (c) => {
    if (c.req.query('format') === 'xml') return c.json({ error: { code: 'format_not_implemented', message: 'Only format=json is available.' } }, 501);
    const parsed = oembedQuery.safeParse(c.req.query());
    if (!parsed.success) throw new BadRequestError('video.oembed_bad_request');
    const match = new RegExp(`^${deps.config.publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:v|embed)/([A-Za-z0-9_-]{8,16})(?:[?#].*)?$`).exec(parsed.data.url);
    if (!match) throw new NotFoundError('video.not_found');
    const { video } = await watchable(c, match[1]!);
    let width = 640;
    let height = Math.round((width * (video.height ?? 9)) / (video.width ?? 16));
    const scale = Math.min(1, (parsed.data.maxwidth ?? Infinity) / width, (parsed.data.maxheight ?? Infinity) / height);
    width = Math.round(width * scale);
    height = Math.round(height * scale);
    const thumb = thumbnailPath(video);
    const embed = abs(`/embed/${video.short_id}`);
    return c.json({
      version: '1.0',
      type: 'video',
      provider_name: c.var.site?.name ?? 'Fanfare',
      provider_url: abs('/'),
      title: video.title,
      author_name: video.channel_name,
      author_url: abs(`/c/${video.channel_handle}`),
      width,
      height,
      html: `<iframe src="${embed}" width="${width}" height="${height}" frameborder="0" allowfullscreen title="${video.title.replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`)}"></iframe>`,
      ...(thumb ? { thumbnail_url: abs(thumb), thumbnail_width: 1280, thumbnail_height: 720 } : {}),
    });
  });

  app.get('/search', async (c) => {
    const query = (c.req.query('q') ?? '').trim().slice(0, 200);
    const page = Math.max(1, Math.min(1000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const result = query ? await q.searchVideos(deps.db, query, deps.clock.now(), PAGE_SIZE, (page - 1) * PAGE_SIZE) : { rows: [], total: 0 };
    const videos = await cardsFor(deps, { viewerFor, offers, user: c.var.user, locale: c.var.locale, commentCounts }, result.rows);
    return c.html(
      <SearchPage env={pageEnv(c, await studioAccess(c))} query={query} videos={videos} page={page} pageCount={Math.ceil(result.total / PAGE_SIZE)} total={result.total} />,
    );
  });

  // Players on other sites (PeerTube's hls.js) may read the media of publicly listed videos (issue 10 D2).
  const publicMedia = async (shortId: string) => {
    const video = /^[A-Za-z0-9_-]{8,16}$/.test(shortId) ? await q.findVideoByShortId(deps.db, shortId) : undefined;
    return !!video && isListed(video, deps.clock.now());
  };

  // Every media file goes through the same access check as the watch page: knowing a segment's URL is not enough.
  media.on(['GET', 'HEAD'], '/media/v/:shortId/:path{.+}', withPublicMediaCors(publicMedia, async (c) => {
    const file = c.req.param('path') ?? '';
    // A paywall shows the poster when the creator chose to; every other file needs the right to watch.
    const { video, offer } = await watchableOrOffered(c, c.req.param('shortId') ?? '');
    if (offer && !(file === 'thumbnail' && video.paywall_poster === 'shown')) throw new NotFoundError('video.not_found');
    const key = await storageKeyFor(deps, video, file);
    if (!key) throw new NotFoundError();
    const master = file === 'master.m3u8' && !offer ? await signedMaster(c, video, key) : undefined;
    if (master) return master;
    // Each transcode writes to a new prefix, so segments never change under a URL; playlists, the thumbnail and
    // captions are looked up per request and may change, so they get a short lifetime.
    const immutable = file !== 'thumbnail' && !file.startsWith('captions/') && !file.endsWith('.m3u8') && !file.endsWith('.vtt');
    const shared = !offer && isPubliclyCacheable(video, deps.clock.now()) ? 'public' : 'private';
    const cacheControl = immutable && shared === 'public' ? 'public, max-age=31536000, immutable' : `${shared}, max-age=${immutable ? 86400 : 30}`;
    return serveStoredFile(c, deps.storage, key, { cacheControl });
  }));

  /**
   * The master playlist, its renditions addressed by signed URLs (media-token.ts): the access check above
   * is the last one of the play, the playlists and segments that follow are served without session or SQL.
   */
  async function signedMaster(c: AppContext, video: q.VideoWithChannel, key: string): Promise<Response | undefined> {
    const now = deps.clock.now();
    const scope: MediaScope = isListed(video, now) ? 'l' : isPubliclyCacheable(video, now) ? 'p' : 'm';
    const base = video.hls_prefix ? signedMediaBase(deps.signingSecret, video.hls_prefix, mediaTokenExpiry(now, video.duration_seconds ?? 0, scope), scope) : undefined;
    if (!base) return undefined;
    const stored = await deps.storage.get(key);
    if (!stored) throw new NotFoundError();
    const text = await new Response(stored.body).text();
    const headers: Record<string, string> = {
      'Content-Type': contentTypeFor(key),
      'Cache-Control': `${scope === 'm' ? 'private' : 'public'}, max-age=30`,
      'X-Content-Type-Options': 'nosniff',
    };
    if (scope === 'l') Object.assign(headers, MEDIA_CORS);
    return new Response(c.req.method === 'HEAD' ? null : signMasterPlaylist(text, base), { status: 200, headers });
  }

  // Signed media: no database, no session (the group is mounted ahead of the site-wide middleware).
  signed.on(['GET', 'HEAD'], `${SIGNED_MEDIA_ROOT}/:token/:videoId/:folder/:file{.+}`, async (c) => {
    // The site's address check runs after this group: the same refusal of control characters in the query, here.
    const query = new URL(c.req.url).searchParams;
    for (const [name, value] of query) if (hasControlCharacters(name, 'line') || hasControlCharacters(value, 'line')) return c.body(null, 400);
    const verified = verifySignedMedia(deps.signingSecret, { token: c.req.param('token'), videoId: c.req.param('videoId'), folder: c.req.param('folder'), file: c.req.param('file') }, deps.clock.now());
    if (!verified) return c.body(null, 404);
    const file = verified.key;
    const immutable = !file.endsWith('.m3u8') && !file.endsWith('.vtt');
    const shared = verified.scope === 'm' ? 'private' : 'public';
    const cacheControl = immutable && shared === 'public' ? 'public, max-age=31536000, immutable' : `${shared}, max-age=${immutable ? 86400 : 2}`;
    let response: Response;
    try {
      response = await serveStoredFile(c, deps.storage, file, { cacheControl });
    } catch (error) {
      // Answered here, not by the error page: this group runs without language or session.
      if (error instanceof NotFoundError) return c.body(null, 404);
      throw error;
    }
    if (verified.scope === 'l') for (const [name, value] of Object.entries(MEDIA_CORS)) response.headers.set(name, value);
    return response;
  });

  signed.on('OPTIONS', `${SIGNED_MEDIA_ROOT}/:token/:videoId/:folder/:file{.+}`, (c) => {
    const verified = verifySignedMedia(deps.signingSecret, { token: c.req.param('token'), videoId: c.req.param('videoId'), folder: c.req.param('folder'), file: c.req.param('file') }, deps.clock.now());
    if (verified?.scope !== 'l') return c.body(null, 404);
    return new Response(null, { status: 204, headers: { ...MEDIA_CORS, 'access-control-max-age': '86400' } });
  });

  // CORS preflight for the same files: answered for publicly listed videos only.
  media.on('OPTIONS', '/media/v/:shortId/:path{.+}', withPublicMediaCors(publicMedia, () => {
    throw new NotFoundError();
  }));

  const positionBody = z.object({ position: z.number().finite().min(0).max(7 * 24 * 3600) });
  api.post('/api/videos/:shortId/position', async (c) => {
    const user = c.var.user;
    if (!user) return c.json({ error: { code: 'login_required', message: c.var.t('error.login_required') } }, 401);
    const { video } = await watchable(c, c.req.param('shortId'));
    const body = positionBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) throw new BadRequestError('video.position_invalid');
    await q.savePosition(deps.db, user.id, video.id, body.data.position);
    return c.body(null, 204);
  });

  // A view, reported by the page after 30 s of playback: counted once per viewer per hour (videos/views.ts).
  const viewBody = z.object({}).strict();
  api.post('/api/videos/:shortId/view', async (c) => {
    const { video } = await watchable(c, c.req.param('shortId'));
    if (!viewBody.safeParse(await c.req.json().catch(() => undefined)).success) throw new BadRequestError('video.view_invalid');
    const counted = await recordView(deps, video.id, { ip: clientIp(c, deps.config.trustProxy), userAgent: c.req.header('user-agent') ?? '' });
    return c.json({ counted });
  });

  return { pages: app, embed, media, signed, api };
}

/** Maps a public media path to a storage key, or undefined for anything not part of this video. */
async function storageKeyFor(deps: AppDeps, video: q.VideoRow, file: string): Promise<string | undefined> {
  if (file === 'thumbnail') return video.custom_thumbnail_key ?? video.poster_key ?? undefined;
  // The progressive files exist for every transcode, but fans get them only where the creator allows downloads.
  if ((file === DOWNLOAD_MP4 || file === DOWNLOAD_M4A) && !video.downloads_allowed) return undefined;
  const caption = /^captions\/([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.vtt$/.exec(file);
  if (caption) return (await q.listCaptions(deps.db, video.id)).find((c) => c.language === caption[1])?.storage_key;
  // HLS files are a few short segments (`720p/segment_00042.m4s`): anything longer names nothing.
  if (!video.hls_prefix || file.length > 200 || !/^[a-z0-9][a-z0-9_.-]{0,99}(\/[a-z0-9][a-z0-9_.-]{0,99}){0,2}$/i.test(file) || file.includes('..')) return undefined;
  return `${video.hls_prefix}/${file}`;
}

/** The channel page's video list as this viewer sees it: listed, members-only (locked or not) and early access. */
export async function publicChannelVideos(deps: AppDeps, who: CardViewer, channelId: string, page: number) {
  const now = deps.clock.now();
  const earlyUntil = earlyAccessHorizon(await who.offers(deps.db, channelId, who.locale), now);
  const result = await q.listChannelVideosOnShow(deps.db, channelId, now, earlyUntil, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return { videos: await cardsFor(deps, who, result.rows), pageCount: Math.ceil(result.total / PAGE_SIZE) };
}
