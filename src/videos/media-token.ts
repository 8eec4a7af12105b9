import { hmac, safeEqual } from '../core/crypto.js';

/**
 * Signed media addresses: the one request that checks who may watch (the master playlist, behind the same
 * access check as the watch page) hands out addresses of the form
 * `/media/s/<expiry>.<scope>.<signature>/<videoId>/<hls folder>/<file>`; every later request of the play
 * (media playlists, init segments, segments) is answered from the signature alone — no session, no SQL.
 *
 * - scope `l`: a publicly listed video: cacheable by shared caches, and other sites' players may load it (CORS).
 * - scope `p`: an unlisted video (or a public one not yet listed), cacheable by shared caches, no CORS.
 *   For both, the expiry is rounded up to the hour so that every viewer of the hour gets the same
 *   addresses (one CDN entry per segment).
 * - scope `m`: everything else (members-only, early access, the team's drafts): `private` caching.
 *
 * A token lasts the video's length plus a margin, so a play that started never breaks half-way; a change
 * of visibility or a lapsed membership takes effect on the next play, at the latest when the token expires.
 * Each transcode writes a new folder, so a token never names files of another version.
 */
export type MediaScope = 'l' | 'p' | 'm';

/** Where signed media is served. */
export const SIGNED_MEDIA_ROOT = '/media/s';

const HOUR = 3600;
/** What a token lasts beyond the video's length: pauses, seeks back, a slow start. */
const PUBLIC_MARGIN_SECONDS = 6 * HOUR;
const PRIVATE_MARGIN_SECONDS = 2 * HOUR;
/** Private tokens are rounded too (5 min), so a member's repeated playlist loads stay cacheable by the browser. */
const PRIVATE_ROUNDING_SECONDS = 300;

/** The folder a token covers: `videos/<video id>/<hls folder>`, as the transcoder names it (`hls-<job>-<attempt>`). */
const FOLDER = /^videos\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,100}$/;
const TOKEN = /^([0-9]{1,12})\.([lpm])\.([A-Za-z0-9_-]{22})$/;
/** A file inside the folder: `720p/segment_00042.m4s`, `master.m3u8`; never `..`, never more than three levels. */
const FILE = /^[a-z0-9][a-z0-9_.-]{0,99}(\/[a-z0-9][a-z0-9_.-]{0,99}){0,2}$/i;

function signature(secret: string, folder: string, expiry: number, scope: MediaScope): string {
  // 128 bits are plenty for an address that expires within hours or days.
  return hmac(secret, `media|${folder}|${expiry}|${scope}`).slice(0, 22);
}

/** The expiry (Unix seconds) of a token minted at `now` for a video of `durationSeconds`. */
export function mediaTokenExpiry(now: Date, durationSeconds: number, scope: MediaScope): number {
  const length = Math.max(0, Math.ceil(Number.isFinite(durationSeconds) ? durationSeconds : 0));
  const at = Math.floor(now.getTime() / 1000);
  if (scope !== 'm') return Math.ceil((at + length + PUBLIC_MARGIN_SECONDS) / HOUR) * HOUR;
  return Math.ceil((at + length + PRIVATE_MARGIN_SECONDS) / PRIVATE_ROUNDING_SECONDS) * PRIVATE_ROUNDING_SECONDS;
}

/**
 * The signed base address of an HLS folder (`videos/<id>/hls-…`), to which the folder's relative paths are
 * appended; undefined for a folder named otherwise (then the checked addresses are the only ones).
 */
export function signedMediaBase(secret: string, folder: string, expiry: number, scope: MediaScope): string | undefined {
  if (!FOLDER.test(folder)) return undefined;
  const rest = folder.slice('videos/'.length);
  return `${SIGNED_MEDIA_ROOT}/${expiry}.${scope}.${signature(secret, folder, expiry, scope)}/${rest}/`;
}

/** What a valid signed address names: the storage key and how it may be cached. */
export interface VerifiedMedia {
  key: string;
  scope: MediaScope;
}

/**
 * Checks a signed address's parts (from `/media/s/:token/:videoId/:folder/:file`) against the secret and
 * the clock: the storage key it names, or `undefined` for a bad, forged or expired one (all answered alike).
 */
export function verifySignedMedia(secret: string, parts: { token: string; videoId: string; folder: string; file: string }, now: Date): VerifiedMedia | undefined {
  const token = TOKEN.exec(parts.token);
  if (!token) return undefined;
  const folder = `videos/${parts.videoId}/${parts.folder}`;
  if (!FOLDER.test(folder) || parts.file.length > 200 || !FILE.test(parts.file) || parts.file.includes('..')) return undefined;
  const expiry = Number(token[1]);
  const scope = token[2] as MediaScope;
  if (expiry * 1000 <= now.getTime()) return undefined;
  if (!safeEqual(token[3]!, signature(secret, folder, expiry, scope))) return undefined;
  return { key: `${folder}/${parts.file}`, scope };
}

/**
 * A master playlist with every relative address (rendition lines, `URI="…"` attributes) made to start with
 * `base`: the player then fetches media playlists and segments from the signed addresses, and the media
 * playlists' own relative segment names resolve under the same signed folder.
 */
export function signMasterPlaylist(text: string, base: string): string {
  const absolute = (uri: string) => (/^[a-z][a-z0-9+.-]*:|^\//i.test(uri) ? uri : `${base}${uri}`);
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (!trimmed) return line;
      if (!trimmed.startsWith('#')) return absolute(trimmed);
      return line.replace(/URI="([^"]*)"/g, (_all, uri: string) => `URI="${absolute(uri)}"`);
    })
    .join('\n');
}
