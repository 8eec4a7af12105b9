import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3StorageOptions } from '../../src/core/storage/s3.js';

/** A running in-process S3-compatible server with one empty bucket; `close` stops it and removes its files. */
export interface TestS3Server {
  options: S3StorageOptions;
  close(): Promise<void>;
}

/**
 * Starts s3rver on a free loopback port with a temp folder, for tests that need a real S3 API (real
 * signatures, real XML, real errors) without a network. Tests only: s3rver is a dev dependency.
 */
export async function startTestS3Server(): Promise<TestS3Server> {
  // The SDK warns once per process that it will need Node 22 from 2027; tests need not repeat it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const directory = await mkdtemp(path.join(os.tmpdir(), 'fanfare-s3-'));
  const bucket = 'fanfare-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  return {
    options: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket,
      // s3rver's fixed credentials; it checks request signatures with them.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
