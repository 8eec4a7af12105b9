import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../../test/support/client.js';
import { signUpFan } from '../../../test/support/harness.js';
import { CARDS, createCampaignSite, makeFans, pledge, type CampaignSite } from '../../../test/support/funding/campaign-site.js';
import * as q from './queries.js';

const DAY = 86_400_000;

describe('campaigns in the Studio, on the channel and watch pages, and the backers-only videos', () => {
  let cs: CampaignSite;
  let campaignId = '';
  let slug = '';
  let backer: TestClient;
  let stranger: TestClient;

  before(async () => {
    cs = await createCampaignSite(new Date('2026-11-02T09:00:00Z'));
    // The pitch (public) and the produced episode (members-only, attached to the campaign), inserted ready.
    for (const [shortId, visibility] of [['PitchVid01', 'public'], ['Episode001', 'members']] as const) {
      await cs.site.deps.db.query(
        `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ($1, $2, $3, 'ready', $4, $5, 10)`,
        [shortId, cs.channelId, `Video ${shortId}`, visibility, `videos/${shortId}/hls`],
      );
      await cs.site.deps.storage.put(`videos/${shortId}/hls/master.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
      await cs.site.deps.storage.put(`videos/${shortId}/hls/240p/seg_00000.m4s`, new Uint8Array(10));
    }
    backer = await signUpFan(cs.site, 'backer@example.org');
    stranger = await signUpFan(cs.site, 'stranger@example.org');
  });
  after(() => cs.site.close());

  it('the creator drafts a campaign with a limited reward and a stretch goal, then launches it', async () => {
    const created = await cs.owner.post('/studio/channels/camille/campaigns', {
      title: 'Season 2', slug: 'season-2', description: 'If **250,000** of you pre-order…', faq: 'Q? A.', goal_kind: 'amount', goal: '20.00', currency: 'EUR',
      min_pledge: '5.00', deadline: '2026-11-30T20:00', time_zone: 'America/Montreal', pitch_video: 'https://videos.example.org/v/PitchVid01',
    });
    assert.equal(created.res.status, 303, created.html);
    campaignId = created.res.headers.get('location')!.split('/').at(-1)!;
    const base = `/studio/channels/camille/campaigns/${campaignId}`;
    assert.equal((await cs.owner.post(`${base}/rewards`, { reward_title: 'Signed poster', reward_price: '15.00', reward_quantity: '2', reward_delivery: '2027-03', reward_description: '' })).res.status, 303);
    assert.equal((await cs.owner.post(`${base}/stretch-goals`, { stretch_threshold: '40.00', stretch_description: 'A bonus episode' })).res.status, 303);
    assert.equal((await cs.owner.post(`${base}/videos`, { video: 'Episode001' })).res.status, 303);
    const bad = await cs.owner.post(`/studio/channels/camille/campaigns`, { title: 'X', slug: 'x', goal_kind: 'amount', goal: '10', currency: 'EUR', min_pledge: '1', deadline: '2026-03-29T02:30', time_zone: 'Europe/Paris' });
    assert.equal(bad.res.status, 422, 'a wall time skipped by the clocks is refused, not guessed');
    assert.match(bad.html, /exists in this time zone/);
    assert.equal((await cs.owner.post(`${base}/launch`, {})).res.status, 303);
    const campaign = (await q.findCampaign(cs.site.deps.db, campaignId))!;
    assert.equal(campaign.state, 'live');
    assert.equal(campaign.deadline.toISOString(), '2026-12-01T01:00:00.000Z', '20:00 in Montreal');
    slug = campaign.slug;
    // Live: the goal is locked.
    const locked = await cs.owner.post(base, { title: 'Season 2', slug, goal_kind: 'amount', goal: '10.00', currency: 'EUR', min_pledge: '5.00', deadline: '2026-11-30T20:00', time_zone: 'America/Montreal', pitch_video: 'PitchVid01' });
    assert.equal(locked.res.status, 422);
    assert.match(locked.html, /cannot change/);
    assert.equal((await stranger.get(`${base}`)).res.status, 403, 'fans do not enter the Studio');
  });

  it('the public page shows progress, countdown, rewards with what remains, stretch goals; the channel and the pitch video link to it', async () => {
    const [a] = await makeFans(cs, 1);
    const reward = (await q.listRewards(cs.site.deps.db, campaignId))[0]!;
    await pledge(cs, (await q.findCampaign(cs.site.deps.db, campaignId))!, a!, '15.00', CARDS.good, reward.id);
    const page = await stranger.get(`/c/camille/campaigns/${slug}`);
    assert.equal(page.res.status, 200);
    assert.match(page.html, /€15\.00<\/strong> · 1 backer · 75 % of €20\.00/);
    assert.match(page.html, /28 days and 16 hours left/);
    assert.match(page.html, /America\/Montreal/);
    assert.match(page.html, /Signed poster.*1 left of 2/s);
    assert.match(page.html, /A bonus episode/);
    assert.match(page.html, /<strong>250,000<\/strong>/, 'the description is Markdown');
    assert.match((await stranger.get('/c/camille')).html, new RegExp(`href="/c/camille/campaigns/${slug}"`));
    assert.match((await stranger.get('/v/PitchVid01')).html, /Back “Season 2”/);
    const french = new TestClient(cs.site.app, { 'accept-language': 'fr' });
    assert.match((await french.get(`/c/camille/campaigns/${slug}`)).html, /1 contributeur · 75 % de 20,00/);
  });

  it('only backers whose pledge was collected watch the attached video, down to its segments', async () => {
    const campaign = (await q.findCampaign(cs.site.deps.db, campaignId))!;
    const start = await backer.post(`/c/camille/campaigns/${slug}/pledge`, { amount: '10.00', reward: '', provider: 'test' });
    assert.equal(start.res.status, 303, start.html);
    const checkout = new URL(start.res.headers.get('location')!).pathname;
    await backer.get(checkout);
    assert.equal((await backer.post(checkout, { number: CARDS.good, expiry: '12/34', cvc: '123' })).res.status, 303);
    await cs.runJobs();
    const paths = ['/v/Episode001', '/media/v/Episode001/master.m3u8', '/media/v/Episode001/240p/seg_00000.m4s'];
    for (const path of paths) assert.equal((await backer.request(path)).status, 404, `pledged, not collected yet: ${path}`);
    cs.clock.advance(campaign.deadline.getTime() - cs.clock.now().getTime());
    await cs.runJobs();
    assert.equal((await q.findCampaign(cs.site.deps.db, campaignId))!.state, 'successful');
    for (const path of paths) assert.equal((await backer.request(path)).status, 200, `collected: ${path}`);
    for (const path of paths) assert.equal((await stranger.request(path)).status, 404, `not a backer: ${path}`);
    assert.match((await backer.get('/account/pledges')).html, /Collected/);
    cs.clock.advance(8 * DAY);
    await cs.runJobs();
  });
});
