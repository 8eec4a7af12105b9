/**
 * Downloads: what fans may keep of a video — the progressive MP4 and M4A the transcode writes (served by
 * videos' media route) and, for public videos, a BitTorrent v1 torrent whose web seed is the site, so
 * any client downloads from the site alone and fans who seed share the load. Torrents are built from
 * the stored file (streamed piece hashing) and rebuilt on `video.changed`. See CONTEXT.md.
 *
 * The torrent builder (`buildTorrentInfo`, `torrentFile`, `magnetUri`) is public: bundles use it.
 */
import { defineCapability } from '../core/module.js';
import { downloadsConfig } from './config.js';
import { en, fr } from './messages.js';
import { listVideoTorrents } from './queries.js';
import { torrentRoutes, videoDownloadLinks } from './routes.js';
import { syncVideoTorrent } from './video-torrents.js';

export { bencode, type Bencodable } from './bencode.js';
export { downloadsConfig, type DownloadsSettings } from './config.js';
export { TORRENT_TYPE } from './routes.js';
export { buildTorrentInfo, magnetUri, pieceLengthFor, PieceHasher, torrentFile, type TorrentFile, type TorrentInfo } from './torrent.js';
export { syncVideoTorrent, videoTorrentFor, videoTorrentName, videoTorrentPath } from './video-torrents.js';
export { listVideoTorrents };

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
