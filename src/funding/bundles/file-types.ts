import { open } from 'node:fs/promises';

/**
 * What may go in a bundle, by declared type: audio, video, images, PDF, EPUB and ZIP archives. The first
 * bytes must agree with the type (a renamed executable is refused), so fans get what the page says.
 */
const SIGNATURES: { types: RegExp; ok: (head: Buffer) => boolean }[] = [
  { types: /^application\/pdf$/, ok: (h) => h.subarray(0, 5).toString('latin1') === '%PDF-' },
  { types: /^application\/(zip|x-zip-compressed|epub\+zip)$/, ok: (h) => h[0] === 0x50 && h[1] === 0x4b },
  { types: /^image\/png$/, ok: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { types: /^image\/jpeg$/, ok: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { types: /^image\/gif$/, ok: (h) => h.subarray(0, 4).toString('latin1') === 'GIF8' },
  { types: /^image\/webp$/, ok: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP' },
  { types: /^(audio|video)\/(mp4|x-m4a|m4a|quicktime|x-m4v)$/, ok: (h) => h.subarray(4, 8).toString('latin1') === 'ftyp' },
  { types: /^audio\/(mpeg|mp3)$/, ok: (h) => h.subarray(0, 3).toString('latin1') === 'ID3' || (h[0] === 0xff && (h[1]! & 0xe0) === 0xe0) },
  { types: /^audio\/(flac|x-flac)$/, ok: (h) => h.subarray(0, 4).toString('latin1') === 'fLaC' },
  { types: /^(audio|video)\/(ogg|opus)$/, ok: (h) => h.subarray(0, 4).toString('latin1') === 'OggS' },
  { types: /^audio\/(wav|x-wav|wave)$/, ok: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WAVE' },
  { types: /^(audio|video)\/webm$|^video\/x-matroska$/, ok: (h) => h.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
];

/** True when `type` is a kind of file bundles accept. */
export function bundleTypeAllowed(type: string): boolean {
  return SIGNATURES.some((s) => s.types.test(type.toLowerCase()));
}

/** True when the bytes of `file` begin as files of `type` do. */
export async function contentMatchesType(file: string, type: string): Promise<boolean> {
  const rule = SIGNATURES.find((s) => s.types.test(type.toLowerCase()));
  if (!rule) return false;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return rule.ok(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** A name safe in every file system, URL path and ZIP: letters, digits, spaces, `._()-`; at most 150 characters. */
export function safeFilename(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._()-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .trim();
  const trimmed = cleaned.length > 150 ? cleaned.slice(cleaned.length - 150).replace(/^[^A-Za-z0-9]+/, '') : cleaned;
  return trimmed || 'file';
}
