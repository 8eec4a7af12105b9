import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, latestMagicToken, type TestSite } from '../../test/support/harness.js';
import { tusCreate, tusOffset, tusPatch, tusUpload } from '../../test/support/tus.js';
import { ffmpegBinaries } from './transcode-job.js';
import { filesUnder, makeTestSource, tempFolder } from '../../test/support/media.js';

const MP4 = { filename: 'clip.mp4', filetype: 'video/mp4', channel: 'camille' };

const files = filesUnder;

describe('videos: upload, transcode, watch', () => {
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let source: Uint8Array;
  let removeTemp: () => Promise<void>;
  let videoId = '';
  let shortId = '';

  const videoCount = async () => (await site.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM videos'))[0]!.n;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock });

  before(async () => {
    site = await createTestSite({ env: { MAX_UPLOAD_MB: '50' } });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    await owner.get('/studio');
    fan = new TestClient(site.app);
    await fan.post('/signup', { email: 'fan@example.org', display_name: 'Fan' });
    await fan.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'fan@example.org') });
    await fan.get('/');
    const temp = await tempFolder('videos-test');
    removeTemp = temp.remove;
    source = readFileSync(await makeTestSource(ffmpegBinaries(site.deps.config).ffmpeg, temp.dir, 'clip.mp4', { width: 320, height: 240, seconds: 3, fps: 25 }));
  });
  after(async () => {
    await removeTemp();
    await site.close();
  });

  describe('bad uploads are refused with a clear message and leave nothing behind', () => {
    const cases: [string, () => Promise<Response>, number, RegExp][] = [
      ['a text file renamed .mp4', () => tusUpload(owner, new Uint8Array(Buffer.from('this is not a video\n'.repeat(50))), MP4), 422, /not a video or audio file/],
      ['a truncated mp4', () => tusUpload(owner, source.subarray(0, Math.floor(source.length / 2)), MP4), 422, /incomplete/],
      ['a zero-byte file', async () => (await tusCreate(owner, 0, MP4)).res, 400, /not a video or audio file/],
      ['a declared size above the limit', async () => (await tusCreate(owner, 51 * 1024 * 1024, MP4)).res, 413, /larger than the limit of 50 MB/],
      ['a declared type that is not audio or video', async () => (await tusCreate(owner, 100, { ...MP4, filetype: 'text/plain' })).res, 415, /text\/plain/],
      ['an unknown channel', async () => (await tusCreate(owner, 100, { ...MP4, channel: 'nope' })).res, 403, /permission/],
    ];
    for (const [name, upload, status, message] of cases) {
      it(`refuses ${name}`, async () => {
        const res = await upload();
        assert.equal(res.status, status);
        const body = (await res.json()) as { error: { message: string } };
        assert.match(body.error.message, message);
        assert.equal(await videoCount(), 0);
        assert.deepEqual(files(path.join(site.dir, 'media', 'videos')), []);
        assert.deepEqual(files(path.join(site.dir, 'uploads')).filter((f) => !f.endsWith('.json')), []);
      });
    }

    it('refuses uploads from fans, from anonymous visitors and without a CSRF token', async () => {
      assert.equal((await tusCreate(fan, 100, MP4)).res.status, 403);
      const anonymous = new TestClient(site.app);
      await anonymous.get('/login');
      assert.equal((await tusCreate(anonymous, 100, MP4)).res.status, 401);
      const noToken = await owner.request('/studio/uploads/', { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '100' } });
      assert.equal(noToken.status, 403);
    });
  });

  it('resumes an interrupted upload where it stopped, then creates a draft with a transcoding job', async () => {
    const { res, location } = await tusCreate(owner, source.length, MP4);
    assert.equal(res.status, 201);
    const half = Math.floor(source.length / 2);
    assert.equal((await tusPatch(owner, location!, 0, source.subarray(0, half))).status, 204);
    assert.equal(await tusOffset(owner, location!), half, 'the server kept the first half');
    assert.equal((await tusPatch(fan, location!, half, source.subarray(half))).status, 403, 'nobody else may continue it');
    const done = await tusPatch(owner, location!, half, source.subarray(half));
    assert.equal(done.status, 200);
    const body = (await done.json()) as { videoId: string; editUrl: string };
    videoId = body.videoId;
    assert.equal(body.editUrl, `/studio/videos/${videoId}?notice=uploaded`);
    const [row] = await site.deps.db.query<{ status: string; visibility: string; title: string; short_id: string }>('SELECT status, visibility, title, short_id FROM videos');
    assert.deepEqual([row!.status, row!.visibility, row!.title], ['processing', 'draft', 'clip']);
    shortId = row!.short_id;
    const page = await owner.get(body.editUrl);
    assert.match(page.html, /Preparing the video for streaming/);
  });

  it('transcodes in the background and reports progress, then the video is ready', async () => {
    // Every progress value the job stores on its row (no throttle here, so none collapses into the next).
    const stored: number[] = [];
    const db = site.deps.db;
    const recording: typeof db = {
      engine: db.engine,
      query: <T,>(sql: string, params?: readonly unknown[]) => {
        if (/^UPDATE jobs SET progress = \$5/.test(sql.trim())) stored.push(Number(params![4]));
        return db.query<T>(sql, params);
      },
      exec: (sql) => db.exec(sql),
      transaction: (work) => db.transaction(work),
      close: () => db.close(),
    };
    const summary = await runDueJobsOnce({ db: recording, handlers: site.handlers, clock: site.deps.clock, progressIntervalMs: 0 });
    assert.ok(summary.succeeded >= 1 && summary.failed === 0, JSON.stringify(summary)); // the transcode, plus federation's sync jobs
    // The bar moves while ffmpeg works, not only at its end: ffmpeg used to print no progress at all before its
    // storyboard output (one tiled frame at the very end) had started, so the first value stored was ~94 %.
    assert.ok(stored.some((p) => p > 0 && p < 90), `stored progress: ${stored.join(', ')}`);
    assert.equal(stored.at(-1), 100);
    for (let i = 1; i < stored.length; i++) assert.ok(stored[i]! >= stored[i - 1]!, `never goes back: ${stored.join(', ')}`);
    const status = await owner.request(`/studio/videos/${videoId}/status`);
    assert.deepEqual(await status.json(), { status: 'ready', progress: 100, text: 'The video is ready.' });
    const [row] = await site.deps.db.query<{ renditions: { kind: string; height: number | null }[]; has_storyboard: boolean; poster_key: string | null }>(
      'SELECT renditions, has_storyboard, poster_key FROM videos',
    );
    assert.deepEqual(row!.renditions.map((r) => `${r.kind}:${r.height ?? ''}`), ['video:240', 'audio:']);
    assert.ok(row!.has_storyboard);
    assert.ok(row!.poster_key);
  });

  it('keeps a draft away from everyone but the team: page, playlist and segments', async () => {
    const anonymous = new TestClient(site.app);
    for (const client of [anonymous, fan]) {
      assert.equal((await client.get(`/v/${shortId}`)).res.status, 404);
      assert.equal((await client.request(`/media/v/${shortId}/master.m3u8`)).status, 404);
      assert.equal((await client.request(`/media/v/${shortId}/240p/index.m3u8`)).status, 404);
    }
    const page = await owner.get(`/v/${shortId}`);
    assert.equal(page.res.status, 200);
    assert.match(page.html, /Draft: only your team sees this video/);
    const master = await owner.request(`/media/v/${shortId}/master.m3u8`);
    assert.equal(master.status, 200);
    assert.match(master.headers.get('cache-control')!, /^private/);
  });

  it('refuses invalid details and keeps what was typed', async () => {
    await owner.get(`/studio/videos/${videoId}`);
    const bad = await owner.post(`/studio/videos/${videoId}`, {
      title: '', description: 'x', tags: 'a', licence: 'stolen', visibility: 'public', chapters: '0:00 Intro\n0:00 Again', publish_at: '',
    });
    assert.equal(bad.res.status, 422);
    assert.match(bad.html, /This field is required/);
    const badChapters = await owner.post(`/studio/videos/${videoId}`, {
      title: 'Clip', description: '', tags: '', licence: 'cc_by', visibility: 'public', chapters: '0:00 Intro\n9:99 Broken', publish_at: 'tomorrow',
    });
    assert.equal(badChapters.res.status, 422);
    assert.match(badChapters.html, /one chapter per line/);
    assert.match(badChapters.html, /Enter a date and time/);
    const [row] = await site.deps.db.query<{ title: string }>('SELECT title FROM videos');
    assert.equal(row!.title, 'clip', 'nothing was saved');
  });

  it('publishes: the watch page plays the HLS ladder, with cards, JSON-LD and chapters', async () => {
    const saved = await owner.post(`/studio/videos/${videoId}`, {
      title: 'Mon premier court', description: 'Un **court** métrage <script>alert(1)</script>', tags: 'Court, film', language: 'fr',
      licence: 'cc_by_sa', visibility: 'public', chapters: '0:00 Début\n0:02 Fin', publish_at: '',
    });
    assert.equal(saved.res.status, 303);
    const anonymous = new TestClient(site.app);
    const { res, html } = await anonymous.get(`/v/${shortId}`);
    assert.equal(res.status, 200);
    assert.match(html, /data-hls="\/media\/v\/[^"]+\/master.m3u8"/);
    // Without script the browser's own controls play it; the script's controls wait hidden (it removes `controls`).
    assert.match(html, /<video controls="" playsinline="" preload="none"/);
    for (const control of ['data-play', 'data-time', 'data-mute', 'data-volume', 'data-fullscreen']) assert.match(html, new RegExp(`${control}="true" hidden=""`), control);
    assert.match(html, /<strong>court<\/strong>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /property="og:video:url"/);
    assert.match(html, /"@type":"VideoObject"/);
    assert.match(html, /"duration":"PT0H0M3S"/);
    assert.match(html, /data-seek="2"/);
    assert.match(html, /rel="alternate" type="application\/json\+oembed"/);

    const master = await anonymous.request(`/media/v/${shortId}/master.m3u8`);
    assert.equal(master.status, 200);
    assert.match(master.headers.get('content-type')!, /mpegurl/);
    const text = await master.text();
    assert.match(text, /#EXT-X-STREAM-INF:.*BANDWIDTH=\d+.*CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    assert.match(text, /RESOLUTION=320x240/);
    // Followed as a player does: the renditions' addresses are signed ones, relative addresses resolve under them.
    const variantUri = text.split('\n').find((l) => l.endsWith('.m3u8') && !l.startsWith('#'))!;
    const variantUrl = new URL(variantUri, `http://site/media/v/${shortId}/master.m3u8`);
    assert.match(variantUrl.pathname, /^\/media\/s\//);
    const variant = await (await anonymous.request(variantUrl.pathname)).text();
    assert.match(variant, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(variant, /#EXT-X-ENDLIST/);
    const segment = variant.split('\n').find((l) => l.endsWith('.m4s'))!;
    const ranged = await anonymous.request(new URL(segment, variantUrl).pathname, { headers: { range: 'bytes=0-99' } });
    assert.equal(ranged.status, 206, `${segment}\n${variant}`);
    assert.equal((await ranged.arrayBuffer()).byteLength, 100);
    assert.match(ranged.headers.get('cache-control')!, /immutable/);
  });

  it('lists public videos on the channel page and finds them by search', async () => {
    const home = await new TestClient(site.app).get('/c/camille');
    assert.match(home.html, /Mon premier court/);
    const found = await new TestClient(site.app).get('/search?q=premier');
    assert.match(found.html, /Mon premier court/);
    assert.match(found.html, /1 result/);
    const none = await new TestClient(site.app).get('/search?q=%22%3Cscript%3E%22%20OR%20-');
    assert.equal(none.res.status, 200);
  });

  it('hides unlisted videos from lists but not from their link; hides scheduled ones until their time', async () => {
    await owner.post(`/studio/videos/${videoId}`, { title: 'Mon premier court', licence: 'cc_by', visibility: 'unlisted', publish_at: '' });
    assert.equal((await new TestClient(site.app).get(`/v/${shortId}`)).res.status, 200);
    assert.doesNotMatch((await new TestClient(site.app).get('/c/camille')).html, /Mon premier court/);
    await owner.post(`/studio/videos/${videoId}`, { title: 'Mon premier court', licence: 'cc_by', visibility: 'public', publish_at: '2999-01-01T10:00' });
    assert.equal((await new TestClient(site.app).get(`/v/${shortId}`)).res.status, 404);
    assert.equal((await new TestClient(site.app).request(`/media/v/${shortId}/master.m3u8`)).status, 404);
    await owner.post(`/studio/videos/${videoId}`, { title: 'Mon premier court', licence: 'cc_by', visibility: 'public', publish_at: '' });
  });

  it('answers oEmbed and serves an embeddable page', async () => {
    const url = encodeURIComponent(`${site.deps.config.publicUrl}/v/${shortId}`);
    const res = await site.app.request(`/oembed?url=${url}&maxwidth=320`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { type: string; width: number; html: string; title: string };
    assert.equal(body.type, 'video');
    assert.equal(body.width, 320);
    assert.match(body.html, /<iframe src="[^"]+\/embed\//);
    assert.equal((await site.app.request('/oembed?url=https%3A%2F%2Felsewhere.example%2Fv%2Fabcdefgh')).status, 404);
    assert.equal((await site.app.request('/oembed')).status, 400);
    const embed = await site.app.request(`/embed/${shortId}`);
    assert.equal(embed.status, 200);
    assert.match(embed.headers.get('content-security-policy')!, /frame-ancestors \*/);
  });

  it('adds WebVTT captions and refuses other files', async () => {
    const notVtt = new FormData();
    notVtt.set('caption_language', 'fr');
    notVtt.set('caption_label', 'Français');
    notVtt.set('caption_file', new File(['1\n00:00:00,000 --> 00:00:01,000\nSalut\n'], 'a.srt'));
    const refused = await owner.postMultipart(`/studio/videos/${videoId}/captions`, notVtt);
    assert.equal(refused.res.status, 422);
    assert.match(refused.html, /SubRip/);
    const vtt = new FormData();
    vtt.set('caption_language', 'fr');
    vtt.set('caption_label', 'Français');
    vtt.set('caption_file', new File(['WEBVTT\n\n00:00.000 --> 00:01.000\nSalut\n'], 'fr.vtt'));
    assert.equal((await owner.postMultipart(`/studio/videos/${videoId}/captions`, vtt)).res.status, 303);
    const served = await new TestClient(site.app).request(`/media/v/${shortId}/captions/fr.vtt`);
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-type')!, /text\/vtt/);
    assert.match((await new TestClient(site.app).get(`/v/${shortId}`)).html, /<track kind="subtitles" src="[^"]+captions\/fr.vtt" srclang="fr" label="Français"/);
  });

  it('refuses a thumbnail that is not an image', async () => {
    const form = new FormData();
    form.set('thumbnail', new File(['GIF89a nope'], 't.png'));
    const res = await owner.postMultipart(`/studio/videos/${videoId}/thumbnail`, form);
    assert.equal(res.res.status, 422);
    assert.match(res.html, /not a PNG, JPEG or WebP image/);
  });

  it('remembers where a signed-in fan stopped', async () => {
    const save = await fan.request(`/api/videos/${shortId}/position`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': fan.csrf }, body: JSON.stringify({ position: 2 }),
    });
    assert.equal(save.status, 204);
    assert.match((await fan.get(`/v/${shortId}`)).html, /data-start-at="2"/);
    const bad = await fan.request(`/api/videos/${shortId}/position`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': fan.csrf }, body: '{"position":"soon"}',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'bad_request');
  });

  it('deletes a video with every file it had', async () => {
    assert.equal((await owner.post(`/studio/videos/${videoId}/delete`, {})).res.status, 303);
    assert.equal(await videoCount(), 0);
    assert.deepEqual(files(path.join(site.dir, 'media', 'videos')).filter((f) => f.includes(videoId)), []);
  });
});
