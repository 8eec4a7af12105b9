import { createHash } from 'node:crypto';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ArchiveError } from './errors.js';

/** Limits that stop a hostile archive before it fills the disk (a zip bomb) or escapes its folder. */
export interface ArchiveLimits {
  /** Sum of every entry's unpacked size. */
  readonly maxTotalBytes: number;
  /** Unpacked / packed size above which an entry larger than 1 MiB is refused. */
  readonly maxRatio: number;
  readonly maxEntries: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = { maxTotalBytes: 500 * 1024 ** 3, maxRatio: 200, maxEntries: 1_000_000 };

export interface ArchiveEntry {
  readonly path: string;
  readonly size: number;
}

/** An opened ZIP archive whose central directory was read and checked; entries are read one at a time. */
export interface ArchiveReader {
  readonly entries: ReadonlyMap<string, ArchiveEntry>;
  /** The entry's bytes as a stream (sizes checked against the directory while reading). */
  open(path: string): Promise<Readable>;
  /** A small entry whole (JSON, NDJSON), refused above `maxBytes`. */
  readText(path: string, maxBytes?: number): Promise<string>;
  close(): void;
}

const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[^\\\0]+$/;

/**
 * Opens `file` and checks every entry's path and size before anything is read. Refusals: `not_an_archive`
 * (not a ZIP at all), `corrupt` (a ZIP that is damaged or truncated), `unsafe_path`, `zip_bomb` (an entry
 * compressed far more than media or text ever is), `too_large` (too many entries or bytes in all).
 */
export async function openArchive(file: string, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ArchiveReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings off: the names are checked here, so an unsafe one gets its own clear error.
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false }, (error, z) => (error ? reject(error) : resolve(z!))),
  ).catch(async (error: unknown) => {
    throw (await startsLikeZip(file)) ? corrupt(error) : new ArchiveError('not_an_archive', { detail: 'not a ZIP file' }, { cause: error });
  });
  const entries = new Map<string, ArchiveEntry & { raw: yauzl.Entry }>();
  try {
    if (zip.entryCount > limits.maxEntries) throw new ArchiveError('too_large', { detail: `${zip.entryCount} entries` });
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(error instanceof ArchiveError ? error : corrupt(error)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as unknown as Buffer).toString('utf8') : String(entry.fileName);
          if (!SAFE_PATH.test(name)) throw new ArchiveError('unsafe_path', { path: name.slice(0, 200) });
          if (!name.endsWith('/')) {
            total += entry.uncompressedSize;
            if (total > limits.maxTotalBytes) throw new ArchiveError('too_large', { detail: `${total} bytes` });
            if (entry.uncompressedSize > 1024 ** 2 && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) {
              throw new ArchiveError('zip_bomb', { detail: `${name.slice(0, 200)}: ${entry.uncompressedSize} bytes from ${entry.compressedSize}` });
            }
            entries.set(name, { path: name, size: entry.uncompressedSize, raw: entry });
          }
          zip.readEntry();
        } catch (error) {
          reject(error);
        }
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  const open = (path: string) =>
    new Promise<Readable>((resolve, reject) => {
      const entry = entries.get(path);
      if (!entry) return reject(new ArchiveError('not_an_archive', { detail: `${path} is missing` }));
      zip.openReadStream(entry.raw, (error, stream) => (error ? reject(corrupt(error)) : resolve(stream!)));
    });
  return {
    entries,
    open,
    async readText(path, maxBytes = 256 * 1024 ** 2) {
      const entry = entries.get(path);
      if (!entry) throw new ArchiveError('not_an_archive', { detail: `${path} is missing` });
      if (entry.size > maxBytes) throw new ArchiveError('too_large', { detail: `${path}: ${entry.size} bytes` });
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of await open(path)) chunks.push(chunk as Buffer);
      } catch (error) {
        throw error instanceof ArchiveError ? error : corrupt(error);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => zip.close(),
  };
}

/** SHA-256 (hex) and size of a stream, read to its end. */
export async function digest(stream: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Whether the file begins as a ZIP does (a local file header, or the end record of an empty ZIP). */
export async function startsLikeZip(file: string): Promise<boolean> {
  const handle = await openFile(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && (head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50);
  } finally {
    await handle.close();
  }
}

function corrupt(error: unknown): ArchiveError {
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveError('corrupt', { detail: message.slice(0, 200) }, { cause: error });
}
