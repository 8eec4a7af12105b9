/**
 * Bundles: files of any kind a channel groups (its videos' MP4s, audio, PDFs, images, archives), part free,
 * the rest unlocked by an e-mail address (double opt-in) or by paying what one wants (purpose 'bundle'),
 * with Humble's bonus files for payments above the running average. Downloads are signed per fan and per
 * file; the whole bundle comes as a streamed ZIP or as torrents (downloads' builder) whose web seed is the
 * site. See CONTEXT.md.
 */
import { defineCapability, oncePerSite } from '../../core/module.js';
import { en, fr } from './messages.js';
import { bundleTorrentExists } from './queries.js';
import { bundleRoutes } from './routes.js';
import { bundlePurpose } from './service.js';
import { bundleStudioRoutes } from './studio.js';

export { canDownload } from './service.js';

const fanRoutes = oncePerSite((ctx) => bundleRoutes(ctx.deps, ctx.services.payments));
const teamRoutes = oncePerSite((ctx) => bundleStudioRoutes(ctx.deps));

export const bundlesCapability = defineCapability({
  name: 'bundles',
  messages: { en, fr },
  routes: [
    { area: 'public', path: '/', build: (ctx) => fanRoutes(ctx).pages },
    { area: 'account', path: '/', build: (ctx) => fanRoutes(ctx).account },
    { area: 'media', path: '/', build: (ctx) => fanRoutes(ctx).media },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).pages },
    { area: 'studio', path: '/studio', build: (ctx) => teamRoutes(ctx).uploads, streamsBody: true, jsonErrors: true },
  ],
  contributes: {
    'payments.purposes': (ctx) => ({ bundle: bundlePurpose(ctx.deps) }),
    'downloads.known-torrents': () => bundleTorrentExists,
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/bundles`, label: 'bundle.studio_title', role: 'admin', order: 75 }],
  },
  tables: {
    bundles: { export: 'rows', scope: 'channel', note: 'with the cover and files under bundles/<id>/ in storage', files: ['cover_key'] },
    bundle_files: { export: 'rows', scope: 'channel', files: ['storage_key'] },
    bundle_unlocks: { export: 'rows', scope: 'channel', note: "fans' e-mail addresses, consent and what they paid" },
    bundle_torrents: { export: 'none', why: 'rebuilt from the stored files when a torrent is first asked for on the new site' },
  },
});
