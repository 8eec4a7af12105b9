import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** Where the default podcast artwork is served. */
export const DEFAULT_COVER_PATH = '/feeds/cover.png';

/** Apple Podcasts wants square artwork of 1400 to 3000 pixels, PNG or JPEG. */
const SIZE = 1400;
// The site's accent colour (--accent in web/style.css).
const COLOUR = [0x6b, 0x2b, 0xd9] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A plain square in the site colour, for podcast apps when a channel has no avatar. Encoded once. */
function encodeCover(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per sample, truecolour, deflate, no filter, no interlace
  const row = Buffer.alloc(1 + SIZE * 3);
  for (let x = 0; x < SIZE; x++) row.set(COLOUR, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: SIZE }, () => row));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

let cached: { body: Uint8Array<ArrayBuffer>; etag: string } | undefined;

/** The default cover's bytes and a strong ETag for them. */
export function defaultCover(): { body: Uint8Array<ArrayBuffer>; etag: string } {
  if (!cached) {
    const body = new Uint8Array(encodeCover());
    cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
  }
  return cached;
}
