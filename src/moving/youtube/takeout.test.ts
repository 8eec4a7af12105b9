import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { runDueJobsOnce } from '../../core/jobs/index.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createManualClock, createTestSite, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { tusCreate, tusOffset, tusPatch, tusUpload } from '../../../test/support/tus.js';
import { makeTestSource } from '../../../test/support/media.js';
import { resolveBinaries } from '../../videos/transcode/binaries.js';
import { videosConfig } from '../../videos/config.js';
import { TakeoutError } from './archive.js';
import { parseCsv } from './csv.js';
import { importYouTubeTakeout } from './takeout.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const CSV = readFileSync(new URL('../../../test/support/fixtures/takeout/videos.csv', import.meta.url));
const ROOT = 'Takeout/YouTube and YouTube Music';

interface ZipItem { name: string; data: Buffer; deflate?: boolean }

/** A ZIP written by hand (stored or deflated entries), so that tests can make broken and hostile ones. */
function zip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name, 'utf8');
    const body = item.deflate ? deflateRawSync(item.data) : item.data;
    const crc = crc32(item.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(item.deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12); local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(item.data.length, 22); local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(item.deflate ? 8 : 0, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20); central.writeUInt32LE(item.data.length, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(items.length, 8); end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('YouTube Takeout import', () => {
  let site: TestSite;
  let work: string;
  let clip: Buffer;
  let channelId: string;
  let ownerId: string;
  let owner: TestClient;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 200 });
  const videoCount = async () => (await site.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM videos'))[0]!.n;
  const good = (): ZipItem[] => [
    { name: `${ROOT}/video metadata/videos.csv`, data: CSV, deflate: true },
    // Takeout names files after the title (characters a file name cannot hold replaced), or by id.
    { name: `${ROOT}/videos/Le Premier Film.mp4`, data: clip },
    { name: `${ROOT}/videos/Behind the scenes_ part 2_.mp4`, data: clip },
    { name: `${ROOT}/videos/PrIvAtE0001.mp4`, data: clip },
    // Captions and a thumbnail beside their video: named after its file (plus a language) or by its id.
    { name: `${ROOT}/videos/Le Premier Film.fr.vtt`, data: Buffer.from('WEBVTT\n\n00:00.000 --> 00:00.900\nBonjour\n') },
    { name: `${ROOT}/videos/aBcDeFgHiJk.en.srt`, data: Buffer.from('1\r\n00:00:00,000 --> 00:00:00,900\r\nHello\r\n') },
    { name: `${ROOT}/videos/Le Premier Film.jpg`, data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]) },
    { name: `${ROOT}/videos/PrIvAtE0001.de.vtt`, data: Buffer.from('not captions at all') },
  ];
  const archive = (name: string, items: ZipItem[] | Buffer) => {
    const file = path.join(work, name);
    writeFileSync(file, Buffer.isBuffer(items) ? items : zip(items));
    return file;
  };
  const importing = (file: string) => importYouTubeTakeout(site.deps, { file, channelId, userId: ownerId });

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-takeout-test-'));
    clip = readFileSync(await makeTestSource(resolveBinaries(videosConfig.parse(process.env)).ffmpeg, work, 'clip.mp4', { seconds: 1, width: 160, height: 90, fps: 10 }));
    site = await createTestSite({ clock: createManualClock(NOW) });
    // The owner uses the Studio in French: the page and the refusals come in French.
    owner = new TestClient(site.app, { 'accept-language': 'fr' });
    await owner.post('/setup', setupFields());
    channelId = (await site.deps.db.query<{ id: string }>("SELECT id FROM channels WHERE handle = 'camille'"))[0]!.id;
    ownerId = (await site.deps.db.query<{ id: string }>("SELECT id FROM users WHERE site_role = 'owner'"))[0]!.id;
  });
  after(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads RFC 4180 CSV: quoted commas, doubled quotes, line breaks inside a field', () => {
    assert.deepEqual(parseCsv('a,"b, c","d ""e""\nf"\r\n1,2,3\n'), [['a', 'b, c', 'd "e"\nf'], ['1', '2', '3']]);
    assert.throws(() => parseCsv('a,"b'), /unterminated/);
  });

  it('refuses a bad archive with a clear reason, importing nothing', async () => {
    const cases: [string, ZipItem[] | Buffer, string][] = [
      ['not-a-zip.zip', Buffer.from('this is not a zip file at all'), 'not_an_archive'],
      ['truncated.zip', zip(good()).subarray(0, 2000), 'corrupted'],
      ['traversal.zip', [...good(), { name: '../../etc/evil.mp4', data: clip }], 'unsafe_path'],
      ['bomb.zip', [...good(), { name: `${ROOT}/videos/bomb.mp4`, data: Buffer.alloc(30 * 1024 * 1024), deflate: true }], 'zip_bomb'],
      ['no-metadata.zip', good().slice(1), 'no_metadata'],
      ['missing-file.zip', good().slice(0, 3), 'missing_file'],
      ['bad-csv.zip', [{ name: `${ROOT}/video metadata/videos.csv`, data: Buffer.from('Video ID,Video Title (Original)\n"abc') }, ...good().slice(1)], 'bad_metadata'],
      ['not-media.zip', [...good().slice(0, 3), { name: `${ROOT}/videos/PrIvAtE0001.mp4`, data: Buffer.from('not a video') }], 'not_media'],
    ];
    for (const [name, items, problem] of cases) {
      await assert.rejects(importing(archive(name, items)), (error: unknown) => error instanceof TakeoutError && error.problem === problem, name);
    }
    assert.equal(await videoCount(), 0, 'nothing half-imported');
    assert.equal((await site.deps.db.query('SELECT 1 FROM youtube_imports')).length, 0);
    assert.equal((await site.deps.db.query("SELECT 1 FROM jobs WHERE type = 'video.transcode'")).length, 0);
  });

  it('imports the videos with their metadata, transcoded through the normal path, and only once', async () => {
    const report = await importing(archive('takeout.zip', good()));
    assert.deepEqual(report.imported.map((v) => v.youtubeId), ['aBcDeFgHiJk', 'ZyXwVuTsRqP', 'PrIvAtE0001']);
    const rows = await site.deps.db.query<{ title: string; description: string; tags: string[]; visibility: string; publish_at: Date | null; created_at: Date; status: string }>(
      'SELECT title, description, tags, visibility, publish_at, created_at, status FROM videos ORDER BY created_at',
    );
    assert.deepEqual(rows.map((r) => [r.title, r.visibility]), [['Le Premier Film', 'public'], ['Behind the scenes: part 2?', 'unlisted'], ['A private draft', 'draft']]);
    assert.equal(rows[0]!.description, 'Notre premier court, tourné à Lyon.\nDeuxième ligne avec des "guillemets".');
    assert.deepEqual(rows[0]!.tags, ['court métrage', 'lyon']);
    assert.equal(rows[0]!.publish_at?.toISOString(), '2019-05-02T18:30:00.000Z');
    assert.equal(rows[0]!.created_at.toISOString(), '2019-05-01T08:00:00.000Z');
    assert.ok(rows.every((r) => r.status === 'processing'), 'each has its transcoding job');
    const captions = await site.deps.db.query<{ title: string; language: string; label: string; storage_key: string }>(
      'SELECT v.title, c.language, c.label, c.storage_key FROM video_captions c JOIN videos v ON v.id = c.video_id ORDER BY c.language',
    );
    assert.deepEqual(captions.map((c) => [c.title, c.language, c.label]), [['Le Premier Film', 'en', 'English'], ['Le Premier Film', 'fr', 'Français']]);
    const english = Buffer.from(await new Response((await site.deps.storage.get(captions[0]!.storage_key))!.body).arrayBuffer()).toString();
    assert.match(english, /^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:00\.900\nHello/, 'SRT converted to WebVTT');
    const thumbnails = await site.deps.db.query<{ title: string; custom_thumbnail_key: string | null }>('SELECT title, custom_thumbnail_key FROM videos ORDER BY created_at');
    assert.match(thumbnails[0]!.custom_thumbnail_key ?? '', /\/thumbnail-[0-9a-f-]+\.jpg$/);
    assert.deepEqual(thumbnails.slice(1).map((t) => t.custom_thumbnail_key), [null, null]);
    assert.deepEqual(report.ignored, [{ path: `${ROOT}/videos/PrIvAtE0001.de.vtt`, reason: 'video.caption_not_vtt' }], 'a bad caption is left out, not fatal');

    await runJobs();
    const statuses = await site.deps.db.query<{ status: string }>('SELECT status FROM videos');
    assert.deepEqual(statuses.map((s) => s.status), ['ready', 'ready', 'ready']);

    const mailings = await site.deps.db.query("SELECT 1 FROM community_mailings WHERE kind = 'video'");
    assert.equal(mailings.length, 3, 'the back catalogue counts as already e-mailed (no "new video" e-mail for each)');

    const again = await importing(archive('takeout-again.zip', good()));
    assert.deepEqual(again, { imported: [], skipped: ['aBcDeFgHiJk', 'ZyXwVuTsRqP', 'PrIvAtE0001'], ignored: [] });
    assert.equal(await videoCount(), 3);
  });

  it('imports an archive uploaded in the Studio (resumable, durable job); refusals in the uploader\'s language, nothing half-imported', async () => {
    await owner.loadCsrf();
    const ENDPOINT = '/studio/takeout-uploads/';
    const META = { filename: 'takeout.zip', filetype: 'application/zip', channel: 'camille' };
    // Not a ZIP: refused at its first bytes. Only the channel's admins upload.
    const junk = await tusUpload(owner, new Uint8Array(Buffer.alloc(5000, 'x')), META, ENDPOINT);
    assert.equal(junk.status, 422);
    assert.match(await junk.text(), /n’est pas une archive ZIP/);
    const fan = await signUpFan(site, 'fan@example.org');
    await fan.loadCsrf();
    assert.equal((await tusCreate(fan, 5000, META, {}, ENDPOINT)).res.status, 403);
    assert.equal((await fan.get('/studio/channels/camille/youtube')).res.status, 403);

    // An archive without its metadata uploads (it is a ZIP), and the job refuses it, in French.
    const before = await videoCount();
    assert.equal((await tusUpload(owner, new Uint8Array(zip(good().slice(1))), META, ENDPOINT)).status, 200);
    await runJobs();
    const refused = await owner.get('/studio/channels/camille/youtube');
    assert.match(refused.html, /Rien n’a été importé : l’archive n’a pas de « video metadata\/videos\.csv »/);
    assert.equal(await videoCount(), before);

    // The real one in two requests, as a resumed upload sends it: its videos are already here, so skipped.
    const bytes = zip(good());
    const { res, location } = await tusCreate(owner, bytes.length, META, {}, ENDPOINT);
    assert.equal(res.status, 201);
    const half = Math.floor(bytes.length / 2);
    assert.equal((await tusPatch(owner, location!, 0, new Uint8Array(bytes.subarray(0, half)))).status, 204);
    assert.equal(await tusOffset(owner, location!), half);
    const finished = await tusPatch(owner, location!, half, new Uint8Array(bytes.subarray(half)));
    assert.equal(finished.status, 200);
    assert.match(await finished.text(), /"editUrl":"\/studio\/channels\/camille\/youtube"/);
    assert.match((await owner.get('/studio/channels/camille/youtube')).html, /Import en cours… 0 %/);
    await runJobs();
    const done = await owner.get('/studio/channels/camille/youtube', { accept: 'application/json' });
    const imports = JSON.parse(done.html) as { imports: { status: string; message: string }[] };
    assert.deepEqual(imports.imports.map((i) => i.status).sort(), ['done', 'failed']);
    assert.equal(imports.imports.find((i) => i.status === 'done')!.message, '0 vidéo importée, 3 déjà présentes.');
    assert.equal(await videoCount(), before);
    assert.deepEqual(readdirSync(path.join(site.dir, 'takeout-imports')), [], 'uploaded archives are removed once imported or refused');
  });
});
