/**
 * Reading a Takeout archive without trusting it: a ZIP (through portability's reader, the one channel
 * archives use: entry sizes checked against what was declared) or a folder it was already unpacked into.
 * Refused before anything is imported: an entry path that is absolute or climbs out (`../`), more than
 * MAX_ENTRIES entries, a total declared size above the limit, an entry far more compressed than media
 * ever is (a zip bomb), a corrupted or truncated ZIP, a file that is no ZIP at all.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ArchiveError, openArchive } from '../../portability/index.js';

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

/** The Takeout name of a refusal of portability's ZIP reader (which does the checks for both). */
function takeoutError(error: unknown, where: string): TakeoutError {
  if (error instanceof TakeoutError) return error;
  if (!(error instanceof ArchiveError)) return new TakeoutError('corrupted', where, { cause: error });
  const detail = String(error.vars?.detail ?? error.vars?.path ?? where);
  const same: readonly string[] = ['unsafe_path', 'zip_bomb', 'too_large', 'not_an_archive'] satisfies TakeoutProblem[];
  const problem = same.includes(error.problem) ? (error.problem as TakeoutProblem) : 'corrupted';
  return new TakeoutError(problem, detail, { cause: error });
}

/** A ZIP read through portability's reader: paths, sizes, ratios and entry count checked before any read. */
async function zipArchive(file: string, maxTotalBytes: number): Promise<TakeoutArchive> {
  const reader = await openArchive(file, { maxTotalBytes, maxRatio: MAX_RATIO, maxEntries: MAX_ENTRIES }).catch((error: unknown) => {
    throw takeoutError(error, path.basename(file));
  });
  return {
    entries: [...reader.entries.values()].map((e) => ({ path: e.path, size: e.size })),
    async readText(entry, maxBytes) {
      return reader.readText(entry.path, maxBytes).catch((error: unknown) => {
        throw takeoutError(error, entry.path);
      });
    },
    async extract(entry, dest) {
      try {
        await pipeline(await reader.open(entry.path), createWriteStream(dest, { flags: 'wx' }));
      } catch (error) {
        throw takeoutError(error, entry.path);
      }
    },
    close: () => reader.close(),
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
