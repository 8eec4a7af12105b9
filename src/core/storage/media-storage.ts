/** What `stat` and `get` say about a stored file. */
export interface StoredFileInfo {
  /** Size of the whole file in bytes, also when `get` returned only a range of it. */
  size: number;
  modified: Date;
  /**
   * A strong entity tag, quoted as HTTP wants it (`"…"`). Two processes reading the same file get
   * the same tag, so it can be sent to browsers and CDNs as is.
   */
  etag: string;
}

/** Options of `MediaStorage.putFile`. */
export interface PutFileOptions {
  move?: boolean;
}

/** An inclusive byte range, as HTTP counts: `{ start: 0, end: 99 }` is the first 100 bytes. */
export interface ByteRange {
  start: number;
  /** Last byte wanted; past the end of the file (or absent) means "to the end". */
  end?: number;
}

/** A readable file, or the part of it that was asked for. */
export interface StoredFile extends StoredFileInfo {
  body: ReadableStream<Uint8Array>;
  /** First and last byte offsets (inclusive) that `body` holds; `0` and `size - 1` for a whole file. */
  start: number;
  end: number;
}

/**
 * Where media files live: HLS playlists and segments, posters, storyboards, captions and originals.
 * Local disk by default (local.ts); S3-compatible buckets (s3.ts) implement the same shape, and the
 * shared contract test (test/contracts/media-storage.test.ts) holds both to the same behaviour.
 *
 * Keys are `/`-separated relative paths checked by `assertSafeKey`; a bad key throws before any I/O.
 */
export interface MediaStorage {
  /** Stores small bytes in one go; readers see the old file or the new one, never half of one. */
  put(key: string, body: Uint8Array): Promise<void>;
  /**
   * Stores a file from local disk without loading it into memory (originals can be gigabytes). The
   * source is copied and left in place, unless `move` is set: then it is consumed, by a rename when
   * local storage is on the same filesystem (no copy at all), else by deleting it after the upload.
   */
  putFile(key: string, localPath: string, options?: PutFileOptions): Promise<void>;
  /**
   * Stores every file under `localDir` as `prefix/<relative path>` (a finished transcode folder).
   * `localDir` is consumed: on local disk it is moved (a rename when on the same filesystem), and
   * callers must not rely on it existing afterwards.
   */
  putDirectory(prefix: string, localDir: string): Promise<void>;
  /**
   * The file (or `range` of it), or undefined when the key does not exist. A range starting at or past
   * the end throws `RangeNotSatisfiableError`.
   */
  get(key: string, range?: ByteRange): Promise<StoredFile | undefined>;
  /** Size, date and entity tag, or undefined when the key does not exist. */
  stat(key: string): Promise<StoredFileInfo | undefined>;
  /** Removes one file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every file under `prefix/` (a whole video's renditions). The empty prefix is refused. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * The URL a browser can fetch the file from without going through Fanfare, when a public or CDN base
   * URL is configured; undefined otherwise. It does not check that the file exists, and it is only
   * right for public files: members-only media must still go through a route that checks access.
   */
  publicUrl(key: string): string | undefined;
  /**
   * Set only by adapters whose files are on this machine's disk: the absolute path of a key, so the
   * HTTP layer (serve.ts) can stream it with the fewest copies. Validates the key like every method.
   */
  localPath?(key: string): string;
}

/** Thrown by `get` when the asked range starts at or past the end of the file; carries the real size. */
export class RangeNotSatisfiableError extends Error {
  override name = 'RangeNotSatisfiableError';
  constructor(
    readonly key: string,
    readonly size: number,
  ) {
    super(`range not satisfiable for ${key} (size ${size})`);
  }
}
