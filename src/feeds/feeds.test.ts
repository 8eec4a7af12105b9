import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { parseFeed } from 'podcast-partytime';
import Parser from 'rss-parser';
import type { AppEnv } from '../core/http/context.js';
import { createErrorHandler, notFoundHandler } from '../core/http/error-handler.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, type TestSite } from '../../test/support/harness.js';
import { podcastGuid } from './podcast-guid.js';
import { feedRoutes } from './routes.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const DAY = 86_400_000;
const BASE = 'http://localhost:3000';

// Everything a title can hold that XML cares about. The control character cannot be carried by XML 1.0 at all.
const TRICKY_TITLE = `Tom & Jerry <3 "quoted" 'single' ]]> café 🎬`;
const CHANNEL_NAME = 'Camille & <Co> "ciné" 🎥';

type VideoSeed = { shortId: string; title: string; visibility: string; status?: string; publishAt?: string; createdAt: string; extra?: Record<string, unknown> };

// rss-parser reads RSS and Atom (xml2js underneath); Atom entries come with their `id`.
const rss = new Parser<{ 'atom:link': { $: Record<string, string> }; language: string; lastBuildDate: string }, { description: string; id?: string }>({
  customFields: { feed: ['atom:link', 'language', 'lastBuildDate'], item: ['description'] },
});

