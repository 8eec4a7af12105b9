import type { Config } from '../core/config.js';
import { configSection } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import { findVideoById, isPubliclyCacheable, mediaPath, type VideoRow } from '../videos/index.js';
import { announceUrls, downloadsConfig } from './config.js';
import * as q from './queries.js';
import { buildTorrentInfo, magnetUri, torrentFile } from './torrent.js';

/** What one creates or answers when asked for a video's torrent. */
export type VideoTorrentOutcome = 'built' | 'unchanged' | 'removed' | 'not-eligible';

/** The path a video's .torrent is served at. */
export function videoTorrentPath(video: Pick<VideoRow, 'short_id'>): string {
  return `/torrents/v/${video.short_id}.torrent`;
}

/** The name of the single file inside a video's torrent: the title made safe for any file system. */
export function videoTorrentName(video: Pick<VideoRow, 'title' | 'short_id'>): string {
  const safe = video.title
    .normalize('NFKC')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return `${safe || 'video'} [${video.short_id}].mp4`;
}

/** A video whose MP4 may be shared by torrent: transcoded with its MP4, downloads allowed, public or unlisted. */
function eligible(video: VideoRow): video is VideoRow & { hls_prefix: string; download_file: string } {
  return video.status === 'ready' && video.downloads_allowed && !!video.hls_prefix && !!video.download_file && (video.visibility === 'public' || video.visibility === 'unlisted');
}

/**
 * Brings a video's torrent in line with its stored MP4: hashes the file (streamed) when there is no
 * torrent or the stored file is not the one hashed (another key or entity tag), removes it when the
 * video no longer shares downloads. Idempotent: the `video.changed` handler and a retry both call it.
 */
export async function syncVideoTorrent(deps: AppDeps, videoId: string): Promise<VideoTorrentOutcome> {
  const video = await findVideoById(deps.db, videoId);
  const existing = await q.findVideoTorrent(deps.db, videoId);
  if (!video || !eligible(video)) {
    if (existing) await q.deleteVideoTorrent(deps.db, videoId);
    return existing ? 'removed' : 'not-eligible';
  }
  const key = `${video.hls_prefix}/${video.download_file}`;
  const stat = await deps.storage.stat(key);
  if (!stat) return 'not-eligible';
  const name = videoTorrentName(video);
  if (existing && existing.source_key === key && existing.source_etag === stat.etag && infoName(existing.info) === name) return 'unchanged';
  const built = await buildTorrentInfo(deps.storage, name, [{ path: [name], key, length: stat.size }]);
  await q.saveVideoTorrent(deps.db, { video_id: video.id, source_key: key, source_etag: stat.etag, info: built.info, info_hash: built.infoHash });
  return 'built';
}

// The name is the dictionary's `4:name<len>:<bytes>`; a title change renames the file, so a rebuild.
function infoName(info: Uint8Array): string | undefined {
  const bytes = Buffer.from(info);
  const at = bytes.indexOf('4:name');
  if (at < 0) return undefined;
  const colon = bytes.indexOf(':', at + 6);
  const length = Number(bytes.subarray(at + 6, colon).toString());
  return bytes.subarray(colon + 1, colon + 1 + length).toString('utf8');
}

/** A served video torrent: the .torrent bytes, its magnet link and file name. */
export interface ServedVideoTorrent {
  torrent: Buffer;
  magnet: string;
  infoHash: string;
  fileName: string;
}

/**
 * The .torrent of a video fans may fetch now (public or unlisted, published, downloads allowed), with
 * the site's MP4 URL as its web seed, or undefined.
 */
export async function videoTorrentFor(deps: AppDeps, video: VideoRow): Promise<ServedVideoTorrent | undefined> {
  if (!eligible(video) || !isPubliclyCacheable(video, deps.clock.now())) return undefined;
  const row = await q.findVideoTorrent(deps.db, video.id);
  if (!row) return undefined;
  const trackers = siteTrackers(deps.config);
  const webSeed = deps.config.publicUrl + mediaPath(video, video.download_file);
  const name = videoTorrentName(video);
  return {
    torrent: torrentFile(Buffer.from(row.info), { webSeeds: [webSeed], trackers, createdBy: 'Fanfare', comment: deps.config.publicUrl + `/v/${video.short_id}` }),
    magnet: magnetUri(row.info_hash, name, video.download_bytes ?? 0, [webSeed], trackers),
    infoHash: row.info_hash,
    fileName: `${video.short_id}.torrent`,
  };
}

/** The announce URLs of this site's torrents (external trackers, then the embedded one when it runs). */
export function siteTrackers(config: Config): string[] {
  return announceUrls(configSection(config, downloadsConfig), config.publicUrl);
}
