/** Options of `createFileCache`. */
export interface FileCacheOptions {
  /** Total bytes kept in memory, across all files. */
  maxBytes: number;
  /** Files larger than this are never kept (originals, long progressive MP4s). */
  maxFileBytes: number;
}

/**
 * Bytes of recently served local files, in memory, each under the entity tag it had when read.
 * It never answers on its own: the caller stats the file first and asks for that exact tag, so a file
 * rewritten by any process (write-then-rename gives it a new tag) is never served stale.
 */
export interface FileCache {
  readonly maxFileBytes: number;
  /** The bytes stored for `path` under `etag`, or undefined (a miss, or an older version). */
  get(path: string, etag: string): Buffer<ArrayBuffer> | undefined;
  /** Keeps `bytes` (if small enough), evicting the least recently used files beyond `maxBytes`. */
  set(path: string, etag: string, bytes: Buffer<ArrayBuffer>): void;
  /** Changes the memory budget; 0 turns the cache off. */
  resize(maxBytes: number): void;
}

/** A least-recently-used cache bounded by total bytes (a `Map` keeps insertion order; a hit re-inserts). */
export function createFileCache(options: FileCacheOptions): FileCache {
  let maxBytes = options.maxBytes;
  let total = 0;
  const entries = new Map<string, { etag: string; bytes: Buffer<ArrayBuffer> }>();
  const evict = () => {
    for (const [path, entry] of entries) {
      if (total <= maxBytes) return;
      entries.delete(path);
      total -= entry.bytes.length;
    }
  };
  return {
    maxFileBytes: options.maxFileBytes,
    get(path, etag) {
      const entry = entries.get(path);
      if (!entry || entry.etag !== etag) return undefined;
      entries.delete(path);
      entries.set(path, entry);
      return entry.bytes;
    },
    set(path, etag, bytes) {
      const old = entries.get(path);
      if (old) {
        entries.delete(path);
        total -= old.bytes.length;
      }
      if (bytes.length > options.maxFileBytes || bytes.length > maxBytes) return;
      entries.set(path, { etag, bytes });
      total += bytes.length;
      evict();
    },
    resize(bytes) {
      maxBytes = bytes;
      evict();
    },
  };
}
