import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Where media files live. Local disk by default; other adapters (S3) implement the same shape. */
export interface MediaStorage {
  put(key: string, body: Uint8Array): Promise<void>;
  /** A readable body and its size, or undefined when the key does not exist. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; modified: Date } | undefined>;
  delete(key: string): Promise<void>;
}

/** Keys are relative paths of safe segments; anything that could climb out of the root is refused. */
export function assertSafeKey(key: string): void {
  if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i.test(key) || key.includes('..')) {
    throw new Error(`unsafe storage key: ${key}`);
  }
}

/** Files under `root`; writes go to a temp name then rename, so a reader never sees half a file. */
export function createLocalStorage(root: string): MediaStorage {
  const resolve = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  return {
    async put(key, body) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, body);
      await rename(temp, file);
    },
    async get(key) {
      const file = resolve(key);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return {
        body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
        size: info.size,
        modified: info.mtime,
      };
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
  };
}
