import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import archiver from 'archiver';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { MODULES } from '../modules.js';
import { checkLedgerInvariants } from '../funding/ledger/index.js';
import { createTestSite, type TestSite } from '../../test/support/harness.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { fillChannel } from '../../test/support/portability/channel.js';
import { ArchiveError, exportChannel, importArchive, planTables, readSchema } from './index.js';
import { openArchive } from './zip-read.js';
import { translator } from '../core/i18n/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-archive-'));

/** A ZIP written entry by entry from names and bodies (hostile archives). */
async function zipOf(file: string, entries: [string, string | Buffer][]): Promise<string> {
  const archive = archiver('zip', { zlib: { level: 9 } });
  const out = createWriteStream(file);
  archive.pipe(out);
  for (const [name, body] of entries) archive.append(body, { name });
  await archive.finalize();
  await finished(out);
  return file;
}

/**
 * A stored (uncompressed) ZIP written byte by byte, so an entry can have any name (archiver cleans
 * `../` out of names; a hostile archive does not).
 */
function rawZip(file: string, entries: [string, string][]): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = Buffer.from(text, 'utf8');
    const crc = crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, directory, end]));
  return file;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** What two sites must agree on after a move: rows per table (keys aside), file checksums, balances. */
async function fingerprint(site: TestSite, handle: string) {
  const db = site.deps.db;
  const channel = (await db.query<{ id: string }>('SELECT id FROM channels WHERE handle = $1', [handle]))[0]!.id;
  const videos = await db.query<{ title: string; source_key: string; short_id: string; chapters: unknown; tags: string[] }>('SELECT title, short_id, source_key, chapters, tags FROM videos WHERE channel_id = $1 ORDER BY title', [channel]);
  const files: string[] = [];
  for (const v of videos) {
    for (const key of [v.source_key, v.source_key.replace('original.mp4', 'hls/720/seg0.m4s'), v.source_key.replace('original.mp4', 'captions/fr.vtt')]) {
      const stored = await site.deps.storage.get(key);
      const bytes = Buffer.from(await new Response(stored!.body).arrayBuffer());
      files.push(createHash('sha256').update(bytes).digest('hex'));
    }
  }
  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql, [channel]))[0]!.n);
  return {
    videos: videos.map((v) => ({ title: v.title, short_id: v.short_id, chapters: v.chapters, tags: v.tags, keyHasNewId: v.source_key.includes(channel) })),
    files,
    captions: await count('SELECT count(*)::int AS n FROM video_captions c JOIN videos v ON v.id = c.video_id WHERE v.channel_id = $1'),
    remoteFollowers: await db.query('SELECT actor_uri FROM federation_followers WHERE channel_id = $1', [channel]),
    followers: await db.query('SELECT kind, email, status FROM community_followers WHERE channel_id = $1 ORDER BY kind', [channel]),
    members: await db.query(
      `SELECT u.email, t.name AS tier, m.status, m.current_period_end, m.provider, m.customer_ref FROM memberships m JOIN users u ON u.id = m.user_id JOIN membership_tiers t ON t.id = m.tier_id WHERE m.channel_id = $1`,
      [channel],
    ),
    balances: await db.query(
      `SELECT a.kind, a.currency, sum(p.amount)::bigint AS total, count(*)::int AS postings FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.channel_id = $1 GROUP BY a.kind, a.currency ORDER BY a.kind`,
      [channel],
    ),
  };
}

