import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createS3Storage } from './s3.js';
import { startTestS3Server, type TestS3Server } from '../../../test/fakes/s3-server.js';

describe('S3 media storage', () => {
  let server: TestS3Server;
  before(async () => {
    server = await startTestS3Server();
  });
  after(() => server.close());

  it('stores objects with the content type and cache policy that serve.ts would send', async () => {
    const storage = createS3Storage(server.options);
    await storage.put('videos/v1/720p/seg-00001.m4s', new Uint8Array([1, 2, 3]));
    await storage.put('videos/v1/master.m3u8', new TextEncoder().encode('#EXTM3U\n'));
    const { endpoint, region, forcePathStyle, accessKeyId, secretAccessKey, bucket } = server.options;
    const client = new S3Client({ endpoint, region, forcePathStyle, credentials: { accessKeyId, secretAccessKey } });
    const segment = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'videos/v1/720p/seg-00001.m4s' }));
    assert.equal(segment.ContentType, 'video/iso.segment');
    assert.equal(segment.CacheControl, 'public, max-age=31536000, immutable');
    const playlist = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'videos/v1/master.m3u8' }));
    assert.equal(playlist.ContentType, 'application/vnd.apple.mpegurl');
    assert.equal(playlist.CacheControl, 'public, max-age=10');
  });

  it('reports a server that cannot be reached as an error, not as a missing file', async () => {
    const storage = createS3Storage({ ...server.options, endpoint: 'http://127.0.0.1:1' });
    await assert.rejects(storage.stat('videos/v1/master.m3u8'));
    await assert.rejects(storage.get('videos/v1/master.m3u8'));
  });
});
