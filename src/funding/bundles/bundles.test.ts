import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../../core/jobs/index.js';
import { createTestBundle, confirmToken, defaultBundleFiles } from '../../../test/support/bundles.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { tusUpload } from '../../../test/support/tus.js';

const NOW = new Date('2026-11-21T12:00:00Z');

describe('bundles: unlock by e-mail or pay what you want, signed downloads, ZIP', () => {
  let site: TestSite;
  let owner: TestClient;
  let bundle: Awaited<ReturnType<typeof createTestBundle>>;
  const files = defaultBundleFiles();
  const clock = createManualClock(NOW);
  const runJobs = async () => {
    for (let i = 0; i < 3; i++) await runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock });
  };
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

  before(async () => {
    site = await createTestSite({ clock, env: { SITE_TIMEZONE: 'UTC' } });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    bundle = await createTestBundle(site, owner, { minimum: '2', suggested: '5' });
  });
  after(async () => site?.close());

  it('shows the bundle page with the free file downloadable and the locked ones listed', async () => {
    const visitor = new TestClient(site.app, { 'accept-language': 'en' });
    const { res, html } = await visitor.get(`/b/${bundle.slug}`);
    assert.equal(res.status, 200);
    assert.match(html, /<strong>album<\/strong>/);
    assert.match(html, /2 locked files/);
    assert.match(html, /DRM-free/);
    const free = hrefs(html).find((h) => h.startsWith(`/bundles/files/${bundle.fileIds['cover art.png']}`));
    assert.ok(free, 'the free file has a link');
    assert.ok(!hrefs(html).some((h) => h.includes(bundle.fileIds['booklet.pdf']!)), 'no link to a locked file');
    const got = await visitor.request(free!);
    assert.equal(got.status, 200);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), files[0]!.bytes);
    assert.equal((await visitor.request(`/bundles/files/${bundle.fileIds['booklet.pdf']}`)).status, 403);
  });

  it('refuses uploads of a type bundles do not take, or whose bytes lie about their type', async () => {
    const exe = await tusUpload(owner, new Uint8Array(Buffer.from('MZ\u0090\u0000 not a program')), { filename: 'x.exe', filetype: 'application/x-msdownload', bundle: bundle.id }, '/studio/bundle-uploads/');
    assert.equal(exe.status, 415);
    assert.match(((await exe.json()) as { error: { message: string } }).error.message, /cannot go in a bundle/);
    const fakePdf = await tusUpload(owner, new Uint8Array(Buffer.from('MZ this is no PDF')), { filename: 'y.pdf', filetype: 'application/pdf', bundle: bundle.id }, '/studio/bundle-uploads/');
    assert.equal(fakePdf.status, 422);
    const rows = await site.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bundle_files WHERE bundle_id = $1', [bundle.id]);
    assert.equal(rows[0]!.n, 4);
  });

  let accessUrl = '';
  it('unlocks by e-mail after the confirmation link (double opt-in), once', async () => {
    const fan = new TestClient(site.app, { 'accept-language': 'en' });
    await fan.get(`/b/${bundle.slug}`);
    const noConsent = await fan.post(`/b/${bundle.slug}/unlock/email`, { email: 'ana@example.org' });
    assert.equal(noConsent.res.status, 422);
    assert.match(noConsent.html, /Tick the box/);
    const asked = await fan.post(`/b/${bundle.slug}/unlock/email`, { email: 'ana@example.org', consent: 'on' });
    assert.equal(asked.res.status, 200);
    assert.match(asked.html, /Check your inbox/);
    const token = confirmToken(readOutbox(site.outboxDir), 'ana@example.org');
    const confirmPage = await fan.get(`/b/confirm?token=${token}`);
    assert.match(confirmPage.html, /Confirm and unlock/);
    const confirmed = await fan.post('/b/confirm', { token });
    assert.equal(confirmed.res.status, 303);
    accessUrl = confirmed.res.headers.get('location')!;
    const again = await fan.post('/b/confirm', { token });
    assert.equal(again.res.status, 410);
    assert.match(again.html, /already used/);
    assert.match((await fan.get(`/b/confirm?token=${token}`)).html, /already used/);
    assert.equal((await fan.get('/b/confirm?token=nonsense-token-that-is-long-enough')).res.status, 404);
    const [row] = await site.deps.db.query<{ consent: boolean; status: string }>(`SELECT consent, status FROM bundle_unlocks WHERE email = 'ana@example.org'`);
    assert.deepEqual([row!.consent, row!.status], [true, 'unlocked']);
  });

  it('gives the unlocked fan signed links to the locked files, but not the bonus, with Range', async () => {
    const fan = new TestClient(site.app);
    const { res, html } = await fan.get(accessUrl);
    assert.equal(res.status, 200);
    const links = hrefs(html);
    const pdf = links.find((h) => h.startsWith(`/bundles/files/${bundle.fileIds['booklet.pdf']}?`))!;
    assert.ok(pdf);
    assert.ok(!links.some((h) => h.includes(bundle.fileIds['stems.zip']!)), 'no bonus file for an e-mail unlock');
    const ranged = await fan.request(pdf, { headers: { range: 'bytes=0-4' } });
    assert.equal(ranged.status, 206);
    assert.equal(Buffer.from(await ranged.arrayBuffer()).toString(), '%PDF-');
    // Tampered: another file with the same signature, or a later expiry.
    const other = pdf.replace(bundle.fileIds['booklet.pdf']!, bundle.fileIds['stems.zip']!);
    const tampered = await fan.request(other);
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /not valid/);
    const later = pdf.replace(/e=(\d+)/, (_, e) => `e=${Number(e) + 3600}`);
    assert.equal((await fan.request(later)).status, 403);
    // Expired: the same link, eight days later.
    clock.advance(8 * 24 * 3600 * 1000);
    const expired = await fan.request(pdf);
    clock.advance(-8 * 24 * 3600 * 1000);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /expired/);
  });

  it('streams the whole bundle as a ZIP holding exactly what the fan unlocked', async () => {
    const fan = new TestClient(site.app);
    const { html } = await fan.get(accessUrl);
    const zipHref = hrefs(html).find((h) => h.startsWith('/bundles/zip/'))!;
    const res = await fan.request(zipHref);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-zip-'));
    try {
      writeFileSync(path.join(dir, 'b.zip'), new Uint8Array(await res.arrayBuffer()));
      const listed = spawnSync('python3', ['-c', 'import zipfile,sys,hashlib;z=zipfile.ZipFile(sys.argv[1]);print("\\n".join(f"{i.filename} {hashlib.sha256(z.read(i)).hexdigest()}" for i in z.infolist()))', path.join(dir, 'b.zip')], { encoding: 'utf8' });
      assert.equal(listed.status, 0, listed.stderr);
      const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      const expected = files.filter((f) => f.access !== 'bonus').map((f) => `${bundle.slug}/${f.filename} ${sha(f.bytes)}`);
      assert.deepEqual(listed.stdout.trim().split('\n').sort(), expected.sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [input, message] of [
    ['1', /minimum for this bundle is higher/],
    ['-5', /cannot be negative/],
    ['abc', /such as 5 or 4.50/],
  ] as const) {
    it(`refuses to charge "${input}" with a 422 in the fan's language`, async () => {
      const fan = new TestClient(site.app, { 'accept-language': 'en' });
      await fan.get(`/b/${bundle.slug}`);
      const refused = await fan.post(`/b/${bundle.slug}/unlock/pay`, { amount: input, email: 'x@example.org', provider: 'test' });
      assert.equal(refused.res.status, 422);
      assert.match(refused.html, message);
      const french = new TestClient(site.app, { 'accept-language': 'fr' });
      await french.get(`/b/${bundle.slug}`);
      const refusé = await french.post(`/b/${bundle.slug}/unlock/pay`, { amount: input, email: 'x@example.org', provider: 'test' });
      assert.equal(refusé.res.status, 422);
      assert.match(refusé.html, /minimum de ce lot|ne peut pas être négatif|comme 5 ou 4,50/);
    });
  }

  async function pay(fan: TestClient, amount: string): Promise<string> {
    await fan.get(`/b/${bundle.slug}`);
    const started = await fan.post(`/b/${bundle.slug}/unlock/pay`, { amount, email: 'payer@example.org', provider: 'test' });
    assert.equal(started.res.status, 303, started.html.slice(0, 400));
    const checkout = new URL(started.res.headers.get('location')!).pathname;
    await fan.get(checkout);
    const paid = await fan.post(checkout, { number: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' });
    assert.ok([200, 303].includes(paid.res.status), `${paid.res.status}`);
    clock.advance(60_000);
    await runJobs();
    const [row] = await site.deps.db.query<{ id: string }>(`SELECT id FROM payments WHERE purpose = 'bundle' ORDER BY created_at DESC LIMIT 1`);
    const back = await fan.request(`/b/${bundle.slug}/paid/${row!.id}`);
    assert.equal(back.status, 303, 'the paid page sends the fan to their files once the payment is confirmed');
    return back.headers.get('location')!;
  }

  it('unlocks by payment; the bonus goes to a payment above the average at its moment', async () => {
    const first = await pay(new TestClient(site.app, { 'accept-language': 'en' }), '4');
    const firstPage = await new TestClient(site.app).get(first);
    assert.ok(hrefs(firstPage.html).some((h) => h.includes(bundle.fileIds['stems.zip']!)), 'the first payment beats an average of 0');
    const second = await pay(new TestClient(site.app, { 'accept-language': 'en' }), '3');
    const secondPage = await new TestClient(site.app).get(second);
    assert.ok(!hrefs(secondPage.html).some((h) => h.includes(bundle.fileIds['stems.zip']!)), '3 is below the average of 4');
    assert.ok(hrefs(secondPage.html).some((h) => h.includes(bundle.fileIds['booklet.pdf']!)));
    const third = await pay(new TestClient(site.app, { 'accept-language': 'en' }), '10');
    assert.match((await new TestClient(site.app).get(third)).html, /more than the average/);
    const avg = await site.deps.db.query<{ average_at_payment: number; bonus: boolean }>(`SELECT average_at_payment, bonus FROM bundle_unlocks WHERE method = 'payment' ORDER BY unlocked_at`);
    assert.deepEqual(avg.map((r) => [r.average_at_payment, r.bonus]), [[0, true], [400, false], [350, true]]);
  });

  it('says so clearly when an e-mail link has expired, and unlocks nothing', async () => {
    const fan = new TestClient(site.app, { 'accept-language': 'fr' });
    await fan.get(`/b/${bundle.slug}`);
    await fan.post(`/b/${bundle.slug}/unlock/email`, { email: 'late@example.org', consent: 'on' });
    const token = confirmToken(readOutbox(site.outboxDir), 'late@example.org');
    clock.advance(49 * 3600 * 1000);
    try {
      const page = await fan.get(`/b/confirm?token=${token}`);
      assert.equal(page.res.status, 410);
      assert.match(page.html, /Ce lien a expiré/);
      assert.equal((await fan.post('/b/confirm', { token })).res.status, 410);
    } finally {
      clock.advance(-49 * 3600 * 1000);
    }
    const [row] = await site.deps.db.query<{ status: string }>(`SELECT status FROM bundle_unlocks WHERE email = 'late@example.org'`);
    assert.equal(row!.status, 'pending');
  });

  it('answers undeliverable when the bundle was unpublished before the payment was confirmed', async () => {
    const fan = new TestClient(site.app, { 'accept-language': 'en' });
    await fan.get(`/b/${bundle.slug}`);
    const started = await fan.post(`/b/${bundle.slug}/unlock/pay`, { amount: '6', email: 'late-payer@example.org', provider: 'test' });
    const checkout = new URL(started.res.headers.get('location')!).pathname;
    await fan.get(checkout);
    await site.deps.db.query('UPDATE bundles SET published = false WHERE id = $1', [bundle.id]);
    try {
      await fan.post(checkout, { number: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' });
      clock.advance(60_000);
      await runJobs();
      const [unlock] = await site.deps.db.query<{ status: string }>(`SELECT status FROM bundle_unlocks WHERE email = 'late-payer@example.org'`);
      assert.equal(unlock!.status, 'pending', 'nothing was unlocked');
      const { bundlePurpose } = await import('./service.js');
      const [payment] = await site.deps.db.query<import('../payments/queries.js').PaymentRow>(`SELECT * FROM payments WHERE email = 'late-payer@example.org'`);
      assert.deepEqual(await bundlePurpose(site.deps)!.succeeded!(site.deps.db, payment!, {} as never), { undeliverable: 'bundle_unavailable' });
    } finally {
      await site.deps.db.query('UPDATE bundles SET published = true WHERE id = $1', [bundle.id]);
    }
  });

  it('lists a signed-in fan’s unlocked bundles in their library', async () => {
    const fan = await signUpFan(site, 'ana@example.org');
    const { res, html } = await fan.get('/library');
    assert.equal(res.status, 200);
    const open = hrefs(html).find((h) => h.startsWith(`/b/${bundle.slug}/access?`));
    assert.ok(open, html);
    assert.equal((await fan.get(open!)).res.status, 200);
  });
});
