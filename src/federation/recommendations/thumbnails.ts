import type { FetchSettings } from './resolve.js';
import { safeFetch } from './safe-fetch.js';

/** Largest thumbnail copied from another site. */
export const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;

/** Image kinds kept, by extension, with the Content-Type they are served with. */
export const THUMBNAIL_TYPES = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const;
export type ThumbnailExtension = keyof typeof THUMBNAIL_TYPES;

/** The image kind the bytes really are (the remote Content-Type is not trusted), or undefined. */
export function sniffImage(bytes: Uint8Array): ThumbnailExtension | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** A checked copy of a remote thumbnail. */
export interface ThumbnailCopy {
  bytes: Uint8Array;
  extension: ThumbnailExtension;
}

/**
 * Downloads a thumbnail once, through the safe fetcher, and keeps it only when its bytes are a PNG,
 * JPEG or WebP image of at most 2 MiB. Anything else (an HTML error page, an SVG that could carry
 * script, a huge file, an unreachable host) gives undefined: a recommendation without a picture is
 * better than no recommendation.
 */
export async function downloadThumbnail(url: string, settings: FetchSettings = {}): Promise<ThumbnailCopy | undefined> {
  try {
    const response = await safeFetch(url, {
      ...settings,
      accept: 'image/webp, image/png, image/jpeg;q=0.9, image/*;q=0.5',
      maxBytes: MAX_THUMBNAIL_BYTES,
    });
    const extension = sniffImage(response.body);
    return extension ? { bytes: response.body, extension } : undefined;
  } catch {
    return undefined;
  }
}
