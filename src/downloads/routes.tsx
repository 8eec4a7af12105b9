import { Hono } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';
import type { PageEnv } from '../core/http/layout.js';
import { canWatch, findVideoByShortId, mediaPath, type VideoWithChannel, type ViewerLookup } from '../videos/index.js';
import { videoTorrentFor, videoTorrentPath } from './video-torrents.js';

/** The MIME type of .torrent files. */
export const TORRENT_TYPE = 'application/x-bittorrent';

/**
 * `GET /torrents/v/:shortId.torrent`: a public video's torrent, its web seed the site's MP4. Shared
 * caches may keep it a few minutes (a rebuild after a new transcode changes it).
 */
export function torrentRoutes(deps: AppDeps) {
  const media = new Hono<AppEnv>();
  media.get('/torrents/v/:file', async (c) => {
    const match = /^([A-Za-z0-9_-]{8,16})\.torrent$/.exec(c.req.param('file'));
    const video = match ? await findVideoByShortId(deps.db, match[1]!) : undefined;
    const served = video ? await videoTorrentFor(deps, video) : undefined;
    if (!served) throw new NotFoundError('download.torrent_not_found');
    return c.body(new Uint8Array(served.torrent), 200, {
      'Content-Type': TORRENT_TYPE,
      'Content-Disposition': `attachment; filename="${served.fileName}"`,
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return media;
}

/** A byte count for people: "1.4 MB", in the reader's number format (decimal units, as file managers show). */
export function humanSize(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** The download links under a video the viewer may watch, when its creator allows downloads. */
export async function videoDownloadLinks(deps: AppDeps, viewers: ViewerLookup, env: PageEnv, video: VideoWithChannel) {
  if (!video.downloads_allowed || !video.download_file) return null;
  const now = deps.clock.now();
  if (!canWatch(video, await viewers(deps.db, env.user, video.channel_id, now), now)) return null;
  const served = await videoTorrentFor(deps, video);
  const { t } = env;
  return (
    <section class="downloads" aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">{t('download.heading')}</h2>
      <ul>
        <li>
          <a href={mediaPath(video, video.download_file)} download>
            {t('download.mp4', { height: String(Math.min(video.download_height, video.height ?? video.download_height)), size: humanSize(video.download_bytes ?? 0, env.locale) })}
          </a>
        </li>
        {video.audio_file && (
          <li>
            <a href={mediaPath(video, video.audio_file)} download>
              {t('download.m4a', { size: humanSize(video.audio_bytes ?? 0, env.locale) })}
            </a>
          </li>
        )}
        {served && (
          <li>
            <a href={videoTorrentPath(video)} type="application/x-bittorrent">
              {t('download.torrent')}
            </a>{' '}
            · <a href={served.magnet}>{t('download.magnet')}</a>
          </li>
        )}
      </ul>
      {served && <p class="hint">{t('download.torrent_hint')}</p>}
    </section>
  );
}
