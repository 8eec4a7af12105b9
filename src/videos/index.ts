/**
 * Videos: resumable upload, one-pass HLS transcoding, the watch and embed pages, oEmbed, search, media
 * files behind the same access check as the watch page, and the Studio's video pages. Other capabilities
 * add to the watch page through the `watch.below-player` slot, say what a fan's membership lets them watch
 * through `videos.viewer-grants`, and learn of changes from the `video.changed` and `video.deleted` events.
 *
 * The public API below is what other capabilities may use; the rest of this folder is its own business.
 * Who may watch what is decided here only: `canWatch` with the site's viewer lookup
 * (`ctx.services.viewers`), and `isListed` / `listedVideoCondition` for what anyone may find.
 */
import type { Child } from 'hono/jsx';
import type { PageEnv } from '../core/http/layout.js';
import { defineCapability, oncePerSite } from '../core/module.js';
import { en, fr } from './messages.js';
import { videosConfig } from './config.js';
import type { ViewerGrantLookup } from './access.js';
import { offersFrom, type WatchOfferLookup } from './offers.js';
import { ChannelVideosSection } from './pages/listing.js';
import type { VideoWithChannel } from './queries.js';
import { publicChannelVideos, videoRoutes } from './routes.js';
import { commentCountsFrom, type CommentCountLookup } from './cards.js';
import { TRANSCODE_JOB, viewerLookup, type ViewerLookup } from './service.js';
import { videoStudioRoutes } from './studio-routes.js';
import { ffmpegBinaries, transcodeVideoHandler } from './transcode-job.js';
import { createUploadServer } from './upload/tus.js';

// Rows and the rules of access.
export type { CaptionRow, Chapter, Rendition, VideoRow, VideoStatus, VideoWithChannel, Visibility } from './queries.js';
export { canWatch, isListed, isPubliclyCacheable, type Viewer, type ViewerGrant, type ViewerGrantLookup } from './access.js';
export type { ViewerLookup } from './service.js';
export type { WatchOffer, WatchOfferLookup } from './offers.js';
// Reading videos (the SQL stays here: others call these rather than query the videos tables).
export { countListedVideos, findVideoById, findVideoByShortId, listCaptions, listedVideoCondition, listPublicAndMembersVideos, onShowCondition, listPublicVideos } from './queries.js';
// Addresses and text.
export { mediaPath, thumbnailPath } from './service.js';
export { renderMarkdown } from '../core/markdown.js';
// For the moving capability's YouTube Takeout import: videos with metadata, all or none.
export { importVideos, type ImportedVideo } from './import.js';
/** The checks a Studio upload of captions or a thumbnail passes, for files arriving from an archive. */
export { checkThumbnail, checkWebVtt } from './uploads-check.js';
// Transcode outputs others read: each rendition's segment hash list (P2P checks peers' segments with it).
export { SEGMENT_HASHES_FILE, type SegmentHashes } from './transcode/segment-hashes.js';
// ffmpeg as this site found it, and the way it runs tools (federation converts thumbnails to PeerTube's JPEG sizes).
export { ffmpegBinaries } from './transcode-job.js';
export { runTool } from './transcode/exec.js';
// Resumable (tus) upload endpoints: videos' own, and any other capability's (bundle files).
export { createResumableUploads, refuseUpload, type ReceivedUpload, type ResumableUploadOptions, type UploadRefusal, type UploadRequestContext } from './upload/resumable.js';

