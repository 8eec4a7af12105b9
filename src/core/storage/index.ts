import { createLocalStorage } from './local.js';
import type { MediaStorage } from './media-storage.js';
import type { S3StorageOptions } from './s3.js';

export { assertSafeKey, isSafeKey } from './keys.js';
export { createLocalStorage, type LocalStorageOptions } from './local.js';
export { RangeNotSatisfiableError, type ByteRange, type MediaStorage, type PutFileOptions, type StoredFile, type StoredFileInfo } from './media-storage.js';
export { CACHE_IMMUTABLE, CACHE_PLAYLIST, CACHE_SHORT, cacheControlFor, contentTypeFor, privateCacheControl } from './media-types.js';
export type { S3StorageOptions } from './s3.js';
export { createFileCache, type FileCache, type FileCacheOptions } from './file-cache.js';
export { serveStoredFile, sharedFileCache, type ServeStoredFileOptions } from './serve.js';

/**
 * Which storage adapter to build: files under a local folder, or an S3-compatible bucket.
 * `publicBaseUrl` (both kinds) makes `publicUrl(key)` return links straight to the files.
 */
export type StorageOptions = { kind: 'local'; root: string; publicBaseUrl?: string } | ({ kind: 's3' } & S3StorageOptions);

/**
 * Builds the media storage the options describe. The S3 adapter is imported only when asked for, so
 * processes on local disk never load the AWS SDK.
 */
export async function createStorage(options: StorageOptions): Promise<MediaStorage> {
  if (options.kind === 'local') return createLocalStorage(options.root, { publicBaseUrl: options.publicBaseUrl });
  const { kind: _kind, ...s3 } = options;
  const { createS3Storage } = await import('./s3.js');
  return createS3Storage(s3);
}
