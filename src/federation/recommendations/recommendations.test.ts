import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { translator } from '../../core/i18n/index.js';
import type { PageEnv } from '../../core/http/layout.js';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { addToTeam, createTestSite, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { channelRecommendationShelf, type WellKnownRecommendation } from './public-routes.js';
import type { RecommendationRow } from './queries.js';
import { listRecommendations, recordIncomingRecommendation, removeIncomingRecommendation } from './service.js';
import { startTestSites, type TestSites } from '../../../test/fakes/video-sites.js';

const PAGE = '/studio/channels/camille/recommendations';

function envFor(locale: 'en' | 'fr' = 'en'): PageEnv {
  return { t: translator(locale), locale, user: null, csrfToken: '', path: '/', siteName: 'Test', canUseStudio: false };
}

describe('recommendations in the Studio and on public pages', () => {
  let site: TestSite;
  let sites: TestSites;
  let owner: TestClient;
  let camilleId = '';
  const added: RecommendationRow[] = [];
  let failingHook = false;
  const rowCount = async () => (await site.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM recommendations'))[0]!.n;
  const thumbnails = () => {
    try {
      return readdirSync(path.join(site.dir, 'media', 'recommendations'));
    } catch {
      return [];
    }
  };

  before(async () => {
    sites = await startTestSites();
    // The switch comes from the site's configuration (federationConfig), as in production.
    site = await createTestSite({
      env: { FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true' },
      services: {
        recommendations: {
          resolve: { fetch: { timeoutMs: 500 } },
          onRecommendationAdded: (_channelId, row) => {
            if (failingHook) throw new Error('federation is down');
            added.push(row);
          },
        },
      },
    });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    camilleId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
  });
  after(async () => {
    await site.close();
    await sites.close();
  });

  it('lets only the owner and the channel’s admins in', async () => {
    assert.equal((await new TestClient(site.app).get(PAGE)).res.status, 303, 'anonymous visitors go to the login page');
    const someFan = await signUpFan(site, 'fan@example.org');
    assert.equal((await someFan.get(PAGE)).res.status, 403);
    assert.equal((await someFan.post(PAGE, { url: `${sites.url}/og-video` })).res.status, 403);
    const editor = await signUpFan(site, 'ed@example.org');
    await addToTeam(site, owner, 'camille', editor, 'ed@example.org', 'editor');
    assert.equal((await editor.get(PAGE)).res.status, 403);
    assert.equal((await owner.get('/studio/channels/nope/recommendations')).res.status, 404);
    const page = await owner.get(PAGE);
    assert.equal(page.res.status, 200);
    assert.match(page.html, /Recommendations of Camille fait des films/);
    assert.match(page.html, /You do not recommend any video yet/);
    assert.match(page.html, /Nobody on another site recommends your videos yet/);
    assert.equal(await rowCount(), 0);
  });

  it('recommends a video read over ActivityPub, with a local copy of its thumbnail, and calls the hook', async () => {
    const posted = await owner.post(PAGE, { url: `  ${sites.url}/videos/watch/ap `, note: 'Patient, beautiful craft.' });
    assert.equal(posted.res.status, 303);
    assert.equal(posted.res.headers.get('location'), `${PAGE}?notice=recommendation_added`);
    const page = await owner.get(posted.res.headers.get('location')!);
    assert.match(page.html, /The video is recommended on your channel/);
    assert.match(page.html, /Building a canoe/);
    assert.match(page.html, /Ana’s woodwork/);
    const [row] = await listRecommendations(site.deps.db, camilleId);
    assert.equal(row?.source, 'activitypub');
    assert.equal(row?.url, `${sites.url}/w/canoe`);
    assert.equal(row?.thumbnail_key, `recommendations/${row!.id}.png`);
    assert.deepEqual(thumbnails(), [`${row!.id}.png`]);
    assert.equal(added.length, 1);
    assert.equal(added[0]?.id, row?.id);
    const image = await new TestClient(site.app).request(`/media/${row!.thumbnail_key}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
  });

  it('recommends videos read over oEmbed and Open Graph, and refuses the same video twice', async () => {
    assert.equal((await owner.post(PAGE, { url: `${sites.url}/oembed-video`, note: '' })).res.status, 303);
    assert.equal((await owner.post(PAGE, { url: `${sites.url}/og-video` })).res.status, 303);
    const again = await owner.post(PAGE, { url: `${sites.url}/redirect-3`, note: 'Twice?' });
    assert.equal(again.res.status, 422, 'a redirect to a recommended video is the same video');
    assert.match(again.html, /You already recommend this video/);
    const rows = await listRecommendations(site.deps.db, camilleId);
    assert.deepEqual(rows.map((r) => [r.source, r.position]), [['activitypub', 1], ['oembed', 2], ['opengraph', 3]]);
  });

  describe('refuses bad links with a message in the creator’s language, keeping the input', () => {
    const cases: [string, Record<string, string>, RegExp, RegExp?][] = [
      ['an empty address', { url: '   ' }, /This field is required/],
      ['text that is not an address', { url: 'not a web address' }, /Enter the full address of a video page/],
      ['a javascript: address', { url: 'javascript:alert(document.cookie)' }, /Only web addresses \(http:\/\/ or https:\/\/\) can be recommended/],
      ['a data: address', { url: 'data:text/html,<script>alert(1)</script>' }, /Only web addresses/],
      ['an address with a password', { url: 'https://me:secret@video.example/w/1' }, /Enter the full address/],
      ['an address too long', { url: `https://video.example/${'a'.repeat(2100)}` }, /at most 2048 characters/],
      ['a note too long', { url: 'https://video.example/w/1', note: 'é'.repeat(501) }, /At most 500 characters/],
      ['an unreachable host', { url: 'http://127.0.0.1:1/watch' }, /could not be reached/],
      ['a page that is not about a video', { url: 'SITE/article' }, /does not describe a video/],
      ['a missing page', { url: 'SITE/not-found' }, /answered with an error/],
      ['a huge page', { url: 'SITE/huge' }, /too large to read/],
      ['a site that does not answer in time', { url: 'SITE/slow' }, /took too long/],
      ['a redirect loop', { url: 'SITE/redirect-loop' }, /redirects too many times/],
    ];
    for (const [name, fields, message] of cases) {
      it(`refuses ${name}`, async () => {
        const before = await rowCount();
        const sent = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.replace('SITE', sites.url)]));
        const { res, html } = await owner.post(PAGE, sent);
        assert.equal(res.status, 422);
        assert.match(html, message);
        assert.match(html, /aria-invalid="true"/);
        if (sent['url']!.trim() && sent['url']!.length < 200) assert.ok(html.includes(`value="${sent['url']!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}"`), 'the address is kept');
        assert.equal(await rowCount(), before);
      });
    }

    it('says it in French to a French-speaking creator', async () => {
      await owner.post('/language', { lang: 'fr', back: PAGE });
      try {
        const { res, html } = await owner.post(PAGE, { url: `${sites.url}/article` });
        assert.equal(res.status, 422);
        assert.match(html, /Cette page ne décrit pas une vidéo/);
      } finally {
        await owner.post('/language', { lang: 'en', back: PAGE });
      }
    });

    it('refuses a post without the CSRF token', async () => {
      const { res } = await owner.post(PAGE, { url: `${sites.url}/og-video` }, { csrf: false });
      assert.equal(res.status, 403);
    });
  });

  it('keeps the recommendation when the hook fails, and keeps no thumbnail when the picture is not an image', async () => {
    failingHook = true;
    try {
      assert.equal((await owner.post(PAGE, { url: `${sites.url}/og-fake-thumb` })).res.status, 303);
    } finally {
      failingHook = false;
    }
    const row = (await listRecommendations(site.deps.db, camilleId)).find((r) => r.title === 'Bad picture');
    assert.equal(row?.thumbnail_key, null);
  });

  it('shows the shelf on the channel home page and under its videos, with safe external links', async () => {
    const home = await new TestClient(site.app).get('/c/camille');
    assert.equal(home.res.status, 200);
    assert.match(home.html, /Recommended by Camille fait des films/);
    assert.match(home.html, /<a href="http:\/\/127\.0\.0\.1:\d+\/w\/canoe" class="video-card" rel="noopener nofollow"/);
    assert.match(home.html, /Patient, beautiful craft\./);
    assert.match(home.html, /<img src="\/media\/recommendations\/[0-9a-f-]{36}\.png" alt="" loading="lazy"/);
    assert.doesNotMatch(home.html, /src="http:\/\/127/, 'no remote image: the page keeps its img-src self policy');
    await site.deps.db.query(`INSERT INTO videos (short_id, channel_id, title, visibility, status) VALUES ('recoTest01', $1, 'Our own film', 'public', 'ready')`, [camilleId]);
    const watch = await new TestClient(site.app).get('/v/recoTest01');
    assert.equal(watch.res.status, 200);
    assert.match(watch.html, /Recommended by Camille fait des films/);
    assert.equal((watch.html.match(/class="recommendation"/g) ?? []).length, 4, 'a few cards under a video');
  });

  it('renders the shelf in French and nothing for a channel without recommendations', async () => {
    const fr = String(await (await channelRecommendationShelf(site.deps, envFor('fr'), { id: camilleId, name: 'Camille', language: 'fr' }))!.toString());
    assert.match(fr, /Recommandé par Camille/);
    assert.match(fr, /lang="fr"/);
    const other = await site.deps.db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ('empty', 'Empty', 'en') RETURNING id`);
    assert.equal(await channelRecommendationShelf(site.deps, envFor(), { id: other[0]!.id, name: 'Empty' }), null);
  });

  it('publishes every channel’s recommendations in /.well-known/recommendations.json', async () => {
    const res = await new TestClient(site.app).request('/.well-known/recommendations.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const list = (await res.json()) as WellKnownRecommendation[];
    assert.equal(list.length, 4);
    const canoe = list.find((r) => r.title === 'Building a canoe')!;
    assert.equal(canoe.url, `${sites.url}/w/canoe`);
    assert.equal(canoe.reason, 'Patient, beautiful craft.');
    assert.equal(canoe.recommending_channel, `${site.deps.config.publicUrl}/c/camille`);
    assert.ok(!Number.isNaN(Date.parse(canoe.created_at)));
    assert.equal(list.find((r) => r.title !== 'Building a canoe')?.reason, null);
  });

  it('lists who recommends our videos, once per actor and object, and forgets them on Undo', async () => {
    const video = (await site.deps.db.query<{ id: string }>(`SELECT id FROM videos WHERE short_id = 'recoTest01'`))[0]!;
    const announce = {
      channelId: camilleId,
      videoId: video.id,
      objectUrl: `${site.deps.config.publicUrl}/v/recoTest01`,
      actorUrl: 'https://peertube.example/accounts/zoe',
      actorName: '  Zoé   <b>films</b> ',
      profileUrl: 'javascript:alert(1)',
      activityId: 'https://peertube.example/announces/1',
    };
    assert.equal((await recordIncomingRecommendation(site.deps.db, announce)).created, true);
    assert.equal((await recordIncomingRecommendation(site.deps.db, { ...announce, actorName: 'Zoé films' })).created, false, 'a redelivery is the same row');
    await recordIncomingRecommendation(site.deps.db, { channelId: camilleId, objectUrl: `${site.deps.config.publicUrl}/c/camille`, actorUrl: 'https://blog.example/actor' });
    await assert.rejects(recordIncomingRecommendation(site.deps.db, { ...announce, actorUrl: 'file:///etc/passwd' }));
    await assert.rejects(recordIncomingRecommendation(site.deps.db, { ...announce, channelId: 'not-a-uuid' }));
    const page = await owner.get(PAGE);
    assert.match(page.html, /Zoé films/);
    assert.doesNotMatch(page.html, /<b>films<\/b>/, 'remote names are text, never markup');
    assert.doesNotMatch(page.html, /href="javascript:/);
    assert.match(page.html, /href="\/v\/recoTest01">Our own film</);
    assert.match(page.html, /Your channel/);
    assert.equal(await removeIncomingRecommendation(site.deps.db, { actorUrl: 'https://evil.example/actor', activityId: announce.activityId }), 0, 'only the actor may undo');
    assert.equal(await removeIncomingRecommendation(site.deps.db, { actorUrl: announce.actorUrl, activityId: announce.activityId }), 1);
    assert.doesNotMatch((await owner.get(PAGE)).html, /Zoé films/);
  });

  it('removes a recommendation and its thumbnail; a wrong or foreign id is a 404', async () => {
    const [first] = await listRecommendations(site.deps.db, camilleId);
    const removed = await owner.post(`${PAGE}/${first!.id}/remove`, {});
    assert.equal(removed.res.status, 303);
    assert.equal(removed.res.headers.get('location'), `${PAGE}?notice=recommendation_removed`);
    assert.equal(existsSync(path.join(site.dir, 'media', first!.thumbnail_key!)), false);
    assert.equal((await owner.post(`${PAGE}/${first!.id}/remove`, {})).res.status, 404);
    assert.equal((await owner.post(`${PAGE}/not-a-uuid/remove`, {})).res.status, 404);
    const [second] = await listRecommendations(site.deps.db, camilleId);
    assert.equal((await owner.post(`/studio/channels/empty/recommendations/${second!.id}/remove`, {})).res.status, 404, 'another channel’s id');
    assert.equal((await new TestClient(site.app).request(`/media/${first!.thumbnail_key}`)).status, 404);
    assert.equal((await new TestClient(site.app).request('/media/recommendations/..%2F..%2Fetc%2Fpasswd')).status, 404);
  });
});

describe('recommendations on a site that keeps private addresses closed (the default)', () => {
  let site: TestSite;
  let sites: TestSites;
  let owner: TestClient;
  before(async () => {
    sites = await startTestSites();
    site = await createTestSite();
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
  });
  after(async () => {
    await site.close();
    await sites.close();
  });

  for (const url of ['SITE/og-video', 'http://localhost/watch', 'http://[::1]/watch', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/w/1']) {
    it(`refuses ${url} without fetching it`, async () => {
      const before = sites.requests.length;
      const { res, html } = await owner.post(PAGE, { url: url.replace('SITE', sites.url) });
      assert.equal(res.status, 422);
      assert.match(html, /leads to a private network/);
      assert.equal(sites.requests.length, before);
    });
  }
});
