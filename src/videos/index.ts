/**
 * Videos: resumable upload, one-pass HLS transcoding, the watch and embed pages, oEmbed, search, media
 * files behind the same access check as the watch page, and the Studio's video pages. Other capabilities
 * add to the watch page through the `watch.below-player` slot and learn of changes from the `video.changed`
 * and `video.deleted` events.
 */
import type { Child } from 'hono/jsx';
import type { PageEnv } from '../core/http/layout.js';
import { defineCapability, oncePerSite } from '../core/module.js';
import { videosConfig } from './config.js';
import { ChannelVideosSection } from './pages/listing.js';
import type { VideoWithChannel } from './queries.js';
import { publicChannelVideos, videoRoutes } from './routes.js';
import { TRANSCODE_JOB } from './service.js';
import { videoStudioRoutes } from './studio-routes.js';
import { ffmpegBinaries, transcodeVideoHandler } from './transcode-job.js';
import { createUploadServer } from './upload/tus.js';

export type { CaptionRow, Rendition, VideoRow, VideoWithChannel } from './queries.js';
export { mediaPath, thumbnailPath } from './service.js';

declare module '../core/module.js' {
  interface Slots {
    /** What goes under the player on a watch page (the tip form, recommendations), in list order. */
    'watch.below-player': (env: PageEnv, video: VideoWithChannel) => Promise<Child>;
  }
}

/** The fan-facing routes, built once per site and mounted as four area groups. */
const fanRoutes = oncePerSite((ctx) =>
  videoRoutes(ctx.deps, ctx.studioAccess, async (env, video) => Promise.all(ctx.fill('watch.below-player').map((render) => render(env, video)))),
);
const teamRoutes = oncePerSite((ctx) => videoStudioRoutes(ctx.deps, createUploadServer(ctx.deps, ffmpegBinaries)));

export const videosCapability = defineCapability({
  name: 'videos',
  config: videosConfig,
  routes: [
    { area: 'public', path: '/', build: (ctx) => fanRoutes(ctx).pages },
    { area: 'embed', path: '/', build: (ctx) => fanRoutes(ctx).embed },
    { area: 'media', path: '/', build: (ctx) => fanRoutes(ctx).media },
    { area: 'api', path: '/', build: (ctx) => fanRoutes(ctx).api },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).pages },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).uploads, streamsBody: true, jsonErrors: true },
  ],
  jobs: (ctx) => ({ [TRANSCODE_JOB]: transcodeVideoHandler(ctx.deps) }),
  contributes: {
    'channel.sections': (ctx) => async (env, channel, page) => {
      const { videos, pageCount } = await publicChannelVideos(ctx.deps, channel.id, page);
      return ChannelVideosSection({ env, handle: channel.handle, videos, page, pageCount });
    },
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/videos`, label: 'studio.videos', role: 'editor', order: 10 }],
  },
  tables: {
    videos: { export: 'rows', scope: 'channel', note: 'with the media files under videos/<id>/ in storage' },
    video_captions: { export: 'rows', scope: 'channel' },
    watch_positions: { export: 'rows', scope: 'site' },
  },
});
