import { randomUUID } from 'node:crypto';
import type { MessageKey } from '../core/i18n/index.js';

export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

const SIGNATURES: { ext: string; test: (b: Uint8Array) => boolean }[] = [
  { ext: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: 'gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  {
    ext: 'webp',
    test: (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
  },
];

export type AvatarCheck = { ok: true; bytes: Uint8Array; key: string } | { ok: false; error: MessageKey };

/**
 * Accepts an avatar only when its bytes are a PNG, JPEG, GIF or WebP image (the declared type and
 * file name are not trusted) and it fits the size limit. An empty file field means "no change".
 */
export async function checkAvatar(file: unknown): Promise<AvatarCheck | undefined> {
  if (!(file instanceof File) || file.size === 0) return undefined;
  if (file.size > MAX_AVATAR_BYTES) return { ok: false, error: 'channel.avatar_too_large' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = SIGNATURES.find((s) => bytes.length >= 12 && s.test(bytes));
  if (!kind) return { ok: false, error: 'channel.avatar_not_image' };
  return { ok: true, bytes, key: `avatars/${randomUUID()}.${kind.ext}` };
}

export const AVATAR_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};
