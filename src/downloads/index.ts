/**
 * Downloads: what fans may keep of a video — the progressive MP4 and M4A the transcode writes (served by
 * videos' media route) and, for public videos, a BitTorrent v1 torrent whose web seed is the site, so
 * any client downloads from the site alone and fans who seed share the load. Torrents are built from
 * the stored file (streamed piece hashing) and rebuilt on `video.changed`. See CONTEXT.md.
 *
 * The torrent builder (`buildTorrentInfo`, `torrentFile`, `magnetUri`) is public: bundles use it.
 */
import type { Queryable } from '../core/db/index.js';
import { configSection } from '../core/config.js';
import { defineCapability, type BuildContext } from '../core/module.js';
import { downloadsConfig } from './config.js';
import { en, fr } from './messages.js';
import { listVideoTorrents, videoTorrentExists } from './queries.js';
import { torrentRoutes, videoDownloadLinks } from './routes.js';
import { startEmbeddedTracker, type EmbeddedTracker } from './tracker.js';
import { syncVideoTorrent } from './video-torrents.js';

export { bencode, type Bencodable } from './bencode.js';
export { announceUrls, downloadsConfig, type DownloadsSettings } from './config.js';
export { humanSize, TORRENT_TYPE } from './routes.js';
export { buildTorrentInfo, magnetUri, pieceLengthFor, PieceHasher, torrentFile, type TorrentFile, type TorrentInfo } from './torrent.js';
export { siteTrackers, syncVideoTorrent, videoTorrentFor, videoTorrentName, videoTorrentPath } from './video-torrents.js';
export { startEmbeddedTracker, type EmbeddedTracker } from './tracker.js';
export { listVideoTorrents };

declare module '../core/module.js' {
  interface Slots {
    /** Whether a capability shared a torrent with this info hash (the embedded tracker tracks only those). */
    'downloads.known-torrents': (db: Queryable, infoHash: string) => Promise<boolean>;
  }
}

/**
 * Starts the embedded tracker when EMBEDDED_TRACKER is set (the web process calls this): it tracks the
 * site's own torrents only, videos' and those other capabilities declare through `downloads.known-torrents`.
 * `port` overrides TRACKER_PORT (tests use 0).
 */
export async function startSiteTracker(ctx: BuildContext, options: { port?: number; force?: boolean } = {}): Promise<EmbeddedTracker | undefined> {
  const settings = configSection(ctx.deps.config, downloadsConfig);
  if (!settings.embeddedTracker && !options.force) return undefined;
  const others = ctx.fill('downloads.known-torrents');
  return startEmbeddedTracker({
    host: ctx.deps.config.host,
    port: options.port ?? settings.trackerPort,
    trustProxy: ctx.deps.config.trustProxy,
    isKnown: async (hash) => (await videoTorrentExists(ctx.deps.db, hash)) || (await Promise.all(others.map((known) => known(ctx.deps.db, hash)))).some(Boolean),
    onWarning: (err) => ctx.deps.log.debug({ err }, 'tracker warning'),
  });
}

export const downloadsCapability = defineCapability({
  name: 'downloads',
  messages: { en, fr },
  config: downloadsConfig,
  routes: [{ area: 'media', path: '/', build: (ctx) => torrentRoutes(ctx.deps) }],
  subscriptions: {
    // Every change may matter: a new transcode (new MP4), visibility, the title (the file's name), downloads allowed or not.
    'video.changed': (ctx) => async ({ videoId }) => ({ outcome: await syncVideoTorrent(ctx.deps, videoId) }),
  },
  contributes: {
    'watch.below-player': (ctx) => (env, video) => videoDownloadLinks(ctx.deps, ctx.services.viewers, env, video),
  },
  tables: {
    video_torrents: { export: 'none', why: 'rebuilt from the stored MP4 by the video.changed handler on the new site' },
  },
});