describe('channel archive: export, import, refusals', () => {
  let source: TestSite;
  let target: TestSite;
  let archive: string;

  before(async () => {
    source = await createTestSite();
    await new TestClient(source.app, { 'accept-language': 'en' }).post('/setup', setupFields({ channel_language: 'en' }));
    const channelId = (await source.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
    const other = (await source.deps.db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ('voisin', 'Voisin', 'fr') RETURNING id`))[0]!.id;
    await fillChannel(source.deps.db, source.deps.storage, channelId, other);
    target = await createTestSite();
    await new TestClient(target.app, { 'accept-language': 'en' }).post('/setup', setupFields({ email: 'dana@example.org', handle: 'dana', channel_language: 'en' }));
    archive = path.join(dir, 'camille.zip');
    await exportChannel(source.deps, MODULES, { handle: 'camille', out: archive });
  });
  after(async () => {
    await source?.close();
    await target?.close();
  });

  it('every table travels or says why, and the travelling ones can be recreated from what the database says', async () => {
    const { problems } = planTables(await readSchema(source.deps.db), MODULES);
    assert.deepEqual(problems, []);
  });

  it('writes manifest.json with counts and the SHA-256 of every file, PeerTube files with relative URLs', async () => {
    const reader = await openArchive(archive);
    try {
      const manifest = JSON.parse(await reader.readText('manifest.json'));
      assert.equal(manifest.schemaVersion, 1);
      assert.equal(manifest.counts.videos, 2);
      assert.equal(manifest.counts.federation_followers, 1);
      for (const f of manifest.files) {
        const text = Buffer.from(await reader.readText(f.path), 'utf8');
        if (f.path.endsWith('.json') || f.path.endsWith('.ndjson')) assert.equal(createHash('sha256').update(text).digest('hex'), f.sha256, f.path);
      }
      const videos = JSON.parse(await reader.readText('peertube/videos.json')).videos;
      assert.match(videos[0].archiveFiles.videoFile, /^\.\.\/files\/videos\/[0-9a-f-]+\/original\.mp4$/);
      assert.ok(reader.entries.has(videos[0].archiveFiles.videoFile.slice(3)));
      const outbox = JSON.parse(await reader.readText('activity-pub/outbox.json'));
      assert.equal(outbox.orderedItems[0].object.type, 'Video');
      assert.ok(reader.entries.has('files/' + outbox.orderedItems[0].object.url[0].href.slice('../files/'.length)));
      assert.ok([...reader.entries.keys()].some((p) => /\/hls\/720\/seg0\.m4s$/.test(p)));
    } finally {
      reader.close();
    }
  });

  it('a dry run reports and writes nothing', async () => {
    const report = await importArchive(target.deps, MODULES, { file: archive, dryRun: true });
    assert.equal(report.counts.videos, 2);
    assert.equal((await target.deps.db.query(`SELECT 1 FROM channels WHERE handle = 'camille'`)).length, 0);
    assert.equal((await target.deps.db.query('SELECT 1 FROM portability_imports')).length, 0);
  });

  it('round trip: the other site ends with the same rows, files and ledger balances, ids remapped; importing again changes nothing', async () => {
    const report = await importArchive(target.deps, MODULES, { file: archive });
    assert.equal(report.alreadyImported, false);
    assert.notEqual(report.channelId, report.oldChannelId);
    assert.equal(report.oldActor, `${source.deps.config.publicUrl}/ap/c/camille`);
    // The new channel lists the old actor in alsoKnownAs at once, so the old site's Move is accepted.
    assert.deepEqual(await target.deps.db.query('SELECT actor_uri FROM federation_actor_aliases WHERE channel_id = $1', [report.channelId]), [{ actor_uri: report.oldActor }]);
    const before = await fingerprint(source, 'camille');
    const afterImport = await fingerprint(target, 'camille');
    assert.deepEqual(afterImport, before);
    assert.equal(before.videos.length, 2);
    assert.equal(before.members.length, 1);
    assert.ok(before.balances.length >= 3, JSON.stringify(before.balances));
    assert.deepEqual(await checkLedgerInvariants(target.deps.db), []);
    // The target's owner stays its only owner; the old owner arrived as a member.
    assert.deepEqual(await target.deps.db.query(`SELECT email FROM users WHERE site_role = 'owner'`), [{ email: 'dana@example.org' }]);

    const count = async () => (await target.deps.db.query<{ n: number }>('SELECT (SELECT count(*) FROM videos) + (SELECT count(*) FROM ledger_postings) + (SELECT count(*) FROM users) AS n'))[0]!.n;
    const n = await count();
    const again = await importArchive(target.deps, MODULES, { file: archive });
    assert.equal(again.alreadyImported, true);
    assert.equal(await count(), n);
  });

  it('refuses a handle already taken before writing anything', async () => {
    // A fresh copy of the archive has another id, so it is a new import: its handle is checked.
    const again = path.join(dir, 'camille-again.zip');
    await exportChannel(source.deps, MODULES, { handle: 'camille', out: again });
    const error = await importArchive(target.deps, MODULES, { file: again, handle: 'dana' }).catch((e) => e);
    assert.ok(error instanceof ArchiveError);
    assert.equal(error.problem, 'handle_taken');
    assert.match(translator('fr')(error.messageKey, error.vars), /Une chaîne @dana existe déjà/);
  });

  it('resumes after a crash in the files stage and in the rows stage, with nothing half-imported in between', async () => {
    const third = await createTestSite();
    try {
      let puts = 0;
      const crashingStorage = { ...third.deps.storage, putFile: async (...args: Parameters<typeof third.deps.storage.putFile>) => {
        if (++puts === 3) throw new Error('disk gone');
        return third.deps.storage.putFile(...args);
      } };
      await assert.rejects(importArchive({ ...third.deps, storage: crashingStorage }, MODULES, { file: archive }), /disk gone/);
      assert.deepEqual(await third.deps.db.query('SELECT stage FROM portability_imports'), [{ stage: 'files' }]);
      assert.equal((await third.deps.db.query('SELECT 1 FROM videos')).length, 0);

      const crashingEvents = { ...third.deps.events, publish: async () => {
        throw new Error('database gone');
      } };
      await assert.rejects(importArchive({ ...third.deps, events: crashingEvents }, MODULES, { file: archive }), /database gone/);
      assert.deepEqual(await third.deps.db.query('SELECT stage FROM portability_imports'), [{ stage: 'rows' }]);
      assert.equal((await third.deps.db.query('SELECT 1 FROM videos')).length, 0);
      assert.equal((await third.deps.db.query('SELECT 1 FROM ledger_transactions')).length, 0);

      const done = await importArchive(third.deps, MODULES, { file: archive });
      assert.equal(done.alreadyImported, false);
      assert.deepEqual(await fingerprint(third, 'camille'), await fingerprint(source, 'camille'));
      assert.deepEqual(await checkLedgerInvariants(third.deps.db), []);
    } finally {
      await third.close();
    }
  });

  const refusals: [string, () => Promise<string>, string][] = [
    ['a truncated archive', async () => {
      const bytes = readFileSync(archive);
      const file = path.join(dir, 'truncated.zip');
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      return file;
    }, 'corrupt'],
    ['a path-traversal entry', async () => rawZip(path.join(dir, 'traversal.zip'), [['manifest.json', '{}'], ['files/../../etc/evil', 'x']]), 'unsafe_path'],
    ['a zip bomb', () => zipOf(path.join(dir, 'bomb.zip'), [['manifest.json', '{}'], ['files/zeros', Buffer.alloc(4 * 1024 ** 2)]]), 'zip_bomb'],
    ['a wrong schema version', () => zipOf(path.join(dir, 'v99.zip'), [['manifest.json', JSON.stringify({ format: 'fanfare-channel-archive', schemaVersion: 99 })]]), 'version'],
    ['a damaged file', async () => {
      const reader = await openArchive(archive);
      const entries: [string, string | Buffer][] = [];
      for (const name of reader.entries.keys()) {
        const chunks: Buffer[] = [];
        for await (const c of await reader.open(name)) chunks.push(c as Buffer);
        let body = Buffer.concat(chunks);
        if (name.endsWith('original.mp4')) body = Buffer.concat([body.subarray(0, 10), Buffer.from('X'), body.subarray(11)]);
        entries.push([name, body]);
      }
      reader.close();
      return zipOf(path.join(dir, 'damaged.zip'), entries);
    }, 'checksum'],
    ['not an archive', async () => {
      const file = path.join(dir, 'text.zip');
      writeFileSync(file, 'hello');
      return file;
    }, 'not_an_archive'],
  ];
  for (const [what, make, problem] of refusals) {
    it(`refuses ${what} with a translated error and writes nothing`, async () => {
      const written = async () => (await target.deps.db.query<{ n: number }>('SELECT (SELECT count(*) FROM portability_imports) + (SELECT count(*) FROM videos) + (SELECT count(*) FROM users) AS n'))[0]!.n;
      const before = await written();
      const error = await importArchive(target.deps, MODULES, { file: await make() }).catch((e) => e);
      assert.ok(error instanceof ArchiveError, String(error?.stack ?? error));
      assert.equal(error.problem, problem);
      assert.ok(translator('fr')(error.messageKey, error.vars).length > 20);
      assert.notEqual(translator('fr')(error.messageKey, error.vars), translator('en')(error.messageKey, error.vars));
      assert.equal(await written(), before);
    });
  }
});
