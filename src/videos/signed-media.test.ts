import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, latestMagicToken, type TestSite } from '../../test/support/harness.js';
import { mediaTokenExpiry, signedMediaBase, signMasterPlaylist, verifySignedMedia } from './media-token.js';

const SECRET = 'test-secret';
const FOLDER = 'videos/0b7e4c1e-7d61-4c3e-9c55-1d2f3a4b5c6d/hls-job1-1';

function partsOf(url: string) {
  const [, , , token, videoId, folder, ...file] = url.split('/');
  return { token: token!, videoId: videoId!, folder: folder!, file: file.join('/') };
}

describe('signed media addresses', () => {
  const now = new Date('2026-12-01T10:17:00Z');

  it('verify what they sign, until they expire, and nothing else', () => {
    const expiry = mediaTokenExpiry(now, 600, 'm');
    const base = signedMediaBase(SECRET, FOLDER, expiry, 'm')!;
    const ok = partsOf(`${base}720p/segment_00001.m4s`);
    assert.deepEqual(verifySignedMedia(SECRET, ok, now), { key: `${FOLDER}/720p/segment_00001.m4s`, scope: 'm' });
    assert.equal(verifySignedMedia(SECRET, ok, new Date(expiry * 1000)), undefined, 'expired');
    assert.equal(verifySignedMedia('another secret', ok, now), undefined, 'another site');
    assert.equal(verifySignedMedia(SECRET, { ...ok, token: ok.token.replace('.m.', '.p.') }, now), undefined, 'members made public');
    assert.equal(verifySignedMedia(SECRET, { ...ok, folder: 'hls-job2-1' }, now), undefined, 'another folder');
    assert.equal(verifySignedMedia(SECRET, { ...ok, file: '../../x/hls-job1-1/a.m4s' }, now), undefined);
    assert.equal(verifySignedMedia(SECRET, { ...ok, token: 'garbage' }, now), undefined);
    assert.equal(signedMediaBase(SECRET, 'videos/../etc', expiry, 'm'), undefined);
  });

  it('last the video plus a margin; public ones are the same for a whole hour', () => {
    const later = new Date(now.getTime() + 30 * 60_000);
    assert.equal(mediaTokenExpiry(now, 3600, 'l'), mediaTokenExpiry(new Date('2026-12-01T10:00:01Z'), 3600, 'l'));
    assert.ok(mediaTokenExpiry(now, 3600, 'm') * 1000 >= now.getTime() + 3 * 3600_000);
    assert.ok(mediaTokenExpiry(later, 0, 'p') * 1000 >= later.getTime() + 6 * 3600_000);
  });

  it('rewrite a master playlist to them', () => {
    const master = '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",URI="audio/index.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n240p/index.m3u8\n';
    assert.equal(
      signMasterPlaylist(master, '/media/s/T/v/f/'),
      '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",URI="/media/s/T/v/f/audio/index.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n/media/s/T/v/f/240p/index.m3u8\n',
    );
  });
});

