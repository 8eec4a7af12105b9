import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, joinPublicUrl, normalizePrefix } from './keys.js';
import { listFiles } from './list-files.js';
import { RangeNotSatisfiableError, type MediaStorage, type PutFileOptions, type StoredFileInfo } from './media-storage.js';
import { cacheControlFor, contentTypeFor } from './media-types.js';

/** Where an S3-compatible bucket is and how to sign in to it (AWS, MinIO, Garage, R2, B2, Scaleway…). */
export interface S3StorageOptions {
  /** `https://s3.example.com`; omit for AWS itself, where the region picks the endpoint. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path instead of the host name; most self-hosted servers (MinIO, Garage) need it. */
  forcePathStyle?: boolean;
  /** Base URL that serves the bucket publicly (the bucket's website or a CDN in front of it), if any. */
  publicBaseUrl?: string;
  /**
   * When the SDK adds CRC checksums to uploads. Since SDK 3.729 the default ('WHEN_SUPPORTED') sends
   * streamed bodies as `aws-chunked` with a trailing checksum, which many S3-compatible servers store
   * verbatim, corrupting the file; so we default to 'WHEN_REQUIRED', which AWS S3 accepts too.
   */
  checksums?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
}

// Parts of 16 MiB, four at a time: a multi-gigabyte original uploads with 64 MiB of memory at most.
const PART_SIZE = 16 * 1024 * 1024;
const PART_QUEUE = 4;
// Files of a transcode folder uploaded at the same time.
const DIRECTORY_CONCURRENCY = 8;

/**
 * Media in an S3-compatible bucket. Objects are stored with the Content-Type and Cache-Control that
 * serve.ts would send, so a player pointed at `publicUrl` gets the same answers straight from the
 * bucket or CDN.
 */
export function createS3Storage(options: S3StorageOptions): MediaStorage {
  const checksums = options.checksums ?? 'WHEN_REQUIRED';
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
  });
  const Bucket = options.bucket;
  const objectHeaders = (key: string) => ({ ContentType: contentTypeFor(key), CacheControl: cacheControlFor(key) });

  const putFile = async (key: string, localPath: string, putOptions?: PutFileOptions) => {
    assertSafeKey(key);
    const upload = new Upload({
      client,
      params: { Bucket, Key: key, Body: createReadStream(localPath), ...objectHeaders(key) },
      partSize: PART_SIZE,
      queueSize: PART_QUEUE,
    });
    await upload.done();
    if (putOptions?.move) await rm(localPath, { force: true });
  };

  const stat = async (key: string): Promise<StoredFileInfo | undefined> => {
    assertSafeKey(key);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: key })).catch(missingAsUndefined);
    if (!head) return undefined;
    return { size: head.ContentLength ?? 0, modified: head.LastModified ?? new Date(0), etag: head.ETag ?? '""' };
  };

  return {
    async put(key, body) {
      assertSafeKey(key);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ...objectHeaders(key) }));
    },
    putFile,
    async putDirectory(prefix, localDir) {
      const base = normalizePrefix(prefix);
      const files = await listFiles(localDir);
      for (const file of files) assertSafeKey(`${base}/${file}`);
      // Playlists go last, so a player reading the public URL never sees one whose segments are missing.
      const upload = (file: string) => putFile(`${base}/${file}`, path.join(localDir, file));
      await eachConcurrently(files.filter((f) => !f.endsWith('.m3u8')), DIRECTORY_CONCURRENCY, upload);
      await eachConcurrently(files.filter((f) => f.endsWith('.m3u8')), DIRECTORY_CONCURRENCY, upload);
      // Same contract as the local adapter: the folder is consumed.
      await rm(localDir, { recursive: true, force: true });
    },
    async get(key, range) {
      assertSafeKey(key);
      const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
      let object: GetObjectCommandOutput | undefined;
      try {
        object = await client.send(new GetObjectCommand({ Bucket, Key: key, Range }));
      } catch (error) {
        if (statusOf(error) !== 416) return missingAsUndefined(error);
        const info = await stat(key);
        if (!info) return undefined;
        throw new RangeNotSatisfiableError(key, info.size);
      }
      if (!object.Body) return undefined;
      const span = parseContentRange(object.ContentRange) ?? { start: 0, end: (object.ContentLength ?? 0) - 1, size: object.ContentLength ?? 0 };
      return {
        size: span.size,
        start: span.start,
        end: span.end,
        modified: object.LastModified ?? new Date(0),
        etag: object.ETag ?? '""',
        body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>,
      };
    },
    stat,
    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async deletePrefix(prefix) {
      const Prefix = `${normalizePrefix(prefix)}/`;
      // Delete page by page: each listing page is at most 1000 keys, the most DeleteObjects accepts.
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix }));
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length === 0) return;
        const result = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`deletePrefix ${Prefix}: ${result.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
        if (!page.IsTruncated) return;
      }
    },
    publicUrl(key) {
      assertSafeKey(key);
      return options.publicBaseUrl ? joinPublicUrl(options.publicBaseUrl, key) : undefined;
    },
  };
}

function parseContentRange(header: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = header && /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header);
  return match ? { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) } : undefined;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function missingAsUndefined(error: unknown): undefined {
  const name = (error as { name?: string })?.name;
  if (statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound') return undefined;
  throw error;
}

async function eachConcurrently<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
