import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { assertSafeKey, joinPublicUrl, normalizePrefix } from './keys.js';
import { listFiles } from './list-files.js';
import { RangeNotSatisfiableError, type MediaStorage, type StoredFileInfo } from './media-storage.js';

/** Options of `createLocalStorage`. */
export interface LocalStorageOptions {
  /** Base URL that serves `root` directly (an nginx location or a CDN pulling from it), if any. */
  publicBaseUrl?: string;
}

/**
 * Files under `root`. Every write goes to a temp name in the target folder and is renamed into place,
 * so a reader (in this process or another) never sees half a file.
 */
export function createLocalStorage(root: string, options: LocalStorageOptions = {}): MediaStorage {
  const resolve = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  return {
    async put(key, body) {
      await writeAtomically(resolve(key), (temp) => writeFile(temp, body));
    },
    async putFile(key, localPath, putOptions) {
      if (putOptions?.move) {
        await writeAtomically(resolve(key), (temp) => moveFile(localPath, temp));
        return;
      }
      // copyFile lets the kernel copy (or reflink) without the bytes passing through this process.
      await writeAtomically(resolve(key), (temp) => copyFile(localPath, temp, constants.COPYFILE_FICLONE));
    },
    async putDirectory(prefix, localDir) {
      const files = await listFiles(localDir);
      for (const file of files) assertSafeKey(`${normalizePrefix(prefix)}/${file}`);
      await moveTree(localDir, resolve(normalizePrefix(prefix)), files);
    },
    async get(key, range) {
      const opened = await openLocalFile(resolve(key));
      if (!opened) return undefined;
      const { handle, info } = opened;
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? Infinity, info.size - 1);
      if (start >= info.size || start > end) {
        await handle.close();
        throw new RangeNotSatisfiableError(key, info.size);
      }
      const stream = handle.createReadStream({ start, end, highWaterMark: 256 * 1024 });
      return { ...info, start, end, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
    },
    async stat(key) {
      const info = await stat(resolve(key), { bigint: true }).catch(missingAsUndefined);
      return info?.isFile() ? fileInfo(info) : undefined;
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
    async deletePrefix(prefix) {
      const dir = resolve(normalizePrefix(prefix));
      // Only a folder: a file named exactly like the prefix is not "under" it (same as on S3).
      const info = await lstat(dir).catch(missingAsUndefined);
      if (info?.isDirectory()) await rm(dir, { recursive: true, force: true });
    },
    publicUrl(key) {
      assertSafeKey(key);
      return options.publicBaseUrl ? joinPublicUrl(options.publicBaseUrl, key) : undefined;
    },
    localPath: resolve,
  };
}

/**
 * Opens a regular file and reads its size, date and tag from the open descriptor, so what is then
 * read is the same file the headers describe even if it is replaced meanwhile. Undefined when missing.
 */
export async function openLocalFile(file: string): Promise<{ handle: FileHandle; info: StoredFileInfo } | undefined> {
  const handle = await open(file, 'r').catch(missingAsUndefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat({ bigint: true });
    if (info.isFile()) return { handle, info: fileInfo(info) };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}

/**
 * Size, date and tag of a regular file, or undefined when missing. Synchronous on purpose: it is the
 * one metadata lookup per served request, the kernel answers it from memory for a local disk (as it
 * does for nginx, which also stats synchronously), and a thread-pool round trip costs several times more.
 */
export function statLocalFileSync(file: string): StoredFileInfo | undefined {
  let info: BigIntStats | undefined;
  try {
    // throwIfNoEntry covers ENOENT only; a path through a file (ENOTDIR) is just as missing.
    info = statSync(file, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    return missingAsUndefined(error as NodeJS.ErrnoException);
  }
  return info?.isFile() ? fileInfo(info) : undefined;
}

/**
 * `openLocalFile` for the serving hot path: a blocking open and fstat (metadata the kernel has in
 * memory; nginx opens files the same way) save two thread-pool round trips per request. The caller
 * owns the descriptor and must close it.
 */
export function openLocalFileSync(file: string): { fd: number; info: StoredFileInfo } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return missingAsUndefined(error as NodeJS.ErrnoException);
  }
  try {
    const info = fstatSync(fd, { bigint: true });
    if (info.isFile()) return { fd, info: fileInfo(info) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  closeSync(fd);
  return undefined;
}

/**
 * The tag is inode, size and modification time: every process computes the same one from the same
 * file. The inode is what makes it safe: writes go to a temp file renamed into place, so a rewritten
 * file is a new inode even when the size is the same and the clock tick (a few ms) has not moved.
 */
export function fileInfo(info: BigIntStats): StoredFileInfo {
  return {
    size: Number(info.size),
    modified: new Date(Number(info.mtimeMs)),
    etag: `"${info.ino.toString(36)}-${info.size.toString(36)}-${info.mtimeNs.toString(36)}"`,
  };
}

async function writeAtomically(file: string, write: (temp: string) => Promise<unknown>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await write(temp);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Moves a folder into place: one rename when the target does not exist yet (the whole folder appears at
 * once), file by file into an existing one, and a copy when the two are on different filesystems.
 */
async function moveTree(from: string, to: string, files: string[]): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  const targetExists = await lstat(to).then(() => true, () => false);
  if (!targetExists) {
    try {
      await rename(from, to);
      // A folder made by mkdtemp is private (0700); media folders must be readable like the others
      // (by an nginx serving MEDIA_PUBLIC_URL, for one).
      await chmod(to, 0o755);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  for (const file of files) await writeAtomically(path.join(to, file), (temp) => moveFile(path.join(from, file), temp));
  await rm(from, { recursive: true, force: true });
}

/** A rename, or a copy then delete when the two paths are on different filesystems. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from);
  }
}

/** Codes that mean "no such file": a name longer than the file system allows names nothing either. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

function missingAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (MISSING.has(error.code ?? '')) return undefined;
  throw error;
}