describe('media through the app: one checked playlist, then signed files without session or SQL', () => {
  const clock = createManualClock(new Date('2026-12-01T10:00:00Z'));
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let queries = 0;
  const MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n240p/index.m3u8\n';
  const PLAYLIST = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4,\nsegment_00001.m4s\n#EXT-X-ENDLIST\n';

  before(async () => {
    site = await createTestSite({ clock });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
    for (const [shortId, visibility] of [['PublicVid1', 'public'], ['MembersV01', 'members'], ['Unlisted01', 'unlisted']] as const) {
      const id = (await site.deps.db.query<{ id: string }>(
        `INSERT INTO videos (short_id, channel_id, title, status, visibility, duration_seconds) VALUES ($1, $2, $3, 'ready', $4, 60) RETURNING id`,
        [shortId, channelId, `Video ${visibility}`, visibility],
      ))[0]!.id;
      const prefix = `videos/${id}/hls-job-1`;
      await site.deps.db.query('UPDATE videos SET hls_prefix = $2 WHERE id = $1', [id, prefix]);
      await site.deps.storage.put(`${prefix}/master.m3u8`, new TextEncoder().encode(MASTER));
      await site.deps.storage.put(`${prefix}/240p/index.m3u8`, new TextEncoder().encode(PLAYLIST));
      await site.deps.storage.put(`${prefix}/240p/segment_00001.m4s`, new Uint8Array(1000).fill(7));
    }
    fan = new TestClient(site.app);
    await fan.post('/signup', { email: 'fan@example.org', display_name: 'Lou' });
    await fan.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'fan@example.org') });
    await fan.get('/');
    const query = site.deps.db.query.bind(site.deps.db);
    site.deps.db.query = ((...args: Parameters<typeof query>) => {
      queries++;
      return query(...args);
    }) as typeof query;
  });
  after(() => site.close());

  /** The signed address of the 240p playlist, read from the master playlist as `client` gets it. */
  async function signedPlaylist(client: TestClient, shortId: string): Promise<string> {
    const master = await client.request(`/media/v/${shortId}/master.m3u8`);
    assert.equal(master.status, 200);
    const line = (await master.text()).split('\n').find((l) => l.endsWith('index.m3u8'))!;
    assert.match(line, /^\/media\/s\/\d+\.[lpm]\.[\w-]{22}\/[0-9a-f-]{36}\/hls-job-1\/240p\/index\.m3u8$/);
    return line;
  }

  it('serves a public video\'s playlists and segments to a signed-in fan and to anyone, with no query and no cookie', async () => {
    for (const client of [fan, new TestClient(site.app)]) {
      const playlist = await signedPlaylist(client, 'PublicVid1');
      queries = 0;
      const listed = await client.request(playlist);
      assert.equal(await listed.text(), PLAYLIST);
      const segment = await client.request(playlist.replace('index.m3u8', 'segment_00001.m4s'), { headers: { range: 'bytes=0-9' } });
      assert.equal(segment.status, 206);
      assert.equal((await segment.arrayBuffer()).byteLength, 10);
      assert.equal(queries, 0, 'no session lookup, no site row, no video row');
      for (const res of [listed, segment]) assert.equal(res.headers.get('set-cookie'), null);
      assert.equal(segment.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(segment.headers.get('access-control-allow-origin'), '*', 'listed: other sites\' players may load it');
    }
  });

  it('keeps unlisted media shared-cacheable but without CORS', async () => {
    const playlist = await signedPlaylist(new TestClient(site.app), 'Unlisted01');
    const segment = await new TestClient(site.app).request(playlist.replace('index.m3u8', 'segment_00001.m4s'));
    assert.equal(segment.status, 200);
    assert.match(segment.headers.get('cache-control')!, /^public/);
    assert.equal(segment.headers.get('access-control-allow-origin'), null);
  });

  it('gives members-only media to the team only while the token lasts, privately cached', async () => {
    assert.equal((await fan.request('/media/v/MembersV01/master.m3u8')).status, 404, 'not a member: no token');
    const playlist = await signedPlaylist(owner, 'MembersV01');
    const segmentUrl = playlist.replace('index.m3u8', 'segment_00001.m4s');
    queries = 0;
    const segment = await new TestClient(site.app).request(segmentUrl);
    assert.equal(segment.status, 200, 'the signature is the entitlement, whoever carries it');
    assert.equal(queries, 0);
    assert.match(segment.headers.get('cache-control')!, /^private/);
    assert.equal(segment.headers.get('access-control-allow-origin'), null);
    clock.advance(60_000 + 3 * 3600_000);
    assert.equal((await owner.request(segmentUrl)).status, 404, 'expired');
    assert.equal((await owner.request(segmentUrl.replace(/\.m\./, '.l.'))).status, 404, 'forged scope');
  });

  it('answers a missing file or a bad address with a bare 404', async () => {
    const playlist = await signedPlaylist(new TestClient(site.app), 'PublicVid1');
    for (const url of [playlist.replace('index.m3u8', 'segment_09999.m4s'), playlist.replace(/\/media\/s\/[^/]+/, '/media/s/1.l.AAAAAAAAAAAAAAAAAAAAAA')]) {
      const res = await new TestClient(site.app).request(url);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });
});
