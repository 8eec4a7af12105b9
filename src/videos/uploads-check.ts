import type { MessageKey } from '../core/i18n/index.js';

export const MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024;
export const MAX_CAPTION_BYTES = 2 * 1024 * 1024;

type Checked<T> = ({ ok: true } & T) | { ok: false; error: MessageKey };

/** A custom thumbnail: a PNG, JPEG or WebP by its bytes, 5 MB at most. */
export async function checkThumbnail(file: unknown): Promise<Checked<{ bytes: Uint8Array; ext: string }>> {
  if (!(file instanceof File) || file.size === 0) return { ok: false, error: 'video.thumbnail_missing' };
  if (file.size > MAX_THUMBNAIL_BYTES) return { ok: false, error: 'video.thumbnail_too_large' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  const ext =
    bytes[0] === 0x89 && ascii(1, 4) === 'PNG'
      ? 'png'
      : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
        ? 'jpg'
        : ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP'
          ? 'webp'
          : undefined;
  if (!ext) return { ok: false, error: 'video.thumbnail_not_image' };
  return { ok: true, bytes, ext };
}

/**
 * Captions must be WebVTT (the format browsers play): UTF-8, starting with "WEBVTT", with at least one
 * well-formed cue timing line. SRT files are refused with a message saying so.
 */
export async function checkWebVtt(file: unknown): Promise<Checked<{ bytes: Uint8Array }>> {
  if (!(file instanceof File) || file.size === 0) return { ok: false, error: 'video.caption_missing' };
  if (file.size > MAX_CAPTION_BYTES) return { ok: false, error: 'video.caption_too_large' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: 'video.caption_not_vtt' };
  }
  const body = text.replace(/^\uFEFF/, '');
  if (!/^WEBVTT(?:[ \t][^\n]*)?\r?\n/.test(body + '\n')) return { ok: false, error: 'video.caption_not_vtt' };
  if (!/(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}/.test(body)) return { ok: false, error: 'video.caption_no_cues' };
  return { ok: true, bytes };
}
