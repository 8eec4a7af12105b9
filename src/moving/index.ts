/**
 * Moving: a channel leaves for another site with its audience, or arrives from one. The ActivityPub side
 * (`alsoKnownAs`, `movedTo`, `Move` out and in) is federation's (src/federation/move.ts); this capability
 * brings the Studio's move page, the "the channel moved" e-mail to followers and members (community's
 * one-click unsubscribe), and the 301s from a moved channel's pages, videos and feeds to the new site.
 * The words used are in CONTEXT.md.
 */
import { defineCapability } from '../core/module.js';
import { MOVED_MAIL_JOB, movedMailHandler } from './mail.js';
import { en, fr } from './messages.js';
import { movedChannelRedirects } from './redirects.js';
import { movingStudioRoutes } from './routes.js';
import { takeoutStudioRoutes, takeoutUploadRoutes } from './youtube/routes.js';
import { TAKEOUT_IMPORT_JOB, takeoutImportJobHandler } from './youtube/studio-upload.js';

// For the command line: `fanfare import-youtube`.
export { IMPORT_YOUTUBE_USAGE, importYouTubeCommand } from './youtube/command.js';
export { importYouTubeTakeout } from './youtube/takeout.js';

export const movingCapability = defineCapability({
  name: 'moving',
  messages: { en, fr },
  middleware: (ctx) => movedChannelRedirects(ctx.deps),
  routes: [
    { area: 'studio', path: '/studio', build: (ctx) => movingStudioRoutes(ctx.deps, ctx.services.federation) },
    // Arriving from YouTube: the Studio's Takeout upload (resumable) and its page.
    { area: 'studio', path: '/studio', build: (ctx) => takeoutStudioRoutes(ctx.deps) },
    { area: 'studio', path: '/studio', build: (ctx) => takeoutUploadRoutes(ctx.deps), streamsBody: true, jsonErrors: true },
  ],
  jobs: (ctx) => ({ [MOVED_MAIL_JOB]: movedMailHandler(ctx.deps), [TAKEOUT_IMPORT_JOB]: takeoutImportJobHandler(ctx.deps) }),
  contributes: {
    'studio.channel-menu': () => [
      { href: (h) => `/studio/channels/${h}/move`, label: 'moving.studio_title', role: 'admin', order: 95 },
      { href: (h) => `/studio/channels/${h}/youtube`, label: 'moving.youtube_title', role: 'admin', order: 96 },
    ],
  },
  // The move's own rows are federation's (federation_actor_aliases, federation_moves).
  tables: {
    youtube_imports: { export: 'rows', scope: 'channel', note: 'which YouTube videos a channel already imported' },
    youtube_uploads: { export: 'none', why: 'Takeout archives uploaded here to be imported (the videos they brought travel, with youtube_imports)' },
  },
});
