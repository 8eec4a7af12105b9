import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, type TestSite } from '../../test/support/harness.js';

describe('a video that failed to transcode, in the Studio', () => {
  let site: TestSite;
  let owner: TestClient;
  const id = randomUUID();
  const raw = "Error: ENOENT: no such file or directory, open '/tmp/fanfare-transcode-4242-abc/source.mp4'\n    at /srv/fanfare/src/videos/transcode-job.ts:42:7";
  before(async () => {
    site = await createTestSite();
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const [channel] = await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    await site.deps.db.query(`INSERT INTO videos (id, short_id, channel_id, title, status, visibility, failure_message) VALUES ($1, 'Failed00001', $2, 'Broken', 'failed', 'draft', $3)`, [id, channel!.id, raw]);
  });
  after(() => site.close());

  it('shows a translated message and keeps server paths and stack frames out of the page and the status', async () => {
    const { res, html } = await owner.get(`/studio/videos/${id}`);
    assert.equal(res.status, 200);
    assert.match(html, /could not be prepared/);
    assert.match(html, new RegExp(`server log, under the video id ${id}`));
    assert.doesNotMatch(html, /\/tmp\/|\/srv\/|ENOENT|transcode-job\.ts/);
    const status = (await (await owner.request(`/studio/videos/${id}/status`)).json()) as { status: string; text: string };
    assert.equal(status.status, 'failed');
    assert.doesNotMatch(status.text, /\/tmp\/|ENOENT/);
  });
});
