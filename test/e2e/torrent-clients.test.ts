// Real BitTorrent clients (Debian's aria2c and transmission-cli) download what the site shares, from its web
// seed alone: no tracker, no DHT, no other peer. The files they write must be the stored ones, byte for byte.
import { serve } from '@hono/node-server';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../../src/core/jobs/index.js';
import { ffmpegBinaries } from '../../src/videos/transcode-job.js';
import { TestClient, setupFields } from '../support/client.js';
import { createTestSite, type TestSite } from '../support/harness.js';
import { makeTestSource, tempFolder } from '../support/media.js';
import { freePort } from '../support/server.js';
import { aria2Download, infoBytesOf, infoHashOf, requireTorrentClients, sha256File, transmissionDownload } from '../support/torrent-clients.js';
import { confirmToken, createTestBundle, defaultBundleFiles } from '../support/bundles.js';
import { readOutbox } from '../support/harness.js';
import { tusUpload } from '../support/tus.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { startSiteTracker, torrentFile } from '../../src/downloads/index.js';

describe('real BitTorrent clients download from the web seed alone', () => {
  let site: TestSite;
  let server: ReturnType<typeof serve>;
  let base: string;
  let owner: TestClient;
  let work: { dir: string; remove: () => Promise<void> };
  let shortId = '';
  let mp4Key = '';

  const runJobs = async () => {
    // The transcode publishes video.changed; its subscribers' jobs run in the next rounds.
    for (let i = 0; i < 4; i++) await runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock });
  };

  before(async () => {
    requireTorrentClients();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    site = await createTestSite({ env: { PUBLIC_URL: base, MAX_UPLOAD_MB: '50' } });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: site.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    await owner.get('/studio');
    work = await tempFolder('torrent-clients');
    const source = await makeTestSource(ffmpegBinaries(site.deps.config).ffmpeg, work.dir, 'clip.mp4', { width: 640, height: 360, seconds: 4, fps: 25 });
    const res = await tusUpload(owner, new Uint8Array(readFileSync(source)), { filename: 'clip.mp4', filetype: 'video/mp4', channel: 'camille' });
    const { videoId } = (await res.json()) as { videoId: string };
    await runJobs();
    const done = await owner.post(`/studio/videos/${videoId}`, { title: 'A clip: with/odd*chars', licence: 'cc_by', visibility: 'public', publish_at: '', downloads: 'on', download_height: '720' });
    assert.equal(done.res.status, 303, done.html.slice(0, 500));
    await runJobs();
    const [row] = await site.deps.db.query<{ short_id: string; hls_prefix: string; download_file: string }>('SELECT short_id, hls_prefix, download_file FROM videos');
    shortId = row!.short_id;
    mp4Key = `${row!.hls_prefix}/${row!.download_file}`;
  }, { timeout: 300_000 });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await site?.close();
    await work?.remove();
  });

  async function fetchTorrent(url: string, file: string): Promise<string> {
    const res = await fetch(url);
    assert.equal(res.status, 200, `${url}: ${res.status}`);
    assert.equal(res.headers.get('content-type'), 'application/x-bittorrent');
    const target = path.join(work.dir, file);
    writeFileSync(target, new Uint8Array(await res.arrayBuffer()));
    return target;
  }

  it('serves a public video’s torrent whose web seed answers Range requests', async () => {
    const torrent = readFileSync(await fetchTorrent(`${base}/torrents/v/${shortId}.torrent`, 'video.torrent')).toString('latin1');
    assert.match(torrent, new RegExp(`8:url-listl\\d+:${base.replace(/[.]/g, '\\.')}/media/v/${shortId}/download\\.mp4e`));
    assert.match(torrent, /4:name\d+:A clip with odd chars \[/);
    const ranged = await fetch(`${base}/media/v/${shortId}/download.mp4`, { headers: { range: 'bytes=10-19' } });
    assert.equal(ranged.status, 206);
    assert.equal((await ranged.arrayBuffer()).byteLength, 10);
  });

  it('makes the podcast enclosures the MP4 and the M4A with their real lengths; HLS and the torrent are alternates', async () => {
    const [row] = await site.deps.db.query<{ download_bytes: number; audio_bytes: number }>('SELECT download_bytes, audio_bytes FROM videos');
    const size = async (url: string) => (await fetch(url)).arrayBuffer().then((b) => b.byteLength);
    const video = await (await fetch(`${base}/c/camille/podcast.rss`)).text();
    const enclosure = /<enclosure url="([^"]+)" length="(\d+)" type="([^"]+)"/.exec(video)!;
    assert.equal(enclosure[1], `${base}/media/v/${shortId}/download.mp4`);
    assert.equal(enclosure[3], 'video/mp4');
    assert.equal(Number(enclosure[2]), row!.download_bytes);
    assert.equal(await size(enclosure[1]!), row!.download_bytes, 'the length is the real size of the file served');
    assert.match(video, /<podcast:alternateEnclosure type="application\/x-mpegURL"/);
    assert.match(video, new RegExp(`<podcast:alternateEnclosure type="application/x-bittorrent"[^>]*>\\s*<podcast:source uri="${base.replace(/[.]/g, '\\.')}/torrents/v/${shortId}\\.torrent"`));
    const audio = await (await fetch(`${base}/c/camille/podcast-audio.rss`)).text();
    const m4a = /<enclosure url="([^"]+)" length="(\d+)" type="([^"]+)"/.exec(audio)!;
    assert.deepEqual([m4a[1], Number(m4a[2]), m4a[3]], [`${base}/media/v/${shortId}/audio.m4a`, row!.audio_bytes, 'audio/mp4']);
    assert.equal(await size(m4a[1]!), row!.audio_bytes);
  });

  for (const client of ['aria2c', 'transmission-cli'] as const) {
    it(`${client} downloads the video’s MP4 through its torrent, byte for byte`, { timeout: 180_000 }, async () => {
      const torrent = await fetchTorrent(`${base}/torrents/v/${shortId}.torrent`, `video-${client}.torrent`);
      const dir = path.join(work.dir, `video-${client}`);
      const port = await freePort();
      const result = client === 'aria2c' ? await aria2Download(torrent, dir, { listenPort: port }) : await transmissionDownload(torrent, dir, { peerPort: port });
      const file = path.join(dir, `A clip with odd chars [${shortId}].mp4`);
      assert.equal(await sha256File(file), await sha256File(site.deps.storage.localPath!(mp4Key)), result.output);
    });
  }

  describe('an unlocked bundle’s locked files', () => {
    const files = defaultBundleFiles(400_000);
    let bundle: Awaited<ReturnType<typeof createTestBundle>>;
    const access: string[] = [];

    before(async () => {
      bundle = await createTestBundle(site, owner, { slug: 'torrent-album', files });
      // Two fans unlock by e-mail: each gets an access page with their own signed links.
      for (const email of ['ana@example.org', 'ben@example.org']) {
        const fan = new TestClient(site.app);
        await fan.get(`/b/${bundle.slug}`);
        await fan.post(`/b/${bundle.slug}/unlock/email`, { email, consent: 'on' });
        const confirmed = await fan.post('/b/confirm', { token: confirmToken(readOutbox(site.outboxDir), email) });
        access.push((await fan.get(confirmed.res.headers.get('location')!)).html);
      }
    }, { timeout: 120_000 });

    const lockedTorrentHref = (html: string) => [...html.matchAll(/href="(\/bundles\/torrents\/[^"]+\/locked\.torrent\?[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))[0]!;

    it('hands each fan a torrent with their own web seed and the same info hash', async () => {
      const [ana, ben] = await Promise.all(access.map(async (html) => Buffer.from(await (await fetch(base + lockedTorrentHref(html))).arrayBuffer())));
      assert.equal(infoHashOf(ana!), infoHashOf(ben!));
      const seed = (t: Buffer) => {
        const text = t.toString('latin1');
        const m = /8:url-listl(\d+):/.exec(text);
        return m ? text.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1])) : undefined;
      };
      assert.match(seed(ana!)!, /\/bundles\/seed\/.+\/locked\/.+\/$/);
      assert.notEqual(seed(ana!), seed(ben!));
      assert.equal((await fetch(`${base}/bundles/torrents/${bundle.id}/locked.torrent`)).status, 403, 'no torrent of locked files without a grant');
    });

    for (const client of ['aria2c', 'transmission-cli'] as const) {
      it(`${client} downloads the locked files from the fan’s signed web seed, byte for byte`, { timeout: 180_000 }, async () => {
        const torrent = await fetchTorrent(base + lockedTorrentHref(access[0]!), `bundle-${client}.torrent`);
        const dir = path.join(work.dir, `bundle-${client}`);
        const port = await freePort();
        const result = client === 'aria2c' ? await aria2Download(torrent, dir, { listenPort: port }) : await transmissionDownload(torrent, dir, { peerPort: port });
        for (const file of files.filter((f) => f.access === 'locked')) {
          const expected = createHash('sha256').update(file.bytes).digest('hex');
          assert.equal(await sha256File(path.join(dir, `${bundle.slug}-locked`, file.filename)), expected, `${file.filename}: ${result.output}`);
        }
      });
    }
  });

  it('two clients at once exchange pieces through the embedded tracker on loopback', { timeout: 240_000 }, async () => {
    const tracker = await startSiteTracker(site.site.ctx, { port: 0, force: true });
    try {
      const announce = `http://127.0.0.1:${tracker!.port}/announce`;
      const served = readFileSync(await fetchTorrent(`${base}/torrents/v/${shortId}.torrent`, 'swarm-source.torrent'));
      const info = infoBytesOf(served);
      const webSeed = `${base}/media/v/${shortId}/download.mp4`;
      // aria2c has the web seed and the tracker; transmission-cli only the tracker (same info hash): every
      // byte it gets comes from aria2c.
      const seeder = path.join(work.dir, 'swarm-seeder.torrent');
      const leecher = path.join(work.dir, 'swarm-leecher.torrent');
      writeFileSync(seeder, new Uint8Array(torrentFile(info, { webSeeds: [webSeed], trackers: [announce] })));
      writeFileSync(leecher, new Uint8Array(torrentFile(info, { webSeeds: [], trackers: [announce] })));
      assert.equal(infoHashOf(readFileSync(seeder)), infoHashOf(readFileSync(leecher)));
      const leecherDir = path.join(work.dir, 'swarm-transmission');
      const file = path.join(leecherDir, `A clip with odd chars [${shortId}].mp4`);
      let leecherDone = false;
      const seeding = aria2Download(seeder, path.join(work.dir, 'swarm-aria2'), { listenPort: await freePort(), seedSeconds: 180, timeoutMs: 200_000, until: () => leecherDone });
      const leeching = transmissionDownload(leecher, leecherDir, { peerPort: await freePort(), timeoutMs: 200_000 }).finally(() => {
        leecherDone = true;
      });
      const started = Date.now();
      const [seedRun, leechRun] = await Promise.all([seeding, leeching]);
      console.log(`swarm: transmission-cli finished after ${Math.round((Date.now() - started) / 1000)} s`);
      assert.ok(existsSync(file), `transmission-cli got nothing from its peer.\naria2c: ${seedRun.output.slice(-2000)}\ntransmission: ${leechRun.output.slice(-2000)}`);
      assert.equal(await sha256File(file), await sha256File(site.deps.storage.localPath!(mp4Key)));
      const unknown = await fetch(`http://127.0.0.1:${tracker!.port}/announce?info_hash=${'%01'.repeat(20)}&peer_id=${'%02'.repeat(20)}&port=1&uploaded=0&downloaded=0&left=0&compact=1`);
      assert.match(await unknown.text(), /only tracks the site/, 'the tracker refuses torrents the site did not share');
    } finally {
      await tracker?.close();
    }
  });
});
