// Types a player and a browser need to see; `nosniff` is sent with them, so they must be right.
const TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  m4v: 'video/mp4',
  ts: 'video/mp2t',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  vtt: 'text/vtt; charset=utf-8',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
};

/** Content-Type for a storage key, from its extension; unknown types are plain bytes. */
export function contentTypeFor(key: string): string {
  return TYPES[extension(key)] ?? 'application/octet-stream';
}

/** For files whose bytes never change under the same key: a year, and no revalidation at all. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** For HLS playlists: a player re-reads them, and a re-transcode may rewrite them in place. */
export const CACHE_PLAYLIST = 'public, max-age=10';
/** For captions, posters and storyboards, which a creator may replace under the same key. */
export const CACHE_SHORT = 'public, max-age=60';

// The pipeline writes each transcode into a fresh folder, so a segment or init segment under a key
// never changes; everything else may, and is revalidated cheaply through its ETag.
const IMMUTABLE_EXTENSIONS = new Set(['m4s', 'ts', 'mp4', 'm4a', 'm4v']);

/**
 * Default Cache-Control for a key: immutable for media segments, short for playlists, a minute for
 * the rest. Routes pass their own policy for content-addressed keys (avatars) or members-only media.
 */
export function cacheControlFor(key: string): string {
  const ext = extension(key);
  if (ext === 'm3u8') return CACHE_PLAYLIST;
  return IMMUTABLE_EXTENSIONS.has(ext) ? CACHE_IMMUTABLE : CACHE_SHORT;
}

/**
 * The same policy for one viewer only: shared caches (CDNs, proxies) must not keep members-only media,
 * but the member's own browser still may.
 */
export function privateCacheControl(policy: string): string {
  return policy.replace(/\bpublic\b/, 'private');
}

function extension(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? '' : key.slice(dot + 1).toLowerCase();
}
