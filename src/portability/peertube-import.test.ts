import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MODULES } from '../modules.js';
import { translator } from '../core/i18n/index.js';
import { createManualClock, createTestSite, type TestSite } from '../../test/support/harness.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { makeTestSource } from '../../test/support/media.js';
import { tusUpload } from '../../test/support/tus.js';
import { IMPORT_JOB } from './studio-import.js';
import { handleFor } from './peertube-import.js';
import { resolveBinaries } from '../videos/transcode/binaries.js';
import { videosConfig } from '../videos/config.js';
import { ArchiveError, importArchive, type ImportReport } from './index.js';
import { HOST, JPEG, PNG, V1, V2, VTT, peertubeEntries, writeZip, type Entries } from '../../test/support/portability/peertube.js';

describe('PeerTube user export import', () => {
  let site: TestSite;
  let work: string;
  let clip: Buffer;
  let good: string;
  let n = 0;
  let owner: TestClient;
  const db = () => site.deps.db;
  const zip = (entries: Entries): Promise<string> => writeZip(path.join(work, `archive-${++n}.zip`), entries);
  const importing = (file: string, extra: { dryRun?: boolean; ownerEmail?: string } = {}) => importArchive(site.deps, MODULES, { file, ownerEmail: 'camille@example.org', ...extra });
  const count = async (sql: string) => Number((await db().query<{ n: number }>(sql))[0]!.n);
  const state = async () => ({
    channels: await count('SELECT count(*)::int AS n FROM channels'),
    videos: await count('SELECT count(*)::int AS n FROM videos'),
    captions: await count('SELECT count(*)::int AS n FROM video_captions'),
    comments: await count('SELECT count(*)::int AS n FROM community_comments'),
    items: await count('SELECT count(*)::int AS n FROM portability_peertube_items'),
  });
  const refusal = (problem: string) => (error: unknown) => error instanceof ArchiveError && error.problem === problem;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-peertube-test-'));
    clip = readFileSync(await makeTestSource(resolveBinaries(videosConfig.parse(process.env)).ffmpeg, work, 'clip.mp4', { seconds: 1, width: 160, height: 90, fps: 10 }));
    site = await createTestSite({ clock: createManualClock(new Date('2026-11-21T12:00:00Z')) });
    owner = new TestClient(site.app, { 'accept-language': 'fr' });
    await owner.post('/setup', setupFields());
    good = await zip(peertubeEntries(clip));
  });
  after(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes a Fanfare handle of a PeerTube channel name', () => {
    assert.deepEqual(['Mes.Films-2024', 'a', 'chaîne:vidéo', 'x'.repeat(50)].map(handleFor), ['mes_films_2024', 'a_', 'cha_ne_vid_o', 'x'.repeat(30)]);
  });

  it('refuses a bad PeerTube archive with a clear reason in the user’s language, writing nothing', async () => {
    const before = await state();
    const entries = peertubeEntries(clip);
    const without = (name: string) => Object.fromEntries(Object.entries(entries).filter(([k]) => k !== name));
    const videosWith = (change: (v: Record<string, unknown>) => void) => {
      const json = JSON.parse(entries['peertube/videos.json'] as string) as { videos: Record<string, unknown>[] };
      change(json.videos[0]!);
      return { ...entries, 'peertube/videos.json': JSON.stringify(json) };
    };
    const truncated = path.join(work, 'truncated.zip');
    writeFileSync(truncated, readFileSync(good).subarray(0, Math.floor(readFileSync(good).length / 2)));
    const cases: [string, string, string][] = [
      ['truncated', truncated, 'corrupt'],
      // Before 6.1 there was no user export; a file of another shape is another version of the layout.
      ['no channels.json', await zip(without('peertube/channels.json')), 'peertube_version'],
      ['videos.json of another shape', await zip({ ...entries, 'peertube/videos.json': JSON.stringify([{ uuid: V1 }]) }), 'peertube_version'],
      ['a video without privacy', await zip(videosWith((v) => delete v.privacy)), 'peertube_version'],
      ['a named file missing', await zip(without(`files/videos/captions/${V1}-fr.vtt`)), 'missing_file'],
      ['a path out of the archive', await zip(videosWith((v) => ((v.archiveFiles as Record<string, unknown>).thumbnail = '../../../etc/passwd'))), 'unsafe_path'],
      ['a zip bomb', await zip({ ...entries, 'files/videos/video-files/bomb.mp4': Buffer.alloc(30 * 1024 * 1024) }), 'zip_bomb'],
      ['no owner given', good, 'owner_required'],
      ['an unknown owner', good, 'owner_unknown'],
    ];
    for (const [name, file, problem] of cases) {
      const owner = problem === 'owner_required' ? { ownerEmail: undefined } : problem === 'owner_unknown' ? { ownerEmail: 'nobody@example.org' } : {};
      await assert.rejects(importing(file, owner), refusal(problem), name);
    }
    await assert.rejects(importing(good, { ownerEmail: 'nobody@example.org' }), (error: unknown) => {
      assert.ok(error instanceof ArchiveError);
      assert.match(translator('fr')(error.messageKey, error.vars), /Il n’y a pas de compte nobody@example\.org sur ce site/);
      return true;
    });
    await assert.rejects(importing(await zip(without('peertube/channels.json'))), (error: unknown) => {
      assert.ok(error instanceof ArchiveError);
      assert.match(translator('fr')(error.messageKey, error.vars), /PeerTube 6\.1 ou plus récent.*Rien n’a été importé/);
      return true;
    });
    assert.deepEqual(await state(), before, 'nothing half-imported');
  });

  it('a dry run reports what it would import and writes nothing', async () => {
    const before = await state();
    const report = await importing(good, { dryRun: true });
    assert.equal(report.dryRun, true);
    assert.equal(report.handle, 'atelier');
    assert.deepEqual({ videos: report.counts.videos, captions: report.counts.video_captions, followers: report.counts.peertube_followers }, { videos: 2, captions: 1, followers: 2 });
    assert.deepEqual(await state(), before);
  });

  it('imports the channel, its videos with files, captions, chapters, thumbnail and avatar, the creator’s comment and the followers list; twice changes nothing', async () => {
    const report: ImportReport = await importing(good);
    assert.equal(report.alreadyImported, false);
    const pt = report.peertube!;
    assert.deepEqual(pt.videos, { imported: 2, alreadyHere: 0, withoutFile: [], otherChannel: [] });
    assert.deepEqual(pt.comments, { imported: 1, alreadyHere: 0, skipped: 1 }, 'the comment under someone else’s video stays behind');
    assert.deepEqual(pt.followers, { kept: 2, alreadyHere: 0 });

    const [channel] = await db().query<{ id: string; name: string; description: string; language: string; avatar_key: string | null }>("SELECT id, name, description, language, avatar_key FROM channels WHERE handle = 'atelier'");
    assert.ok(channel);
    assert.deepEqual([channel.name, channel.description, channel.language], ['L’Atelier de Camille', 'Des courts métrages.', 'fr']);
    assert.deepEqual(Buffer.from(await new Response((await site.deps.storage.get(channel.avatar_key!))!.body).arrayBuffer()), PNG);
    const owner = await db().query<{ role: string }>("SELECT r.role FROM channel_roles r JOIN users u ON u.id = r.user_id WHERE r.channel_id = $1 AND u.email = 'camille@example.org'", [channel.id]);
    assert.deepEqual(owner.map((r) => r.role), ['admin']);
    assert.equal((await db().query('SELECT 1 FROM federation_actor_aliases WHERE channel_id = $1 AND actor_uri = $2', [channel.id, `${HOST}/video-channels/atelier`])).length, 1, 'alsoKnownAs the PeerTube channel');

    const videos = await db().query<{ id: string; title: string; description: string; tags: string[]; visibility: string; language: string | null; licence: string; publish_at: Date; chapters: unknown; custom_thumbnail_key: string | null; status: string; source_key: string }>(
      'SELECT id, title, description, tags, visibility, language, licence, publish_at, chapters, custom_thumbnail_key, status, source_key FROM videos WHERE channel_id = $1 ORDER BY title DESC',
      [channel.id],
    );
    assert.deepEqual(videos.map((v) => [v.title, v.visibility]), [['Les coulisses', 'draft'], ['Le premier court', 'public']], 'private on PeerTube → draft here');
    const first = videos[1]!;
    assert.equal(first.description, 'Tourné à Lyon.\nAvec des amis.');
    assert.deepEqual(first.tags, ['court métrage', 'lyon']);
    assert.deepEqual([first.language, first.licence], ['fr', 'cc_by_sa']);
    assert.equal(first.publish_at.toISOString(), '2019-05-02T18:30:00.000Z', 'the original publication date');
    assert.deepEqual(first.chapters, [{ start: 0, title: 'Début' }, { start: 1, title: 'Fin' }]);
    const stored = async (key: string) => Buffer.from(await new Response((await site.deps.storage.get(key))!.body).arrayBuffer());
    assert.deepEqual(await stored(first.source_key), clip, 'the original file, as it was');
    assert.deepEqual(await stored(first.custom_thumbnail_key!), JPEG);
    const captions = await db().query<{ language: string; label: string; storage_key: string }>('SELECT language, label, storage_key FROM video_captions WHERE video_id = $1', [first.id]);
    assert.deepEqual(captions.map((c) => [c.language, c.label]), [['fr', 'Français']]);
    assert.equal((await stored(captions[0]!.storage_key)).toString(), VTT);
    assert.ok(videos.every((v) => v.status === 'processing'), 'each goes through the normal transcoding');
    assert.equal((await db().query("SELECT 1 FROM jobs WHERE type = 'video.transcode'")).length, 2);
    assert.equal((await db().query("SELECT 1 FROM community_mailings WHERE kind = 'video' AND channel_id = $1", [channel.id])).length, 2, 'no "new video" e-mail for the back catalogue');

    const comments = await db().query<{ body: string; body_html: string; by_team: boolean; status: string; video_id: string; created_at: Date }>('SELECT body, body_html, by_team, status, video_id, created_at FROM community_comments');
    assert.equal(comments.length, 1);
    assert.deepEqual([comments[0]!.video_id, comments[0]!.by_team, comments[0]!.status, comments[0]!.created_at.toISOString()], [first.id, true, 'approved', '2024-03-03T00:00:00.000Z']);
    assert.match(comments[0]!.body_html, /<strong>projection<\/strong>/);
    const followers = await db().query<{ source: string }>("SELECT source FROM portability_peertube_items WHERE kind = 'follower' AND channel_id = $1 ORDER BY source", [channel.id]);
    assert.deepEqual(followers.map((f) => f.source), ['alice@mastodon.example', 'bob@tube.example']);
    assert.equal((await db().query('SELECT 1 FROM federation_followers WHERE channel_id = $1', [channel.id])).length, 0, 'kept as a list, never made subscribers');

    const once = await state();
    const again = await importing(good);
    assert.equal(again.alreadyImported, true);
    assert.deepEqual(again.peertube!.videos, { imported: 0, alreadyHere: 2, withoutFile: [], otherChannel: [] });
    assert.deepEqual(await state(), once, 'importing twice changes nothing');
  });

  it('resumes: a video that cannot be read stops the import after the ones before it, and the next run finishes without duplicates', async () => {
    const entries = peertubeEntries(clip, 'second');
    // Other PeerTube uuids, so the first channel's videos are not "already here".
    const other = (text: string) => text.replaceAll('0d6b3b0a000', '0d6b3b0a099');
    const rename = (e: Entries) => Object.fromEntries(Object.entries(e).map(([k, v]) => [other(k), typeof v === 'string' ? other(v) : v]));
    await assert.rejects(importing(await zip(rename({ ...entries, [`files/videos/video-files/${V2}.mp4`]: Buffer.from('not a video at all') }))), refusal('not_media'));
    const [second] = await db().query<{ id: string }>("SELECT id FROM channels WHERE handle = 'second'");
    assert.ok(second, 'the channel stage committed');
    assert.equal(await count(`SELECT count(*)::int AS n FROM videos WHERE channel_id = '${second.id}'`), 1, 'the first video committed, the unreadable one did not');
    assert.equal(await count(`SELECT count(*)::int AS n FROM portability_peertube_items WHERE channel_id = '${second.id}' AND kind = 'follower'`), 0, 'the last stage did not run');
    const report = await importing(await zip(rename(entries)));
    assert.deepEqual(report.peertube!.videos, { imported: 1, alreadyHere: 1, withoutFile: [], otherChannel: [] });
    assert.equal(report.peertube!.channels[0]!.alreadyHere, true);
    assert.equal(await count(`SELECT count(*)::int AS n FROM videos WHERE channel_id = '${second.id}'`), 2);
    assert.equal(await count(`SELECT count(*)::int AS n FROM portability_peertube_items WHERE channel_id = '${second.id}' AND kind = 'follower'`), 2);
  });

  it('the Studio upload imports a PeerTube archive for the owner who sent it, and shows a refusal in their language', async () => {
    await owner.loadCsrf();
    const META = { filename: 'peertube-export.zip', filetype: 'application/zip' };
    // The import job, run directly (the transcoding jobs queued above are not this test's business).
    const runImport = async (response: Response) => {
      const { importId } = (await response.json()) as { importId: string };
      await site.handlers[IMPORT_JOB]!({ job: { id: 1, type: IMPORT_JOB, payload: { uploadId: importId }, attempts: 1, maxAttempts: 3 } as never, signal: new AbortController().signal, reportProgress: async () => undefined });
    };
    const entries = peertubeEntries(clip, 'troisieme');
    const wrong = await zip({ ...entries, 'peertube/channels.json': JSON.stringify({ videoChannels: [] }) });
    await runImport(await tusUpload(owner, new Uint8Array(readFileSync(wrong)), META, '/studio/archive-uploads/'));
    assert.match((await owner.get('/studio/import')).html, /PeerTube 6\.1 ou plus récent/);
    assert.equal((await db().query("SELECT 1 FROM channels WHERE handle = 'troisieme'")).length, 0);

    const other = (text: string) => text.replaceAll('0d6b3b0a000', '0d6b3b0a077');
    const renamed = Object.fromEntries(Object.entries(entries).map(([k, v]) => [other(k), typeof v === 'string' ? other(v) : v]));
    // The second video exported without its file (PeerTube's "without video files" export).
    const json = JSON.parse(renamed['peertube/videos.json'] as string) as { videos: { archiveFiles: Record<string, unknown> }[] };
    json.videos[1]!.archiveFiles.videoFile = null;
    renamed['peertube/videos.json'] = JSON.stringify(json);
    await runImport(await tusUpload(owner, new Uint8Array(readFileSync(await zip(renamed))), META, '/studio/archive-uploads/'));
    const page = (await owner.get('/studio/import')).html;
    assert.match(page, /href="\/studio\/channels\/troisieme"/);
    assert.match(page, /Depuis PeerTube : 1 vidéo \(transcodage en arrière-plan\) et 1 de vos commentaires/);
    assert.match(page, /1 vidéo a été exportée sans son fichier et n’a pas été importée \(Les coulisses\)/);
    assert.match(page, /2 abonnés PeerTube sont gardés en liste/);
    const admins = await db().query<{ email: string }>("SELECT u.email FROM channel_roles r JOIN users u ON u.id = r.user_id JOIN channels c ON c.id = r.channel_id WHERE c.handle = 'troisieme'");
    assert.deepEqual(admins, [{ email: 'camille@example.org' }], 'the uploader owns the imported channel');
  });
});
