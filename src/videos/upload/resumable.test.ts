import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Job } from '../../core/jobs/index.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createTestSite, type TestSite } from '../../../test/support/harness.js';
import { filesUnder, makeTestSource, tempFolder } from '../../../test/support/media.js';
import { tusCreate, tusOffset, tusPatch } from '../../../test/support/tus.js';
import { ffmpegBinaries, transcodeVideoHandler } from '../transcode-job.js';
import { UPLOAD_HEAD_BYTES } from './tus.js';

const MP4 = { filename: 'clip.mp4', filetype: 'video/mp4', channel: 'camille' };

const files = filesUnder;

describe('video uploads: early refusal, nothing left behind', () => {
  let site: TestSite;
  let owner: TestClient;
  let source: Uint8Array;
  let removeTemp: () => Promise<void>;
  let uploads = '';

  before(async () => {
    site = await createTestSite({ env: { MAX_UPLOAD_MB: '50' } });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    await owner.get('/studio');
    const temp = await tempFolder('upload-test');
    removeTemp = temp.remove;
    source = readFileSync(await makeTestSource(ffmpegBinaries(site.deps.config).ffmpeg, temp.dir, 'clip.mp4', { width: 160, height: 120, seconds: 1, fps: 10 }));
    uploads = path.join(site.deps.config.dataDir, 'uploads');
  });
  after(async () => {
    await removeTemp();
    await site.close();
  });

  it('refuses a file that is no video as soon as its first megabytes arrive, not after the whole file', async () => {
    const declared = 40 * 1024 * 1024;
    const { res, location } = await tusCreate(owner, declared, MP4);
    assert.equal(res.status, 201);
    const junk = new Uint8Array(Buffer.from('this is not a video, only words. '.repeat(Math.ceil((UPLOAD_HEAD_BYTES + 4096) / 33)))).subarray(0, UPLOAD_HEAD_BYTES + 4096);
    const refused = await tusPatch(owner, location!, 0, junk);
    assert.equal(refused.status, 422, 'refused after a tenth of the declared size');
    assert.match((await refused.json()).error.message, /not a video or audio file/);
    assert.deepEqual(files(uploads), [], 'neither the partial file nor its metadata stays');
    assert.equal((await owner.request(location!, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } })).status, 404);
  });

  it('probes the beginning of a video sent in pieces, then takes it, and leaves no metadata file behind', async () => {
    const { location } = await tusCreate(owner, source.length, MP4);
    const half = Math.floor(source.length / 2);
    assert.equal((await tusPatch(owner, location!, 0, source.subarray(0, half))).status, 204);
    assert.equal(await tusOffset(owner, location!), half);
    const done = await tusPatch(owner, location!, half, source.subarray(half));
    assert.equal(done.status, 200, await done.clone().text());
    const { videoId } = await done.json();
    assert.ok(videoId);
    assert.deepEqual(files(uploads), [], 'the finished upload left nothing in DATA_DIR/uploads');
  });

  it('removes what a failed transcode attempt had already copied to storage (its partial prefix)', async () => {
    const [video] = await site.deps.db.query<{ id: string }>('SELECT id FROM videos');
    const stored = path.join(site.deps.config.dataDir, 'media', 'videos', video!.id);
    let copied = 0;
    const storage = Object.create(site.deps.storage) as typeof site.deps.storage;
    storage.putDirectory = async (prefix, dir) => {
      await site.deps.storage.putDirectory(prefix, dir);
      copied = files(path.join(stored)).filter((f) => f.startsWith('hls-')).length;
      throw new Error('storage went away half-way');
    };
    const handler = transcodeVideoHandler({ ...site.deps, storage });
    const job = { id: 41, type: 'video.transcode', payload: { videoId: video!.id }, attempts: 1, maxAttempts: 3 } as Job;
    await assert.rejects(handler({ job, signal: new AbortController().signal, reportProgress: async () => {} }), /half-way/);
    assert.ok(copied > 0, 'the attempt had copied its renditions');
    assert.deepEqual(files(stored).filter((f) => f.startsWith('hls-')), [], 'and they are gone');
    const [row] = await site.deps.db.query<{ status: string; hls_prefix: string | null }>('SELECT status, hls_prefix FROM videos WHERE id = $1', [video!.id]);
    assert.equal(row!.hls_prefix, null, 'the row never pointed at them');
  });
});
