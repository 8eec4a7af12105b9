import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { ffmpegBinaries, findVideoByShortId, isListed, runTool, type VideoRow } from '../videos/index.js';

/**
 * The sizes a video's icon is sent in: PeerTube's own thumbnail and preview (THUMBNAILS_SIZE 280×157 and
 * PREVIEWS_SIZE 850×480 in PeerTube 6's initializers/constants.ts). A PeerTube 6 server takes as thumbnail
 * the narrowest icon wider than 150 px and as preview the widest one wider than 400 px
 * (getThumbnailFromIcons / getPreviewFromIcons, lib/activitypub/videos/shared/object-to-model-attributes.ts);
 * later versions keep one thumbnail per size sent.
 */
export const ICON_SIZES = [
  { width: 280, height: 157 },
  { width: 850, height: 480 },
] as const;

type IconSize = (typeof ICON_SIZES)[number];

/** The picture a video's icon is made from: the creator's thumbnail (PNG, JPEG or WebP), else the poster. */
function iconSource(video: Pick<VideoRow, 'custom_thumbnail_key' | 'poster_key'>): string | null {
  return video.custom_thumbnail_key ?? video.poster_key;
}

/**
 * A short tag of the source picture, put in the icon's URL: PeerTube downloads a remote thumbnail again only
 * when its URL changes, and a new custom thumbnail (or a new transcode's poster) has a new storage key.
 */
function iconVersion(sourceKey: string): string {
  return createHash('sha256').update(sourceKey).digest('hex').slice(0, 12);
}

/**
 * The `icon` of a video's object, as PeerTube keeps it: setValidRemoteIcon (activitypub/misc.ts) keeps only
 * `Image` icons with a URL, integer `width` and `height` and an image type it knows — only `image/jpeg` up
 * to PeerTube 6 (activitypub/videos.ts), PNG, GIF and WebP too since — and sanitizeAndCheckVideoTorrentObject
 * drops the whole video when none remains. So every icon is a JPEG of a stated size, converted here from
 * whatever the creator uploaded (see {@link videoIconRoutes}). Empty before the video has any picture.
 */
export function videoIcons(video: Pick<VideoRow, 'short_id' | 'custom_thumbnail_key' | 'poster_key'>, base: string): Record<string, unknown>[] {
  const source = iconSource(video);
  if (!source) return [];
  const version = iconVersion(source);
  return ICON_SIZES.map(({ width, height }) => ({
    type: 'Image',
    url: `${base}/ap/videos/${video.short_id}/icons/${width}x${height}.jpg?v=${version}`,
    mediaType: 'image/jpeg',
    width,
    height,
  }));
}

/** How long ffmpeg may take to convert one picture. */
const CONVERT_TIMEOUT_MS = 30_000;

/** ffmpeg's image demuxer for each picture type the site stores (custom thumbnails are checked by their bytes). */
const DEMUXERS: Record<string, string> = { png: 'png_pipe', jpg: 'jpeg_pipe', jpeg: 'jpeg_pipe', webp: 'webp_pipe' };

/**
 * Scales the picture to cover the size, then crops the middle: the JPEG is exactly `width`×`height`. The
 * demuxer is named (never guessed from the bytes) and ffmpeg may open local files only, so an uploaded file
 * cannot make it read a playlist or reach the network.
 */
async function convertToJpeg(deps: AppDeps, source: Uint8Array, sourceKey: string, size: IconSize): Promise<Uint8Array<ArrayBuffer>> {
  const demuxer = DEMUXERS[sourceKey.slice(sourceKey.lastIndexOf('.') + 1).toLowerCase()];
  if (!demuxer) throw new Error(`not a picture ffmpeg is allowed to read: ${sourceKey}`);
  const dir = await mkdtemp(join(tmpdir(), 'fanfare-icon-'));
  try {
    const input = join(dir, 'source');
    const output = join(dir, 'icon.jpg');
    await writeFile(input, source);
    const filter = `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase,crop=${size.width}:${size.height},setsar=1`;
    const result = await runTool(
      ffmpegBinaries(deps.config).ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-protocol_whitelist', 'file', '-f', demuxer, '-i', input, '-vf', filter, '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', output],
      { timeoutMs: CONVERT_TIMEOUT_MS, collectStdout: false },
    );
    if (result.code !== 0) throw new Error(`ffmpeg could not convert the thumbnail: ${result.stderrTail || result.signal}`);
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * The JPEG icon of a video at one of {@link ICON_SIZES}: converted from its source picture on first request,
 * then kept in storage beside the video's files (under `videos/<id>/`, removed with them). Undefined when
 * the video has no picture.
 */
export async function videoIconJpeg(deps: AppDeps, video: Pick<VideoRow, 'id' | 'custom_thumbnail_key' | 'poster_key'>, size: IconSize): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const source = iconSource(video);
  if (!source) return undefined;
  const key = `videos/${video.id}/ap-icons/${iconVersion(source)}-${size.width}x${size.height}.jpg`;
  const stored = await deps.storage.get(key);
  if (stored) return readAll(stored.body);
  const original = await deps.storage.get(source);
  if (!original) return undefined;
  const jpeg = await convertToJpeg(deps, await readAll(original.body), source, size);
  await deps.storage.put(key, jpeg);
  return jpeg;
}

/**
 * `GET /ap/videos/{shortId}/icons/{width}x{height}.jpg`: a listed video's icon, as its object announces it
 * (PeerTube fetches it from its server: no CORS needed). Anything else falls through to a 404.
 */
export function videoIconRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/ap/videos/:shortId/icons/:file{[0-9]{1,4}x[0-9]{1,4}\\.jpg}', async (c, next) => {
    const size = ICON_SIZES.find((s) => c.req.param('file') === `${s.width}x${s.height}.jpg`);
    if (!size) return next();
    const video = await findVideoByShortId(deps.db, c.req.param('shortId'));
    if (!video || !isListed(video, deps.clock.now())) return next();
    const jpeg = await videoIconJpeg(deps, video, size);
    if (!jpeg) return next();
    // The URL carries the picture's version (`?v=`): what it names never changes.
    return new Response(jpeg, { headers: { 'content-type': 'image/jpeg', 'content-length': String(jpeg.byteLength), 'cache-control': 'public, max-age=86400' } });
  });
  return app;
}