declare module '../core/module.js' {
  interface Slots {
    /** What goes under the player on a watch page (the tip form, recommendations), in list order. */
    'watch.below-player': (env: PageEnv, video: VideoWithChannel) => Promise<Child>;
    /** What a signed-in fan's standing with a channel lets them watch (memberships contributes it). */
    'videos.viewer-grants': ViewerGrantLookup;
    /** What a fan could buy to watch more of a channel (memberships contributes its tiers): paywalls and locks. */
    'videos.offers': WatchOfferLookup;
    /** What goes inside the player of a video this viewer may watch (P2P's switch and settings), in list order. */
    'videos.player-addons': (env: PageEnv, video: VideoWithChannel) => Promise<Child>;
    /** Shown comments per video, for listings (community contributes it): one call per listing. */
    'videos.comment-counts': CommentCountLookup;
  }
  interface SiteServices {
    /** Who a user is to a channel's videos (team, member, passer-by): ask it before `canWatch`. */
    viewers: ViewerLookup;
    /** Every offer of a channel (from the `videos.offers` contributions), in the viewer's language. */
    watchOffers: WatchOfferLookup;
  }
}

/** The fan-facing routes, built once per site and mounted as four area groups. */
const fanRoutes = oncePerSite((ctx) =>
  videoRoutes(
    ctx.deps,
    ctx.services.viewers,
    ctx.studioAccess,
    async (env, video) => Promise.all(ctx.fill('watch.below-player').map((render) => render(env, video))),
    ctx.services.watchOffers,
    async (env, video) => Promise.all(ctx.fill('videos.player-addons').map((render) => render(env, video))),
    commentCountsFrom(() => ctx.fill('videos.comment-counts')),
  ),
);
const teamRoutes = oncePerSite((ctx) => {
  let uploads: ReturnType<typeof createUploadServer> | undefined;
  return videoStudioRoutes(ctx.deps, () => (uploads ??= createUploadServer(ctx.deps, ffmpegBinaries)));
});

export const videosCapability = defineCapability({
  name: 'videos',
  messages: { en, fr },
  config: videosConfig,
  services: (ctx) => ({ viewers: viewerLookup(() => ctx.fill('videos.viewer-grants')), watchOffers: offersFrom(() => ctx.fill('videos.offers')) }),
  routes: [
    { area: 'public', path: '/', build: (ctx) => fanRoutes(ctx).pages },
    { area: 'embed', path: '/', build: (ctx) => fanRoutes(ctx).embed },
    { area: 'media', path: '/', build: (ctx) => fanRoutes(ctx).media },
    { area: 'media', path: '/', build: (ctx) => fanRoutes(ctx).signed, beforeSiteMiddleware: true },
    { area: 'api', path: '/', build: (ctx) => fanRoutes(ctx).api },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).pages },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).uploads, streamsBody: true, jsonErrors: true },
  ],
  jobs: (ctx) => ({ [TRANSCODE_JOB]: transcodeVideoHandler(ctx.deps) }),
  contributes: {
    'channel.sections': (ctx) => async (env, channel, page) => {
      const who = { viewerFor: ctx.services.viewers, offers: ctx.services.watchOffers, user: env.user, locale: env.locale, commentCounts: commentCountsFrom(() => ctx.fill('videos.comment-counts')) };
      const { videos, pageCount } = await publicChannelVideos(ctx.deps, who, channel.id, page);
      return ChannelVideosSection({ env, handle: channel.handle, videos, page, pageCount });
    },
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/videos`, label: 'studio.videos', role: 'editor', order: 10 }],
    'studio.first-steps': (ctx) => [{ label: 'studio.step_upload', href: (h) => `/studio/channels/${h}/videos`, order: 10, done: async (channelId) => (await ctx.deps.db.query(`SELECT 1 FROM videos WHERE channel_id = $1 LIMIT 1`, [channelId])).length > 0 }],
  },
  tables: {
    videos: { export: 'rows', scope: 'channel', note: 'with the media files under videos/<id>/ in storage', files: ['source_key', 'poster_key', 'custom_thumbnail_key'], folders: ['hls_prefix'] },
    video_captions: { export: 'rows', scope: 'channel', files: ['storage_key'] },
    watch_positions: { export: 'rows', scope: 'site' },
    video_views: { export: 'rows', scope: 'channel', note: 'counts per video and day only' },
    video_view_marks: { export: 'none', why: 'keyed hashes that dedupe views for an hour, then deleted; never exported' },
  },
});
