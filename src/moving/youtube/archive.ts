/**
 * Reading a Takeout archive without trusting it: a ZIP (streamed with yauzl, entry sizes checked against
 * what was declared) or a folder it was already unpacked into. Refused before anything is imported:
 * an entry path that is absolute or climbs out (`../`), more than MAX_ENTRIES entries, a total declared
 * size above the limit, an entry far more compressed than media ever is (a zip bomb), a corrupted or
 * truncated ZIP.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export type TakeoutProblem = 'not_an_archive' | 'unsafe_path' | 'too_large' | 'zip_bomb' | 'corrupted' | 'no_metadata' | 'bad_metadata' | 'missing_file' | 'not_media' | 'no_videos';

/** Why an archive cannot be imported; `detail` names the entry or row (for the log and the CLI). */
export class TakeoutError extends Error {
  constructor(readonly problem: TakeoutProblem, readonly detail: string, options?: { cause?: unknown }) {
    super(`${problem}: ${detail}`, options);
    this.name = 'TakeoutError';
  }
}

export const MAX_ENTRIES = 20_000;
/** No real video compresses 200:1; a ZIP entry that does (and is not tiny) is a bomb. */
const MAX_RATIO = 200;

export interface ArchiveEntry {
  /** The path inside the archive, with `/` separators, never absolute, never climbing out. */
  path: string;
  size: number;
}

export interface TakeoutArchive {
  entries: ArchiveEntry[];
  /** The entry's text, at most `maxBytes` (a larger one is refused). */
  readText(entry: ArchiveEntry, maxBytes: number): Promise<string>;
  /** Writes the entry to `dest`; its size must be what the archive declared. */
  extract(entry: ArchiveEntry, dest: string): Promise<void>;
  close(): void;
}

/** A path inside the archive, normalized, or a TakeoutError when it is unsafe. */
export function safeEntryPath(name: string): string {
  const p = name.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').some((part) => part === '..') || p.includes('\0')) throw new TakeoutError('unsafe_path', name);
  return p.replace(/^(\.\/)+/, '');
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (error, zip) => {
      if (error || !zip) reject(new TakeoutError('not_an_archive', path.basename(file), { cause: error }));
      else resolve(zip);
    });
  });
}

async function zipArchive(file: string, maxTotalBytes: number): Promise<TakeoutArchive> {
  const zip = await openZip(file);
  const byPath = new Map<string, yauzl.Entry>();
  const entries: ArchiveEntry[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => {
        // yauzl refuses `../` and absolute entry names itself.
        const unsafe = /invalid relative path|absolute path|invalid characters in fileName/.test(error.message);
        reject(error instanceof TakeoutError ? error : new TakeoutError(unsafe ? 'unsafe_path' : 'corrupted', error.message, { cause: error }));
      });
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          if (entries.length >= MAX_ENTRIES) throw new TakeoutError('too_large', `more than ${MAX_ENTRIES} entries`);
          const p = safeEntryPath(entry.fileName);
          if (!p.endsWith('/')) {
            total += entry.uncompressedSize;
            if (total > maxTotalBytes) throw new TakeoutError('too_large', `more than ${maxTotalBytes} bytes`);
            if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > MAX_RATIO * Math.max(1, entry.compressedSize)) throw new TakeoutError('zip_bomb', p);
            byPath.set(p, entry);
            entries.push({ path: p, size: entry.uncompressedSize });
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
  const stream = (entry: ArchiveEntry) =>
    new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      zip.openReadStream(byPath.get(entry.path)!, (error, s) => (error || !s ? reject(new TakeoutError('corrupted', entry.path, { cause: error })) : resolve(s)));
    });
  return {
    entries,
    async readText(entry, maxBytes) {
      if (entry.size > maxBytes) throw new TakeoutError('too_large', entry.path);
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of await stream(entry)) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) throw new TakeoutError('too_large', entry.path);
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        throw error instanceof TakeoutError ? error : new TakeoutError('corrupted', entry.path, { cause: error });
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    async extract(entry, dest) {
      try {
        await pipeline(await stream(entry), createWriteStream(dest, { flags: 'wx' }));
      } catch (error) {
        throw error instanceof TakeoutError ? error : new TakeoutError('corrupted', entry.path, { cause: error });
      }
    },
    close: () => zip.close(),
  };
}

async function folderArchive(dir: string, maxTotalBytes: number): Promise<TakeoutArchive> {
  const entries: ArchiveEntry[] = [];
  let total = 0;
  for (const name of await readdir(dir, { recursive: true })) {
    const full = path.join(dir, name);
    const info = await stat(full);
    if (!info.isFile()) continue;
    if (entries.length >= MAX_ENTRIES) throw new TakeoutError('too_large', `more than ${MAX_ENTRIES} files`);
    total += info.size;
    if (total > maxTotalBytes) throw new TakeoutError('too_large', `more than ${maxTotalBytes} bytes`);
    entries.push({ path: name.split(path.sep).join('/'), size: info.size });
  }
  const full = (entry: ArchiveEntry) => path.join(dir, ...entry.path.split('/'));
  return {
    entries,
    async readText(entry, maxBytes) {
      if (entry.size > maxBytes) throw new TakeoutError('too_large', entry.path);
      return readFile(full(entry), 'utf8');
    },
    extract: (entry, dest) => copyFile(full(entry), dest),
    close: () => undefined,
  };
}

/** Opens a Takeout ZIP or unpacked folder (see the file comment). */
export async function openTakeout(file: string, maxTotalBytes: number): Promise<TakeoutArchive> {
  const info = await stat(file).catch((cause: unknown) => {
    throw new TakeoutError('not_an_archive', path.basename(file), { cause });
  });
  return info.isDirectory() ? folderArchive(file, maxTotalBytes) : zipArchive(file, maxTotalBytes);
}
