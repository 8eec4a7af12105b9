import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { enqueue, runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, latestMagicToken, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';
import { tusCreate, tusOffset, tusPatch, tusUpload } from '../../test/support/tus.js';
import { EXPIRE_EXPORTS_JOB } from './studio-export.js';
import { openArchive } from './zip-read.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const DAY = 86_400_000;

describe('Studio export: durable job, e-mailed signed link, expiry', () => {
  let site: TestSite;
  let owner: TestClient;
  let clock: ReturnType<typeof createManualClock>;
  let work: string;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 50 });
  let link = '';

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-studio-export-'));
    clock = createManualClock(NOW);
    site = await createTestSite({ clock, env: { EXPORT_KEEP_DAYS: '3' } });
    // The owner uses the site in French: the e-mail and the refusals come in French.
    owner = new TestClient(site.app, { 'accept-language': 'fr' });
    await owner.post('/setup', setupFields());
    const db = site.deps.db;
    const channelId = (await db.query<{ id: string }>("SELECT id FROM channels WHERE handle = 'camille'"))[0]!.id;
    await site.deps.storage.put(`videos/${channelId}/v1/original.mp4`, Buffer.from('not really a film'));
    await db.query(
      `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, status, renditions, source_key, created_at, updated_at)
       VALUES ('abcdefghijk', $1, 'Un film', '', '{}', 'fr', 'cc_by', 'public', 'ready', '[]', $2, $3, $3)`,
      [channelId, `videos/${channelId}/v1/original.mp4`, NOW],
    );
    // A member who joined with a saved test card (renewed off-session on the new site after the move).
    const tier = (await db.query<{ id: string }>(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ($1, 'Soutien', 'EUR', 500) RETURNING id`, [channelId]))[0]!.id;
    const member = new TestClient(site.app);
    await member.post('/signup', { email: 'member@example.org', display_name: 'Member' });
    await member.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'member@example.org') });
    await member.get('/');
    const join = await member.post('/c/camille/membership/join', { tier, interval: 'month', provider: 'test' });
    const page = new URL(join.res.headers.get('location')!).pathname;
    await member.get(page);
    const paid = await member.post(page, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
    assert.equal(paid.res.status, 303, paid.html);
    await runJobs();
    assert.deepEqual(await db.query("SELECT status FROM memberships"), [{ status: 'active' }]);
  });
  after(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('builds the archive in a job, shows its progress, e-mails a signed link in the owner\'s language', async () => {
    const asked = await owner.post('/studio/channels/camille/export', {}, { headers: { accept: 'application/json' } });
    assert.equal(asked.res.status, 202);
    const again = await owner.post('/studio/channels/camille/export', {}, { headers: { accept: 'application/json' } });
    assert.equal(again.res.status, 409, 'one export at a time');
    assert.match(again.html, /déjà en préparation/);

    const queued = await owner.get('/studio/channels/camille/export');
    assert.equal(queued.res.status, 200);
    assert.match(queued.html, /En préparation/);

    await runJobs();
    const page = await owner.get('/studio/channels/camille/export');
    assert.match(page.html, /Télécharger l’archive/);
    const shown = (await (await owner.request('/studio/channels/camille/export', { headers: { accept: 'application/json' } })).json()) as { exports: { status: string; link: string; progress: number | null }[] };
    assert.equal(shown.exports[0]!.status, 'ready');

    const mails = readOutbox(site.outboxDir).filter((m) => m.includes('To: camille@example.org') && m.includes('archive'));
    assert.equal(mails.length, 1);
    const mail = mails[0]!.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    assert.match(mail, /Subject: .*(Votre archive|=\?UTF-8\?)/);
    assert.match(mail, /jusqu’au|jusqu=E2=80=99au/);
    link = /https?:\/\/[^\s"<>]+\/archive\.zip\?expires=\d+&(?:amp;)?sig=[A-Za-z0-9_-]+/.exec(mail)![0].replace('&amp;', '&');
    assert.equal(new URL(link).pathname + new URL(link).search, shown.exports[0]!.link);

    const download = await owner.request(new URL(link).pathname + new URL(link).search);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/zip');
    assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
    assert.match(download.headers.get('cache-control') ?? '', /no-store/);
    const file = path.join(work, 'download.zip');
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    const reader = await openArchive(file);
    try {
      assert.ok(reader.entries.has('manifest.json'));
      assert.ok([...reader.entries.keys()].some((k) => k.endsWith('original.mp4')), 'the media travel');
      assert.match(await reader.readText('manifest.json'), /"handle": "camille"/);
      assert.match(await reader.readText('manifest.json'), /"paymentAccounts": \{\s*"test": "test-bank-[\w-]+"/, "the old site's payment accounts, compared on import");
    } finally {
      reader.close();
    }
  });

  it('refuses a bad signature, another account, and the link after expiry; the archive is then deleted', async () => {
    const url = new URL(link);
    const tampered = `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + DAY / 1000}&sig=${url.searchParams.get('sig')}`;
    const bad = await owner.request(tampered, { headers: { accept: 'application/json' } });
    assert.equal(bad.status, 403);
    assert.match(JSON.stringify(await bad.json()), /pas valide/);
    assert.equal((await owner.request(`${url.pathname}?expires=${url.searchParams.get('expires')}&sig=xyz`)).status, 403);
    assert.equal((await owner.request(url.pathname)).status, 403);

    const fan = await signUpFan(site, 'fan@example.org');
    assert.equal((await fan.request(url.pathname + url.search)).status, 403, 'the link alone opens nothing');

    clock.advance(3 * DAY + 1000);
    const expired = await owner.request(url.pathname + url.search, { headers: { accept: 'application/json' } });
    assert.equal(expired.status, 410);
    assert.match(JSON.stringify(await expired.json()), /expiré/);

    const key = (await site.deps.db.query<{ storage_key: string }>("SELECT storage_key FROM portability_exports WHERE status = 'ready'"))[0]!.storage_key;
    assert.ok(await site.deps.storage.stat(key));
    await enqueue(site.deps.db, { type: EXPIRE_EXPORTS_JOB }, site.deps.clock);
    await runJobs();
    assert.equal(await site.deps.storage.stat(key), undefined, 'the archive is deleted after expiry');
    assert.deepEqual(await site.deps.db.query('SELECT status FROM portability_exports'), [{ status: 'expired' }]);
    assert.match((await owner.get('/studio/channels/camille/export')).html, /Expiré/);
  });

  it('imports an uploaded archive on another site (resumable upload, durable job); refusals in the owner\'s language, nothing half-imported', async () => {
    const otherClock = createManualClock(NOW);
    const other = await createTestSite({ clock: otherClock });
    try {
      const dana = new TestClient(other.app, { 'accept-language': 'en' });
      await dana.post('/setup', setupFields({ email: 'dana@example.org', handle: 'dana', channel_language: 'en' }));
      await dana.loadCsrf();
      const runOther = () => runDueJobsOnce({ db: other.deps.db, handlers: other.handlers, clock: other.deps.clock, maxJobs: 50 });
      const META = { filename: 'camille.zip', filetype: 'application/zip' };
      const ENDPOINT = '/studio/archive-uploads/';

      // Not a ZIP: refused at its first bytes, in the uploader's language.
      const junk = await tusUpload(dana, new Uint8Array(Buffer.alloc(5000, 'x')), META, ENDPOINT);
      assert.equal(junk.status, 422);
      assert.match(await junk.text(), /not a Fanfare or PeerTube export archive/);
      // Only the site owner imports (an import creates a channel).
      const fan = await signUpFan(other, 'fan@example.org');
      await fan.loadCsrf();
      assert.equal((await tusCreate(fan, 5000, META, {}, ENDPOINT)).res.status, 403);
      assert.equal((await fan.get('/studio/import')).res.status, 403);

      const archive = readFileSync(path.join(work, 'download.zip'));
      // A truncated archive uploads (it begins as a ZIP) and is refused by the import job, nothing written.
      assert.equal((await tusUpload(dana, new Uint8Array(archive.subarray(0, Math.floor(archive.length / 2))), META, ENDPOINT)).status, 200);
      await runOther();
      const refused = await dana.get('/studio/import');
      assert.match(refused.html, /damaged or truncated/);
      assert.equal((await other.deps.db.query("SELECT 1 FROM channels WHERE handle = 'camille'")).length, 0);
      assert.equal((await other.deps.db.query('SELECT 1 FROM portability_imports')).length, 0);

      // The real one, in two requests as a resumed upload would send it.
      const { res, location } = await tusCreate(dana, archive.length, META, {}, ENDPOINT);
      assert.equal(res.status, 201);
      const half = Math.floor(archive.length / 2);
      assert.equal((await tusPatch(dana, location!, 0, new Uint8Array(archive.subarray(0, half)))).status, 204);
      assert.equal(await tusOffset(dana, location!), half);
      const finished = await tusPatch(dana, location!, half, new Uint8Array(archive.subarray(half)));
      assert.equal(finished.status, 200);
      assert.match(await finished.text(), /"editUrl":"\/studio\/import/);
      assert.match((await dana.get('/studio/import')).html, /Importing… 0%/);
      await runOther();
      const done = await dana.get('/studio/import');
      assert.match(done.html, /Imported:/);
      assert.match(done.html, /href="\/studio\/channels\/camille"/);
      const channel = (await other.deps.db.query<{ id: string }>("SELECT id FROM channels WHERE handle = 'camille'"))[0]!;
      assert.deepEqual(await other.deps.db.query('SELECT title FROM videos WHERE channel_id = $1', [channel.id]), [{ title: 'Un film' }]);
      assert.deepEqual(
        await other.deps.db.query('SELECT actor_uri FROM federation_actor_aliases WHERE channel_id = $1', [channel.id]),
        [{ actor_uri: `${site.deps.config.publicUrl}/ap/c/camille` }],
        'the alias to the old actor is set from the archive',
      );
      assert.deepEqual(readdirSync(path.join(other.dir, 'archive-imports')), [], 'uploaded archives are removed once imported or refused');

      // Members renew on the new site without doing anything when the provider account is the same (the
      // creator's own Stripe account; here the test bank's saved card, as both sites would see it).
      for (const method of await site.deps.db.query<Record<string, unknown>>("SELECT * FROM test_bank_objects WHERE kind = 'payment_method'")) {
        await other.deps.db.query('INSERT INTO test_bank_objects (id, kind, idempotency_key, fingerprint, data, version, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)', [
          method.id, method.kind, method.idempotency_key, method.fingerprint, JSON.stringify(method.data), method.version, method.created_at,
        ]);
      }
      const imported = (await other.deps.db.query<{ id: string; current_period_end: Date }>("SELECT id, current_period_end FROM memberships WHERE channel_id = $1 AND status = 'active'", [channel.id]))[0]!;
      otherClock.advance(imported.current_period_end.getTime() - NOW.getTime() + 60_000);
      await runOther();
      await runOther();
      const renewed = (await other.deps.db.query<{ status: string; current_period_end: Date }>('SELECT status, current_period_end FROM memberships WHERE id = $1', [imported.id]))[0]!;
      assert.equal(renewed.status, 'active');
      assert.ok(renewed.current_period_end > imported.current_period_end, 'the period moved on: renewed off-session on the new site');
      const charges = await other.deps.db.query<{ status: string }>("SELECT status FROM payments WHERE membership_id = $1 AND status = 'succeeded' AND created_at IS NOT NULL AND idempotency_key LIKE 'renew:%'", [imported.id]);
      assert.equal(charges.length, 1, 'charged once');
    } finally {
      await other.close();
    }
  });
});
