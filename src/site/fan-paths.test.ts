import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient } from '../../test/support/client.js';
import { payOnTestBank } from '../../test/support/funding/pay.js';
import { createManualClock, createSetUpSite, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** Issue 11's remaining paths: where a fan finds what they paid for, what the page itself offers, what the Studio shows. */
describe(`fans find what they paid for; the site and the Studio guide them (${ENGINE})`, () => {
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let channelId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });

  before(async () => {
    ({ site, owner, channelId } = await createSetUpSite(clock));
    await site.deps.db.query(`UPDATE channels SET description = $2 WHERE id = $1`, [channelId, 'Pots made **by hand**, see [my shop](https://shop.example).\n\nSecond _paragraph_.']);
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds, language, description, poster_key)
       VALUES ('PublicVid1', $1, 'Un bol en grès', 'ready', 'public', 'videos/PublicVid1/hls', 83, 'fr', 'Tournage.', 'videos/PublicVid1/hls/poster.jpg')`,
      [channelId],
    );
    await site.deps.storage.put('videos/PublicVid1/hls/master.m3u8', new TextEncoder().encode('#EXTM3U\n'));
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds, language, description, poster_key)
       VALUES ('MembersV01', $1, 'Secret glaze', 'ready', 'members', 'videos/MembersV01/hls', 83, 'en', 'Only for members.', 'videos/MembersV01/hls/poster.jpg')`,
      [channelId],
    );
    await site.deps.storage.put('videos/MembersV01/hls/poster.jpg', new Uint8Array(10));
    await site.deps.db.query(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, members_only_videos) VALUES ($1, 'Supporter', 'EUR', 500, true)`, [channelId]);
    fan = await signUpFan(site, 'fan@example.org');
    await fan.get('/');
  });
  after(() => site.close());

  it('should put My memberships, My tips and My fan budget in the header menu and on the account page, in both languages', async () => {
    const home = await fan.get('/');
    const menu = /<details class="account-menu">[\s\S]*?<\/details>/.exec(home.html)?.[0] ?? '';
    for (const [href, label] of [['/account/memberships', 'My memberships'], ['/account/tips', 'My tips'], ['/account/budget', 'My fan budget']]) {
      assert.match(menu, new RegExp(`href="${href}">${label}<`), `${label} in the header menu`);
    }
    assert.match(menu, /Log out/);
    const account = await fan.get('/account');
    assert.match(account.html, /What you support/);
    assert.match(account.html, /href="\/account\/tips">My tips</);
    await fan.post('/language', { lang: 'fr', back: '/account' });
    const fr = await fan.get('/account');
    assert.match(fr.html, /href="\/account\/memberships">Mes abonnements</);
    assert.match(fr.html, /Ce que vous soutenez/);
    await fan.post('/language', { lang: 'en', back: '/' });
    assert.doesNotMatch((await new TestClient(site.app).get('/')).html, /account-menu/, 'visitors get Log in / Sign up');
  });

  it('should list a fan’s paid tips on My tips, and refuse the page to visitors', async () => {
    assert.match((await fan.get('/account/tips')).html, /You have not tipped anyone yet/);
    const tip = await fan.post('/v/PublicVid1/tip', { amount: '3,00', provider: 'test' });
    await payOnTestBank(fan, tip.res.headers.get('location')!);
    await runJobs();
    const mine = await fan.get('/account/tips');
    assert.equal(mine.res.status, 200);
    assert.match(mine.html, /href="\/v\/PublicVid1">Un bol en grès</);
    assert.match(mine.html, /€3\.00/);
    const visitor = await new TestClient(site.app).get('/account/tips');
    assert.equal(visitor.res.status, 303, 'visitors are sent to log in');
  });

  it('should render the channel description as Markdown on its pages, never raw', async () => {
    const about = await fan.get('/c/camille/about');
    assert.match(about.html, /<strong>by hand<\/strong>/);
    assert.match(about.html, /<a href="https:\/\/shop\.example" rel="nofollow ugc noopener">my shop<\/a>/);
    assert.match(about.html, /<em>paragraph<\/em>/);
    assert.doesNotMatch(about.html, /\*\*by hand\*\*/);
    const home = await fan.get('/c/camille');
    assert.match(home.html, /<strong>by hand<\/strong>/, 'the first paragraph on the channel home');
    assert.doesNotMatch(home.html, /Second/, 'only the first paragraph there');
  });

  it('should serve a favicon and a web app manifest named after the site, linked from every page', async () => {
    const page = await new TestClient(site.app).get('/c/camille');
    assert.match(page.html, /<link rel="icon" href="\/assets\/icon.svg" type="image\/svg\+xml"\/?>/);
    assert.match(page.html, /<link rel="manifest" href="\/manifest.webmanifest"\/?>/);
    const icon = await site.app.request('/favicon.ico');
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.match(await icon.text(), /^<svg /);
    const manifest = await site.app.request('/manifest.webmanifest');
    assert.equal(manifest.status, 200);
    assert.match(manifest.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    const body = (await manifest.json()) as { name: string; short_name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string }[] };
    const siteName = (await site.deps.db.query<{ name: string }>('SELECT name FROM site'))[0]!.name;
    assert.equal(body.name, siteName);
    assert.ok(body.short_name.length > 0 && body.short_name.length <= 12);
    assert.equal(body.start_url, '/');
    assert.equal(body.display, 'standalone');
    assert.equal(body.icons[0]!.src, '/assets/icon.svg');
    // What an install prompt needs: PNG icons of 192 and 512 pixels, each served as the type and size it says.
    assert.deepEqual(body.icons.filter((i) => i.type === 'image/png').map((i) => i.sizes), ['192x192', '512x512']);
    for (const entry of body.icons) {
      const file = await site.app.request(entry.src);
      assert.equal(file.status, 200, entry.src);
      assert.equal(file.headers.get('content-type'), entry.type, entry.src);
      if (entry.type !== 'image/png') continue;
      const bytes = Buffer.from(await file.arrayBuffer());
      assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${entry.src} is a PNG`);
      assert.equal(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, entry.sizes, `${entry.src}: IHDR width x height`);
      assert.ok(bytes.length < 16_000, `${entry.src} stays small (${bytes.length} bytes)`);
    }
  });

  it('should let the creator choose, in the Studio, whether the paywall shows the poster or a blurred placeholder', async () => {
    const videoId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM videos WHERE short_id = 'MembersV01'`))[0]!.id;
    const edit = await owner.get(`/studio/videos/${videoId}`);
    assert.match(edit.html, /Poster behind the paywall/);
    assert.match(edit.html, /name="paywall_poster" value="blurred" checked/);
    assert.match((await fan.get('/v/MembersV01')).html, /paywall-poster blurred/);
    assert.equal((await fan.request('/media/v/MembersV01/thumbnail')).status, 404);
    const fields = { title: 'Secret glaze', licence: 'all_rights_reserved', visibility: 'members', publish_at: '' };
    assert.equal((await owner.post(`/studio/videos/${videoId}`, { ...fields, paywall_poster: 'nonsense' })).res.status, 422);
    assert.equal((await owner.post(`/studio/videos/${videoId}`, { ...fields, paywall_poster: 'shown' })).res.status, 303);
    assert.match((await owner.get(`/studio/videos/${videoId}`)).html, /name="paywall_poster" value="shown" checked/);
    assert.doesNotMatch((await fan.get('/v/MembersV01')).html, /paywall-poster blurred/);
    assert.equal((await fan.request('/media/v/MembersV01/thumbnail')).status, 200, 'the creator chose to show it');
    assert.equal((await owner.post(`/studio/videos/${videoId}`, fields)).res.status, 303);
    assert.match((await owner.get(`/studio/videos/${videoId}`)).html, /name="paywall_poster" value="shown" checked/, 'a form without the choice keeps it');
  });

  it('should name the tier, the next renewal and the link to manage it in the welcome e-mail', async () => {
    const tiers = await fan.get('/c/camille/membership');
    const tierId = /name="tier" value="([0-9a-f-]+)"/.exec(tiers.html)![1]!;
    const join = await fan.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    assert.equal(join.res.status, 303, join.html);
    await payOnTestBank(fan, join.res.headers.get('location')!);
    await runJobs();
    const mail = readOutbox(site.outboxDir).filter((m) => m.includes('To: fan@example.org') && /Your membership of/.test(m)).at(-1) ?? '';
    const text = mail.replace(/=\r?\n/g, '').replace(/=E2=80=99/g, '’');
    assert.match(text, /Tier: Supporter/);
    assert.match(text, /Next renewal: December 21, 2026/);
    assert.match(text, /Manage or cancel any time/);
    assert.match(text, /\/account\/memberships/);
  });

  it('should guide the creator in the Studio: a sidebar with every section, and a first-run checklist that ticks itself', async () => {
    const tips = await owner.get('/studio/channels/camille/tips');
    const nav = /<nav aria-label="Studio" class="studio-nav">[\s\S]*?<\/nav>/.exec(tips.html)?.[0] ?? '';
    for (const section of ['videos', 'revenue', 'tiers', 'members', 'tips', 'recommendations', 'fediverse', 'community']) {
      assert.match(nav, new RegExp(`href="/studio/channels/camille/${section}"`), `${section} in the sidebar`);
    }
    assert.match(nav, /href="\/studio\/channels\/camille"[^>]*>Settings</);
    assert.match(nav, /href="\/studio\/channels\/camille\/tips" aria-current="page"/);
    const videoId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM videos WHERE short_id = 'PublicVid1'`))[0]!.id;
    assert.match((await owner.get(`/studio/videos/${videoId}`)).html, /class="studio-nav">[\s\S]*href="\/studio\/channels\/camille\/tiers"/, 'a video page shows its channel’s sections');

    const before = await owner.get('/studio');
    assert.match(before.html, /First steps for [^<]+ \(3 of 5 done\)/);
    assert.match(before.html, /<a href="\/studio\/channels\/camille\/tips">Set a tip minimum<\/a>/, 'a step to do links to its page');
    assert.match(before.html, /<li class="done">[\s\S]*?Upload a video<\/li>/, 'a video exists: ticked');
    assert.match(before.html, /<li class="done">[\s\S]*?Create a membership tier<\/li>/);
    assert.match(before.html, /Connect a payment provider/, 'only the test bank here');
    const saved = await owner.post('/studio/channels/camille/tips/settings', { currency: 'EUR', minimum: '2,00', lightning_address: '' });
    assert.equal(saved.res.status, 303, saved.html);
    const after = await owner.get('/studio');
    assert.match(after.html, /\(4 of 5 done\)/);
    assert.match(after.html, /<li class="done">[\s\S]*?Set a tip minimum<\/li>/);
    await owner.post('/language', { lang: 'fr', back: '/studio' });
    assert.match((await owner.get('/studio')).html, /Premiers pas pour [^<]+ \(4 sur 5 faits\)/);
    await owner.post('/language', { lang: 'en', back: '/studio' });
  });

  it('should offer a share menu: the link, the link at a time, the fan’s fediverse server, the embed code', async () => {
    const page = await fan.get('/v/PublicVid1');
    assert.match(page.html, /<input id="share-link" type="url" readonly="" value="http[^"]+\/v\/PublicVid1"/);
    assert.match(page.html, /<form method="get" action="\/share" target="_blank"/);
    assert.match(page.html, /name="text" value="Un bol en grès http[^"]+\/v\/PublicVid1"/);
    assert.match(page.html, /&lt;iframe src=&quot;http[^&]+\/embed\/PublicVid1&quot;/);
    assert.match(page.html, /<script type="module" src="\/assets\/watch(-[A-Za-z0-9_-]+)?\.js"><\/script>/);
    assert.match((await fan.get('/v/PublicVid1?t=90')).html, /data-start-at="90"/, 'a link at a time starts there');
    assert.equal((await fan.get('/v/PublicVid1?t=-5')).res.status, 200, 'a bad time is ignored');

    const share = await fan.get(`/share?instance=${encodeURIComponent('https://Piaille.fr/')}&text=${encodeURIComponent('Un bol http://x/v/PublicVid1')}`);
    assert.equal(share.res.status, 200);
    assert.match(share.html, /href="https:\/\/piaille\.fr\/share\?text=Un%20bol%20http%3A%2F%2Fx%2Fv%2FPublicVid1"/);
    assert.match(share.html, /Continue to piaille\.fr to post it/);
    for (const bad of ['', 'localhost', 'javascript:alert(1)', 'evil..example', 'a b.example', 'x.example:99999999']) {
      const refused = await fan.get(`/share?instance=${encodeURIComponent(bad)}&text=x`);
      assert.equal(refused.res.status, 400, bad);
      assert.match(refused.html, /Give the address of your server/);
    }

    const embed = await new TestClient(site.app).get('/embed/PublicVid1');
    assert.match(embed.html, /<a href="http[^"]+\/v\/PublicVid1" target="_blank" rel="noopener" class="embed-title" lang="fr">Un bol en grès<\/a>/, 'the embed names the video and links back');
    assert.match(embed.html, /href="http[^"]+\/v\/PublicVid1#tip"[^>]*>Tip the creator</);
  });

  it('should count a view once per viewer per hour, without a cookie, and show views per day in the Studio', async () => {
    const visitor = new TestClient(site.app);
    const page = await visitor.get('/v/PublicVid1');
    assert.match(page.html, /data-view-url="\/api\/videos\/PublicVid1\/view"/);
    const csrf = /data-csrf="([^"]+)"/.exec(page.html)![1]!;
    const report = () => visitor.request('/api/videos/PublicVid1/view', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' });
    const first = await report();
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { counted: true });
    assert.equal(first.headers.get('set-cookie'), null, 'no cookie for counting');
    assert.deepEqual(await (await report()).json(), { counted: false }, 'the same viewer within the hour');
    clock.advance(3_600_000);
    assert.deepEqual(await (await report()).json(), { counted: true }, 'an hour later, a new view');
    const stored = await site.deps.db.query<{ mark: string }>('SELECT mark FROM video_view_marks');
    assert.ok(stored.every((r) => !/unknown|127\.0\.0\.1|::1/.test(r.mark)), 'only keyed hashes are kept, never the address');
    assert.equal((await visitor.request('/api/videos/MembersV01/view', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' })).status, 404, 'no view of what the viewer cannot watch');

    const videoId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM videos WHERE short_id = 'PublicVid1'`))[0]!.id;
    const studio = await owner.get(`/studio/videos/${videoId}`);
    assert.match(studio.html, /<h2 id="views-heading">Views<\/h2>/);
    assert.match(studio.html, /<p>2 views<\/p>/);
    assert.match(studio.html, /<svg class="views-chart"[^>]*role="img"/);
    assert.equal((studio.html.match(/<rect /g) ?? []).length, 30, 'one bar per day');
    assert.match((await owner.get('/studio/channels/camille/videos')).html, /Un bol en grès<\/a>\s*<\/td>\s*<td>[^<]*<\/td>\s*<td>[^<]*<\/td>\s*<td>2<\/td>/, 'the total in the list of videos');
  });
});

describe('before the first-run setup', () => {
  it('should still serve the favicon and the manifest (browsers ask for them on the setup page)', async () => {
    const fresh = await createTestSite();
    try {
      assert.equal((await fresh.app.request('/favicon.ico')).status, 200);
      const manifest = await fresh.app.request('/manifest.webmanifest');
      assert.equal(manifest.status, 200);
      assert.equal(((await manifest.json()) as { name: string }).name, 'Fanfare');
      assert.equal((await fresh.app.request('/')).status, 303, 'pages still lead to setup');
    } finally {
      await fresh.close();
    }
  });
});
