// Issue 10 D2: PeerTube's player loads a remote video's HLS from its own origin, so the media of publicly
// listed videos carry CORS and preflights are answered; members-only media keep their check and get none.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { after, before, describe, it } from 'node:test';
import type { AppEnv } from '../core/http/context.js';
import { createTestSite, type TestSite } from '../../test/support/harness.js';
import { MEDIA_CORS, withPublicMediaCors } from './media-cors.js';

const ORIGIN = 'https://peertube.example';

describe('CORS on the media of publicly listed videos (issue 10 D2)', () => {
  let site: TestSite;
  const ids: Record<'public' | 'members', string> = { public: '', members: '' };

  before(async () => {
    site = await createTestSite();
    const { db } = site.deps;
    await db.query(`INSERT INTO site (name) VALUES ('Test site')`);
    await db.query(`INSERT INTO users (email, display_name, site_role) VALUES ('owner@example.org', 'Camille', 'owner')`);
    const [channel] = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, description, language) VALUES ('camille', 'Camille', '', 'en') RETURNING id`);
    for (const visibility of ['public', 'members'] as const) {
      const shortId = randomUUID().replace(/-/g, '').slice(0, 11);
      const prefix = `videos/${shortId}/hls-1`;
      await db.query(
        `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, status, duration_seconds, width, height, hls_prefix, renditions, poster_key)
         VALUES ($1, $2, 'A film', '', '{}', 'en', 'cc_by', $3, 'ready', 10, 640, 360, $4, '[]', $5)`,
        [shortId, channel!.id, visibility, prefix, `${prefix}/poster.jpg`],
      );
      await site.deps.storage.put(`${prefix}/master.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
      await site.deps.storage.put(`${prefix}/360p/segment_00000.m4s`, new Uint8Array(64));
      ids[visibility] = shortId;
    }
  });
  after(() => site.close());

  const preflight = (path: string) =>
    site.app.request(path, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' } });

  it('answers a preflight for a public video’s playlist and segments, and sends CORS with them (ranges too)', async () => {
    for (const file of ['master.m3u8', '360p/segment_00000.m4s']) {
      const pre = await preflight(`/media/v/${ids.public}/${file}`);
      assert.equal(pre.status, 204, file);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /range/);
      assert.ok(Number(pre.headers.get('access-control-max-age')) > 0);
    }
    const playlist = await site.app.request(`/media/v/${ids.public}/master.m3u8`, { headers: { origin: ORIGIN } });
    assert.equal(playlist.status, 200);
    assert.equal(playlist.headers.get('access-control-allow-origin'), '*');
    const ranged = await site.app.request(`/media/v/${ids.public}/360p/segment_00000.m4s`, { headers: { origin: ORIGIN, range: 'bytes=0-9' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('access-control-allow-origin'), '*');
    assert.match(ranged.headers.get('access-control-expose-headers') ?? '', /content-range/);
  });

  it('gives members-only media no CORS: the preflight is 404 and so is the file, without the header', async () => {
    const pre = await preflight(`/media/v/${ids.members}/master.m3u8`);
    assert.equal(pre.status, 404);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const file = await site.app.request(`/media/v/${ids.members}/master.m3u8`, { headers: { origin: ORIGIN } });
    assert.equal(file.status, 404);
    assert.equal(file.headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight('/media/v/nosuchvideo1/master.m3u8')).status, 404);
  });

  it('adds nothing to a file served to an entitled viewer of a video that is not public', async () => {
    // The wrapper alone: the handler serves (as it does for a member or the owner), the video is not public.
    const app = new Hono<AppEnv>();
    app.get('/media/v/:shortId/:path{.+}', withPublicMediaCors(async (shortId) => shortId === 'listed', (c) => c.text('segment')));
    const members = await app.request('/media/v/members/master.m3u8', { headers: { origin: ORIGIN } });
    assert.equal(members.status, 200);
    for (const name of Object.keys(MEDIA_CORS)) assert.equal(members.headers.get(name), null, name);
    assert.equal((await app.request('/media/v/listed/master.m3u8')).headers.get('access-control-allow-origin'), '*');
  });
});