describe('feeds: public RSS, Atom and video podcast of a channel', () => {
  let site: TestSite;
  let app: Hono<AppEnv>;
  let channelId = '';
  const ids: Record<string, string> = {};
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

  async function insertVideo(v: VideoSeed): Promise<void> {
    const extra = v.extra ?? {};
    const rows = await site.deps.db.query<{ id: string }>(
      `INSERT INTO videos (short_id, channel_id, title, description, status, visibility, publish_at, created_at, updated_at, hls_prefix,
                           duration_seconds, renditions, chapters, poster_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        v.shortId, channelId, v.title, extra['description'] ?? '', v.status ?? 'ready', v.visibility, v.publishAt ?? null, v.createdAt,
        `videos/${v.shortId}/hls`, extra['duration'] ?? 10, JSON.stringify(extra['renditions'] ?? []), JSON.stringify(extra['chapters'] ?? []),
        extra['poster'] ?? null,
      ],
    );
    ids[v.shortId] = rows[0]!.id;
  }

  before(async () => {
    site = await createTestSite({ clock });
    await new TestClient(site.app).post('/setup', setupFields({ channel_language: 'fr' }));
    channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
    await site.deps.db.query(`UPDATE channels SET name = $2, description = 'Des **films** & des "essais"', lightning_address = 'camille@getalby.com',
                                     updated_at = '2026-11-01T00:00:00Z' WHERE id = $1`, [
      channelId,
      CHANNEL_NAME,
    ]);
    await insertVideo({
      shortId: 'PublicOld1',
      title: `${TRICKY_TITLE}\u0001`,
      visibility: 'public',
      createdAt: '2026-11-01T08:00:00Z',
      extra: {
        description: 'Un **court** métrage & <script>alert(1)</script>',
        duration: 125.4,
        poster: 'videos/PublicOld1/poster.jpg',
        renditions: [
          { name: '240p', height: 240, width: 426, bandwidth: 400000, codecs: 'avc1.42c015', kind: 'video' },
          { name: '720p', height: 720, width: 1280, bandwidth: 2800000, codecs: 'avc1.64001f', kind: 'video' },
          { name: 'audio', height: null, width: null, bandwidth: 128000, codecs: 'mp4a.40.2', kind: 'audio' },
        ],
        chapters: [{ start: 0, title: 'Intro & <début>' }, { start: 65, title: 'Fin 🎬' }],
      },
    });
    await insertVideo({ shortId: 'PublicNew2', title: 'Second film', visibility: 'public', publishAt: '2026-11-20T18:30:00Z', createdAt: '2026-11-02T08:00:00Z' });
    await insertVideo({ shortId: 'MembersV01', title: 'Members only film', visibility: 'members', createdAt: '2026-11-10T08:00:00Z' });
    await insertVideo({ shortId: 'DraftVid01', title: 'Draft film', visibility: 'draft', createdAt: '2026-11-10T08:00:00Z' });
    await insertVideo({ shortId: 'UnlistedV1', title: 'Unlisted film', visibility: 'unlisted', createdAt: '2026-11-10T08:00:00Z' });
    await insertVideo({ shortId: 'Scheduled1', title: 'Scheduled film', visibility: 'public', publishAt: '2026-11-25T09:00:00Z', createdAt: '2026-11-10T08:00:00Z' });
    await insertVideo({ shortId: 'FailedVid1', title: 'Failed film', visibility: 'public', status: 'failed', createdAt: '2026-11-10T08:00:00Z' });
    await insertVideo({ shortId: 'Processin1', title: 'Processing film', visibility: 'public', status: 'processing', createdAt: '2026-11-10T08:00:00Z' });
    await site.deps.db.query(`INSERT INTO video_captions (video_id, language, label, storage_key, created_at) VALUES ($1, 'fr', 'Français', 'k/fr.vtt', $2), ($1, 'en', 'English', 'k/en.vtt', $2)`, [
      ids['PublicOld1'],
      '2026-11-03T08:00:00Z',
    ]);

    // The feed routes need no session or CSRF middleware: only the one error handler, as app.ts wires it.
    app = new Hono<AppEnv>();
    app.route('/', feedRoutes(site.deps, site.services.viewers));
    const onError = createErrorHandler({ log: site.deps.log, defaultLocale: 'en', maxBodyBytes: 1024 });
    app.onError(onError);
    app.notFound(notFoundHandler(onError));
  });
  after(() => site.close());

  it('serves RSS 2.0 with the public videos, newest first, every field escaped and parsed back intact', async () => {
    const res = await get('/c/camille/feed.rss');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    const feed = await rss.parseString(await res.text());
    assert.equal(feed.title, CHANNEL_NAME);
    assert.equal(feed.link, `${BASE}/c/camille`);
    assert.match(feed.description ?? '', /^<p>Des <strong>films<\/strong> &amp; des (&quot;|")essais(&quot;|")<\/p>/, 'the channel description is Markdown rendered, as on its pages');
    assert.equal(feed['language'], 'fr');
    assert.deepEqual({ ...feed['atom:link'].$ }, { href: `${BASE}/c/camille/feed.rss`, rel: 'self', type: 'application/rss+xml' });
    assert.deepEqual(feed.items.map((i) => i.title), ['Second film', TRICKY_TITLE]);
    const [newest, oldest] = feed.items;
    assert.equal(newest!.link, `${BASE}/v/PublicNew2`);
    assert.equal(newest!.guid, `urn:uuid:${ids['PublicNew2']}`);
    assert.equal(newest!.pubDate, 'Fri, 20 Nov 2026 18:30:00 GMT');
    assert.equal(oldest!.pubDate, 'Sun, 01 Nov 2026 08:00:00 GMT');
    const html = oldest!['description'] as string;
    assert.match(html, /<img src="http:\/\/localhost:3000\/media\/v\/PublicOld1\/thumbnail" alt="">/);
    assert.match(html, /<strong>court<\/strong> métrage &amp;/);
    assert.doesNotMatch(html, /<script/);
    assert.equal(feed['lastBuildDate'], 'Fri, 20 Nov 2026 18:30:00 GMT', 'when the newest video was published');
  });

  it('serves Atom 1.0 with RFC 3339 dates, stable ids and the same videos', async () => {
    const res = await get('/c/camille/feed.atom');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    const xml = await res.text();
    const feed = await rss.parseString(xml);
    assert.equal(feed.title, CHANNEL_NAME);
    assert.equal(feed.link, `${BASE}/c/camille`);
    assert.equal(feed.feedUrl, `${BASE}/c/camille/feed.atom`);
    assert.deepEqual(feed.items.map((i) => i.title), ['Second film', TRICKY_TITLE]);
    assert.deepEqual(feed.items.map((i) => i.id), [`urn:uuid:${ids['PublicNew2']}`, `urn:uuid:${ids['PublicOld1']}`]);
    assert.deepEqual(feed.items.map((i) => i.link), [`${BASE}/v/PublicNew2`, `${BASE}/v/PublicOld1`]);
    assert.deepEqual(feed.items.map((i) => i.isoDate), ['2026-11-20T18:30:00.000Z', '2026-11-01T08:00:00.000Z']);
    assert.match(feed.items[1]!.content!, /<strong>court<\/strong>/);
    assert.match(xml, /<updated>2026-11-20T18:30:00Z<\/updated>/, 'the feed changed when its newest video was published');
    assert.match(xml, /<published>2026-11-01T08:00:00Z<\/published>/);
  });

  it('serves a Podcasting 2.0 video podcast that a podcast parser reads field by field', async () => {
    const res = await get('/c/camille/podcast.rss');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    const xml = await res.text();
    const feed = parseFeed(xml);
    assert.ok(feed, 'the podcast parser accepts the feed');
    assert.equal(feed.title, CHANNEL_NAME);
    assert.equal(feed.author, CHANNEL_NAME);
    assert.equal(feed.explicit, false);
    assert.equal(feed.itunesType, 'episodic');
    assert.equal(feed.itunesImage, `${BASE}/feeds/cover.png`, 'no avatar: the default artwork');
    assert.equal(feed.guid, podcastGuid(`${BASE}/c/camille/podcast.rss`));
    assert.equal(feed.guid, podcastGuid('localhost:3000/c/camille/podcast.rss'));
    assert.equal(feed.medium, 'video');
    // The parser reads podcast:locked only with an owner e-mail, which the spec makes optional and we do not publish.
    assert.match(xml, /<podcast:locked>no<\/podcast:locked>/);
    assert.deepEqual(feed.podcastFunding, [{ url: `${BASE}/c/camille/membership`, message: 'Support' }]);
    assert.equal(feed.value?.type, 'lightning');
    assert.equal(feed.value?.method, 'lnaddress');
    assert.deepEqual(feed.value?.recipients, [{ name: CHANNEL_NAME, type: 'lnaddress', address: 'camille@getalby.com', split: 100, fee: false }]);

    assert.deepEqual(feed.items.map((i) => i.title), ['Second film', TRICKY_TITLE]);
    const episode = feed.items[1]!;
    assert.equal(episode.guid, `urn:uuid:${ids['PublicOld1']}`);
    assert.deepEqual(episode.enclosure, { url: `${BASE}/media/v/PublicOld1/master.m3u8`, length: 0, type: 'application/x-mpegURL' });
    assert.equal(episode.duration, 125);
    assert.equal(episode.explicit, false);
    assert.equal(episode.itunesImage, `${BASE}/media/v/PublicOld1/thumbnail`);
    assert.equal(episode.alternativeEnclosures?.length, 1);
    const alternate = episode.alternativeEnclosures![0]!;
    assert.equal(alternate.type, 'application/x-mpegURL');
    assert.equal(alternate.height, 720);
    assert.equal(alternate.default, true);
    assert.deepEqual(alternate.source.map((s) => s.uri), [`${BASE}/media/v/PublicOld1/master.m3u8`]);
    assert.deepEqual(
      episode.podcastTranscripts?.map((t) => [t.url, t.type, t.language, t.rel]),
      [
        [`${BASE}/media/v/PublicOld1/captions/en.vtt`, 'text/vtt', 'en', 'captions'],
        [`${BASE}/media/v/PublicOld1/captions/fr.vtt`, 'text/vtt', 'fr', 'captions'],
      ],
    );
    assert.deepEqual(episode.podcastChapters, { url: `${BASE}/c/camille/videos/PublicOld1/chapters.json`, type: 'application/json+chapters' });
    assert.equal(feed.items[0]!.podcastChapters, undefined, 'a video without chapters links none');
    // podcast:socialInteract: the video's ActivityPub object is the root post of its fediverse replies.
    assert.deepEqual(episode.podcastSocialInteraction, [
      { platform: 'activitypub', id: '@camille@localhost:3000', url: `${BASE}/ap/videos/PublicOld1`, priority: 1, profileUrl: `${BASE}/c/camille` },
    ]);
    assert.equal(feed.podroll, undefined, 'no recommendations, no podroll element');
    assert.doesNotMatch(xml, /podcast:podroll/);
  });

  it('says socialInteract "disabled" on every episode once the channel closed its comments (through the whole site)', async () => {
    await site.deps.db.query(`INSERT INTO community_settings (channel_id, comment_policy) VALUES ($1, 'closed')`, [channelId]);
    try {
      const xml = await (await site.app.request('/c/camille/podcast.rss')).text();
      assert.ok(parseFeed(xml), 'the podcast parser accepts the feed');
      assert.equal((xml.match(/<podcast:socialInteract protocol="disabled"\/>/g) ?? []).length, 2);
      assert.doesNotMatch(xml, /protocol="activitypub"/);
    } finally {
      await site.deps.db.query('DELETE FROM community_settings WHERE channel_id = $1', [channelId]);
    }
    assert.match(await (await site.app.request('/c/camille/podcast.rss')).text(), /protocol="activitypub"/, 'open again');
  });

  it('lists the Fanfare channels behind its recommendations as the podroll (podcast:remoteItem with the feed GUID), each once', async () => {
    const recommend = (n: number, actor: string | null, author: string | null, source = 'activitypub') =>
      site.deps.db.query(
        `INSERT INTO recommendations (channel_id, url, title, author_name, source, position, object_id, object_actor) VALUES ($1, $2, 'A film', $3, $4, $5, $6, $7)`,
        [channelId, `https://elsewhere.example/v/film${n}`, author, source, n, actor ? `https://elsewhere.example/ap/videos/film${n}` : null, actor],
      );
    await recommend(1, 'https://elsewhere.example/ap/c/lucie', 'Lucie & co');
    await recommend(2, 'https://elsewhere.example/ap/c/lucie', 'Lucie & co');
    await recommend(3, 'https://peertube.example/video-channels/boats', 'Boats');
    await recommend(4, null, 'Someone', 'opengraph');
    await recommend(5, 'https://other.example:8443/ap/c/jo_2', null);
    try {
      const xml = await (await get('/c/camille/podcast.rss')).text();
      const feed = parseFeed(xml)!;
      assert.ok(feed, 'the podcast parser accepts the feed');
      assert.deepEqual(feed.podroll, [
        { feedGuid: podcastGuid('https://elsewhere.example/c/lucie/podcast.rss'), feedUrl: 'https://elsewhere.example/c/lucie/podcast.rss', title: 'Lucie & co', medium: 'video' },
        { feedGuid: podcastGuid('https://other.example:8443/c/jo_2/podcast.rss'), feedUrl: 'https://other.example:8443/c/jo_2/podcast.rss', medium: 'video' },
      ]);
      assert.equal(parseFeed(await (await get('/c/camille/podcast-audio.rss')).text())!.podroll?.length, 2, 'the audio podcast has it too');
    } finally {
      await site.deps.db.query('DELETE FROM recommendations WHERE channel_id = $1', [channelId]);
    }
  });

  it('serves the chapters a podcast item links to, in JSON Chapters 1.2.0', async () => {
    const res = await get('/c/camille/videos/PublicOld1/chapters.json');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json+chapters; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.deepEqual(await res.json(), {
      version: '1.2.0',
      title: TRICKY_TITLE + '\u0001',
      podcastName: CHANNEL_NAME,
      chapters: [
        { startTime: 0, title: 'Intro & <début>' },
        { startTime: 65, title: 'Fin 🎬' },
      ],
    });
  });

  it('never lists members-only, draft, unlisted, scheduled, failed or processing videos', async () => {
    for (const path of ['/c/camille/feed.rss', '/c/camille/feed.atom', '/c/camille/podcast.rss']) {
      const xml = await (await get(path)).text();
      for (const hidden of ['MembersV01', 'DraftVid01', 'UnlistedV1', 'Scheduled1', 'FailedVid1', 'Processin1']) {
        assert.doesNotMatch(xml, new RegExp(hidden), `${hidden} in ${path}`);
        assert.doesNotMatch(xml, new RegExp(ids[hidden]!), `${hidden} in ${path}`);
      }
    }
  });

  it('keeps the chapters of videos the visitor may not watch, or of another channel, behind a 404', async () => {
    for (const path of ['/c/camille/videos/MembersV01/chapters.json', '/c/camille/videos/DraftVid01/chapters.json', '/c/camille/videos/Scheduled1/chapters.json', '/c/someone/videos/PublicOld1/chapters.json', '/c/camille/videos/nope/chapters.json']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });

  it('puts its discovery links in the head of the channel pages (the channel.head slot)', async () => {
    for (const page of ['/c/camille', '/c/camille/about']) {
      const html = await (await site.app.request(page)).text();
      const head = html.slice(0, html.indexOf('</head>'));
      for (const file of ['feed.rss', 'feed.atom', 'podcast.rss']) assert.match(head, new RegExp(`<link rel="alternate" [^>]*href="/c/camille/${file.replace('.', '\\.')}"`), `${page} links ${file}`);
    }
  });

  it('answers 404, not 500, for an unknown or malformed channel', async () => {
    for (const path of ['/c/nobody/feed.rss', '/c/nobody/feed.atom', '/c/nobody/podcast.rss', '/c/No%20pe!/feed.rss', `/c/${'x'.repeat(40)}/podcast.rss`]) {
      const res = await get(path, { accept: 'application/json' });
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not_found');
    }
  });

  it('answers 304 to a reader whose copy is current, and 200 again once the feed changes', async () => {
    const first = await get('/c/camille/feed.rss');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    assert.match(etag, /^"[\w-]{22}"$/);
    assert.equal(lastModified, 'Fri, 20 Nov 2026 18:30:00 GMT');
    const again = await get('/c/camille/feed.rss', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await get('/c/camille/feed.rss', { 'if-none-match': `"other", W/${etag}` })).status, 304, 'weak comparison in a list');
    assert.equal((await get('/c/camille/feed.rss', { 'if-modified-since': lastModified })).status, 304);
    assert.equal((await get('/c/camille/feed.rss', { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).status, 200, 'If-None-Match wins');
    assert.equal((await get('/c/camille/podcast.rss', { 'if-none-match': etag })).status, 200, 'each format has its own tag');
    const head = await app.request('/c/camille/feed.rss', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), etag);
    assert.equal(await head.text(), '');

    clock.advance(60_000);
    await site.deps.db.query(`UPDATE videos SET title = 'Second film (director''s cut)', updated_at = $2 WHERE id = $1`, [ids['PublicNew2'], clock.now()]);
    const changed = await get('/c/camille/feed.rss', { 'if-none-match': etag, 'if-modified-since': lastModified });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(changed.headers.get('last-modified'), 'Sat, 21 Nov 2026 10:01:00 GMT');
    assert.equal((await rss.parseString(await changed.text())).items[0]!.title, "Second film (director's cut)");
  });

  it('lists a scheduled video once its time has come, at the top', async () => {
    clock.advance(5 * DAY);
    const feed = await rss.parseString(await (await get('/c/camille/feed.rss')).text());
    assert.equal(feed.items[0]!.title, 'Scheduled film');
    assert.equal(feed.items[0]!.pubDate, 'Wed, 25 Nov 2026 09:00:00 GMT');
    assert.equal(feed.items.length, 3);
  });

  it('uses the channel avatar as podcast artwork, and leaves out value when there is no Lightning address', async () => {
    await site.deps.db.query(`UPDATE channels SET avatar_key = 'avatars/6f1c1f6e-7d1e-4a57-8d7e-3f4a3b1c2d10.png', lightning_address = NULL WHERE id = $1`, [channelId]);
    const xml = await (await get('/c/camille/podcast.rss')).text();
    const feed = parseFeed(xml)!;
    assert.equal(feed.itunesImage, `${BASE}/media/avatars/6f1c1f6e-7d1e-4a57-8d7e-3f4a3b1c2d10.png`);
    assert.equal(feed.value, undefined);
    assert.doesNotMatch(xml, /podcast:value/);
  });

  it('lists at most the 100 newest videos', async () => {
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, created_at)
       SELECT 'Bulk' || lpad(i::text, 6, '0'), $1, 'Old film ' || i, 'ready', 'public', timestamptz '2025-01-01T00:00:00Z' + i * interval '1 hour'
         FROM generate_series(1, 120) AS i`,
      [channelId],
    );
    const feed = parseFeed(await (await get('/c/camille/podcast.rss')).text())!;
    assert.equal(feed.items.length, 100);
    assert.deepEqual(feed.items.slice(0, 3).map((i) => i.title), ['Scheduled film', "Second film (director's cut)", TRICKY_TITLE]);
    assert.equal(feed.items.at(-1)!.title, 'Old film 24', 'the 97 newest of the 120 older ones');
  });

  it('serves the default artwork as a square PNG of 1400 pixels', async () => {
    const res = await get('/feeds/cover.png');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1400, 1400]);
    assert.ok(png.length < 50_000, `small enough to serve from memory (${png.length} bytes)`);
    assert.equal((await get('/feeds/cover.png', { 'if-none-match': res.headers.get('etag')! })).status, 304);
  });
});
