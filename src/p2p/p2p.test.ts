import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, signUpFan, type TestSite } from '../../test/support/harness.js';
import type { ViewerLookup } from '../videos/index.js';
import { swarmIdFor } from './swarm.js';
import { MAX_REPORT_BYTES, REPORTS_PER_MINUTE } from './routes.js';

const RENDITIONS = JSON.stringify([{ name: '360p', kind: 'video', height: 360, width: 640, bandwidth: 800000, codecs: 'avc1.64001e' }]);
const MEMBER = 'member@example.org';

/** The P2P settings the watch page gives this client's player, or undefined when it gives none. */
function playerP2P(html: string): { swarmId: string; trackers: string[]; hashes: Record<string, string>; reportUrl: string } | undefined {
  const raw = /data-p2p="([^"]+)"/.exec(html)?.[1];
  return raw ? JSON.parse(raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) : undefined;
}

describe('P2P: who is given a swarm, and the byte reports', () => {
  let site: TestSite;
  let owner: TestClient;
  let member: TestClient;
  let stranger: TestClient;
  const ids: Record<string, string> = {};

  before(async () => {
    // Entitlement as memberships would answer it: the member may watch members-only videos, nobody else.
    const viewers: ViewerLookup = async (_db, user) => ({ isTeam: user?.siteRole === 'owner', isMember: user?.email === MEMBER, earlyAccessDays: 0 });
    site = await createTestSite({ services: { viewers } });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const [channel] = await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    for (const [shortId, visibility, prefix] of [['p2pPublic1', 'public', 'videos/a/hls-1-1'], ['p2pMember1', 'members', 'videos/b/hls-1-1'], ['p2pNoHash1', 'public', 'videos/c/hls-1-1']] as const) {
      const [video] = await site.deps.db.query<{ id: string }>(
        `INSERT INTO videos (short_id, channel_id, title, description, tags, licence, visibility, status, duration_seconds, width, height, hls_prefix, renditions)
         VALUES ($1, $2, $3, '', '{}', 'cc_by', $4, 'ready', 10, 640, 360, $5, $6) RETURNING id`,
        [shortId, channel!.id, `Film ${shortId}`, visibility, prefix, RENDITIONS],
      );
      ids[shortId] = video!.id;
      await site.deps.storage.put(`${prefix}/360p/index.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
      if (shortId !== 'p2pNoHash1') await site.deps.storage.put(`${prefix}/360p/segments-sha256.json`, new TextEncoder().encode('{"seg_00000.m4s":"00"}'));
    }
    member = await signUpFan(site, MEMBER);
    stranger = await signUpFan(site, 'stranger@example.org');
  });
  after(() => site.close());

  it('gives the player a swarm derived with the site secret, the embedded tracker and the hash list', async () => {
    const config = playerP2P((await new TestClient(site.app).get('/v/p2pPublic1')).html)!;
    assert.equal(config.swarmId, swarmIdFor(site.deps.signingSecret, { id: ids.p2pPublic1!, hls_prefix: 'videos/a/hls-1-1' }));
    assert.notEqual(config.swarmId, swarmIdFor('another-site-secret-0123456789-0123456789', { id: ids.p2pPublic1!, hls_prefix: 'videos/a/hls-1-1' }));
    assert.doesNotMatch(config.swarmId, /p2pPublic1|media/, 'not the public address of the playlist');
    assert.deepEqual(config.trackers, [`${site.deps.config.publicUrl.replace(/^http/, 'ws')}/tracker`]);
    assert.deepEqual(config.hashes, { '360p': '/media/v/p2pPublic1/360p/segments-sha256.json' });
    assert.equal((await new TestClient(site.app).get(config.hashes['360p']!)).res.status, 200);
  });

  it('never puts a viewer who may not watch a members-only video in its swarm', async () => {
    const swarm = swarmIdFor(site.deps.signingSecret, { id: ids.p2pMember1!, hls_prefix: 'videos/b/hls-1-1' });
    for (const client of [stranger, new TestClient(site.app)]) {
      for (const path of ['/v/p2pMember1', '/embed/p2pMember1']) {
        const { res, html } = await client.get(path);
        assert.equal(res.status, 404, path);
        assert.equal(playerP2P(html), undefined);
        assert.doesNotMatch(html, new RegExp(swarm));
      }
      assert.equal((await client.get('/media/v/p2pMember1/360p/segments-sha256.json')).res.status, 404, 'nor its hash list');
    }
    const given = playerP2P((await member.get('/v/p2pMember1')).html)!;
    assert.equal(given.swarmId, swarm, 'the member gets it');
    assert.equal(playerP2P((await member.get('/embed/p2pMember1')).html)!.swarmId, swarm);
  });

  it('offers no P2P for a transcode without hash lists (peers could not be checked)', async () => {
    const { res, html } = await new TestClient(site.app).get('/v/p2pNoHash1');
    assert.equal(res.status, 200);
    assert.equal(playerP2P(html), undefined);
  });

  async function report(client: TestClient, shortId: string, body: unknown): Promise<number> {
    if (!client.csrf) await client.get(`/v/p2pPublic1`);
    const res = await client.request(`/api/p2p/videos/${shortId}/bytes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  it('adds viewers’ reports up, refuses unbounded or malformed ones, and shows the peer share in the Studio', async () => {
    const viewer = new TestClient(site.app);
    assert.equal(await report(viewer, 'p2pPublic1', { peer: 3_000_000, http: 1_000_000 }), 204);
    assert.equal(await report(viewer, 'p2pPublic1', { peer: 0, http: 0 }), 204);
    for (const bad of [{ peer: MAX_REPORT_BYTES + 1, http: 0 }, { peer: -1, http: 0 }, { peer: 1.5, http: 0 }, { peer: 1 }, { peer: 1, http: 1, extra: 1 }, 'nope']) {
      assert.equal(await report(viewer, 'p2pPublic1', bad), 400, JSON.stringify(bad));
    }
    assert.equal(await report(stranger, 'p2pMember1', { peer: 1, http: 1 }), 404, 'only for a video one may watch');
    const studio = await owner.get('/studio/p2p');
    assert.equal(studio.res.status, 200);
    assert.match(studio.html, /Film p2pPublic1/);
    assert.match(studio.html, /data-peer-share="true">75 %</);
    assert.equal((await stranger.get('/studio/p2p')).res.status, 403);
  });

  it('rate-limits reports per client address', async () => {
    const viewer = new TestClient(site.app, { 'x-forwarded-for': '203.0.113.77' });
    let status = 0;
    // The window is a fixed minute of the real clock: a run that crosses into the next minute starts counting
    // again, once at most, so up to twice the limit may pass before the 429.
    for (let i = 0; i <= 2 * REPORTS_PER_MINUTE && status !== 429; i++) status = await report(viewer, 'p2pPublic1', { peer: 1, http: 1 });
    assert.equal(status, 429);
  });

  it('lets the owner choose the fans’ default', async () => {
    assert.match((await new TestClient(site.app).get('/v/p2pPublic1')).html, /&quot;defaultOn&quot;:true/);
    const saved = await owner.post('/studio/p2p', { default: 'off' });
    assert.equal(saved.res.status, 303);
    assert.match((await new TestClient(site.app).get('/v/p2pPublic1')).html, /&quot;defaultOn&quot;:false/);
    assert.equal((await owner.post('/studio/p2p', { default: 'maybe' })).res.status, 400);
  });
});

describe('P2P: the pages let players reach the trackers', () => {
  let site: TestSite;
  before(async () => {
    site = await createTestSite({ env: { P2P_TRACKERS: 'wss://tracker.example.org/announce,ws://10.0.0.5:8000' } });
  });
  after(() => site.close());

  it('lists the configured trackers and the site’s own WebSocket origin in connect-src, and no other', async () => {
    const res = await new TestClient(site.app).get('/setup');
    const connectSrc = /connect-src ([^;]+)/.exec(res.res.headers.get('content-security-policy') ?? '')?.[1]?.split(' ');
    const own = new URL(site.deps.config.publicUrl);
    assert.deepEqual(connectSrc, ["'self'", `ws://${own.host}`, 'wss://tracker.example.org', 'ws://10.0.0.5:8000']);
  });
});
