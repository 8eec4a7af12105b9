import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { sendDigests } from './service.js';
import { TestClient } from '../../test/support/client.js';
import { payOnTestBank } from '../../test/support/funding/pay.js';
import { createManualClock, createSetUpSite, latestMagicToken, readOutbox, type TestSite } from '../../test/support/harness.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';


describe(`a non-member finds a members-only video, joins from its paywall, and the creator is told (${ENGINE})`, () => {
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let channelId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });

  before(async () => {
    ({ site, owner, channelId } = await createSetUpSite(clock));
    const videos = [
      ['PublicVid1', 'public', 'Un bol en grès', 'fr', ['poterie'], 'Tournage d’un bol.'],
      ['MembersV01', 'members', 'Secret glaze recipe', 'en', ['glaze'], 'Only for members.'],
      ['PublicVid2', 'public', 'Kiln day', 'en', ['stoneware', 'bowls'], 'Firing the kiln.'],
    ] as const;
    for (const [shortId, visibility, title, language, tags, description] of videos) {
      await site.deps.db.query(
        `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds, language, tags, description, poster_key)
         VALUES ($1, $2, $3, 'ready', $4, $5, 83, $6, $7, $8, $9)`,
        [shortId, channelId, title, visibility, `videos/${shortId}/hls`, language, tags, description, `videos/${shortId}/hls/poster.jpg`],
      );
      await site.deps.storage.put(`videos/${shortId}/hls/master.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
      await site.deps.storage.put(`videos/${shortId}/hls/poster.jpg`, new Uint8Array(10));
    }
    await site.deps.db.query(
      `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, members_only_videos) VALUES ($1, 'Supporter', 'EUR', 500, true), ($1, 'Patron', 'EUR', 2000, true)`,
      [channelId],
    );
    fan = new TestClient(site.app);
    await fan.post('/signup', { email: 'fan@example.org', display_name: 'Lou' });
    await fan.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'fan@example.org') });
    await fan.get('/');
  });
  after(() => site.close());

  it('should list the members-only video on the channel page with a lock and the cheapest tier, and the owner sees it playable', async () => {
    const page = await fan.get('/c/camille');
    assert.match(page.html, /Secret glaze recipe/);
    assert.match(page.html, /🔒 <\/span>Members · from €5.00\/month \(Supporter\)/);
    assert.match(page.html, /Join from €5.00\/month/, 'the Join button in the channel header');
    const team = await owner.get('/c/camille');
    assert.match(team.html, /Secret glaze recipe/);
    assert.doesNotMatch(team.html, /🔒/);
    assert.match(team.html, /For members/);
  });

  it('should find videos without accents and by stem, in titles, tags and descriptions, and keep the query in the header', async () => {
    const search = async (query: string) => (await fan.get(`/search?q=${encodeURIComponent(query)}`)).html;
    assert.match(await search('gres'), /Un bol en grès/, '"gres" finds "grès"');
    assert.match(await search('bols'), /Un bol en grès/, '"bols" finds "bol"');
    assert.match(await search('bowl'), /Kiln day/, 'tags are searched, stemmed');
    assert.match(await search('firing'), /Kiln day/, 'descriptions are searched, stemmed');
    const one = await search('glaze');
    assert.match(one, /Secret glaze recipe/, 'members-only videos are found, locked');
    assert.match(one, /1 result\./);
    assert.match(await search('kiln OR gres'), /2 results\./);
    assert.match(one, /id="header-search" type="search" name="q" maxlength="200" value="glaze"/);
  });

  it('should show a non-member a paywall instead of a 404, and keep refusing the media', async () => {
    const page = await fan.get('/v/MembersV01');
    assert.equal(page.res.status, 200);
    assert.match(page.html, /This video is for members/);
    assert.match(page.html, /Join from €5.00\/month to watch/);
    assert.match(page.html, /Tier: Supporter/);
    assert.match(page.html, /Only for members\./, 'the description');
    assert.match(page.html, /1:23/, 'the duration');
    assert.match(page.html, /paywall-poster blurred/, 'the poster is blurred by default: not served');
    assert.doesNotMatch(page.html, /master\.m3u8/);
    assert.equal((await fan.request('/media/v/MembersV01/master.m3u8')).status, 404);
    assert.equal((await fan.request('/media/v/MembersV01/thumbnail')).status, 404, 'a blurred poster is not served at all');
    const visitor = await new TestClient(site.app).get('/v/MembersV01');
    assert.match(visitor.html, /href="\/login\?back=%2Fv%2FMembersV01"/, 'members who are not logged in get a way in');
    await site.deps.db.query(`UPDATE videos SET paywall_poster = 'shown' WHERE short_id = 'MembersV01'`);
    assert.equal((await fan.request('/media/v/MembersV01/thumbnail')).status, 200, 'the creator chose to show it');
    assert.equal((await fan.request('/media/v/MembersV01/master.m3u8')).status, 404);
  });

  it('should join from the paywall, say the period and renewal, and land back on the video, which plays', async () => {
    const tiers = await fan.get('/c/camille/membership?back=%2Fv%2FMembersV01');
    assert.match(tiers.html, /€5.00 per month, next renewal on December 21, 2026/);
    assert.match(tiers.html, /Cancel any time/);
    const tierId = /name="tier" value="([0-9a-f-]+)"/.exec(tiers.html)![1]!;
    const join = await fan.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test', back: '/v/MembersV01' });
    assert.equal(join.res.status, 303, join.html);
    const welcome = await payOnTestBank(fan, join.res.headers.get('location')!);
    await runJobs();
    const landed = await fan.get(new URL(welcome).pathname);
    assert.equal(landed.res.status, 303);
    assert.equal(landed.res.headers.get('location'), '/v/MembersV01');
    const video = await fan.get('/v/MembersV01');
    assert.match(video.html, /master\.m3u8/, 'the player');
    assert.equal((await fan.request('/media/v/MembersV01/master.m3u8')).status, 200);
  });

  it('should tell the creator of the new member in the Studio, with a bell count, and by e-mail', async () => {
    await runJobs();
    const home = await owner.get('/studio');
    assert.match(home.html, /Notifications \(1 new\)/);
    const list = await owner.get('/studio/notifications');
    assert.match(list.html, /New member: Lou joined the Supporter tier\./);
    assert.match((await owner.get('/studio')).html, /🔔 <\/span>Notifications<\/a>/, 'seen: the count is gone');
    assert.ok(readOutbox(site.outboxDir).some((mail) => mail.includes('To: camille@example.org') && mail.includes('New member: Lou joined the Supporter tier.')));
  });

  it('should never show an abandoned checkout as a membership, to the fan or the creator', async () => {
    const other = new TestClient(site.app);
    await other.post('/signup', { email: 'quitter@example.org', display_name: 'Quitter' });
    await other.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'quitter@example.org') });
    const tierId = /name="tier" value="([0-9a-f-]+)"/.exec((await other.get('/c/camille/membership')).html)![1]!;
    await other.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    // Abandoned; a second checkout closes the first one as expired.
    await other.post('/c/camille/membership/join', { tier: tierId, interval: 'month', provider: 'test' });
    assert.doesNotMatch((await other.get('/account/memberships')).html, /Ended|Quitter/);
    assert.doesNotMatch((await owner.get('/studio/channels/camille/members')).html, /Quitter/);
  });

  it('should send a daily digest instead when the creator chooses it, and nothing twice', async () => {
    assert.equal((await owner.post('/studio/notifications/settings', { channel: 'camille', email: 'digest' })).res.status, 303);
    const before = readOutbox(site.outboxDir).length;
    const tip = await fan.post('/v/PublicVid1/tip', { amount: '3,00', provider: 'test' });
    await payOnTestBank(fan, tip.res.headers.get('location')!);
    await runJobs();
    assert.equal(readOutbox(site.outboxDir).length, before + 1, 'only the fan’s receipt: the creator waits for the digest');
    // The recurring job (hourly) runs this; called here as a worker would.
    assert.equal(await sendDigests(site.deps), 1);
    assert.equal(await sendDigests(site.deps), 0, 'nothing twice');
    const digests = readOutbox(site.outboxDir).slice(before).filter((mail) => mail.includes('To: camille@example.org'));
    assert.equal(digests.length, 1, digests.join('\n---\n'));
    assert.match(digests[0]!, /New tip: (€|=E2=82=AC)3\.00 from /);
    clock.advance(3_600_000);
    await runJobs();
    assert.equal(await sendDigests(site.deps), 0);
    assert.equal(readOutbox(site.outboxDir).slice(before).filter((mail) => mail.includes('To: camille@example.org')).length, 1);
  });
});
