// The site the bad-input suite builds once: the channel "camille" with a ready video, a caption, a
// tier, a paid tip waiting for moderation, an open checkout, a fan's membership, a recommendation, a
// started upload and an editor; a second channel "noe" with its own admin. Route parameters are filled
// from it (see `concretePath`), so a new capability's routes are exercised without editing the suite.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { mountedRoutes, type MountedRoute } from '../../src/app.js';
import { createSessionFor } from '../../src/accounts/service.js';
import { hashToken } from '../../src/core/crypto.js';
import { cookiePolicy } from '../../src/core/http/cookies.js';
import { runDueJobsOnce } from '../../src/core/jobs/index.js';
import { TestClient, setupFields } from '../support/client.js';
import { addToTeam, createTestSite, latestMagicToken, type TestSite } from '../support/harness.js';
import { tusMetadata } from '../support/tus.js';

export interface Fixture {
  site: TestSite;
  routes: readonly MountedRoute[];
  /** The site owner, admin of "camille" (and of every channel). */
  owner: TestClient;
  /** A signed-in user with no channel role; owns the tip, the open checkout and the membership. */
  fan: TestClient;
  /** Admin of "noe" only. */
  otherAdmin: TestClient;
  /** Not signed in, but holding a CSRF token (so its refusals come from the guard, not the CSRF check). */
  anonymous: TestClient;
  ids: FixtureIds;
  /** Puts back what a previous case may have deleted or changed (video, caption, tier, team, sessions…). */
  restore(): Promise<void>;
  /** The route's path with every parameter replaced by a value from the fixture. */
  concretePath(route: Pick<MountedRoute, 'path'>): string;
  /** Pages with forms that no route's bare path shows (a magic link, a card waiting for 3-D Secure). */
  extraPages: string[];
}

export interface FixtureIds {
  channelId: string;
  videoId: string;
  videoShortId: string;
  tierId: string;
  /** An archived tier (its page offers "unarchive"), and a second live one (the fan may change to it). */
  archivedTierId: string;
  goldTierId: string;
  tipPaymentId: string;
  checkoutId: string;
  /** A checkout paid with the 3155 card, waiting on the bank's Authenticate step. */
  authCheckoutId: string;
  membershipId: string;
  recommendationId: string;
  editorUserId: string;
  uploadId: string;
  campaignId: string;
  rewardId: string;
  /** A public post of "camille" (slug `fixture-post`) and a fan's comment under the video. */
  postId: string;
  commentId: string;
  userIds: { owner: string; fan: string; otherAdmin: string };
}

async function signUp(site: TestSite, email: string): Promise<TestClient> {
  const client = new TestClient(site.app, { 'accept-language': 'en' });
  await client.post('/signup', { email, display_name: email.split('@')[0]! });
  await client.post('/auth/magic', { token: latestMagicToken(site.outboxDir, email) });
  await client.get('/');
  return client;
}

async function userId(site: TestSite, email: string): Promise<string> {
  return (await site.deps.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]))[0]!.id;
}

function expectRedirect(res: Response, what: string): string {
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`fixture: ${what} answered ${res.status}`);
  return location;
}

async function payOnTestBank(client: TestClient, checkoutUrl: string): Promise<void> {
  const path = new URL(checkoutUrl).pathname;
  await client.get(path);
  expectRedirect((await client.post(path, { number: '4242424242424242', expiry: '12/34', cvc: '123' })).res, `paying ${path}`);
}

export async function createFixture(): Promise<Fixture> {
  const site = await createTestSite();
  const db = site.deps.db;
  const runJobs = () => runDueJobsOnce({ db, handlers: site.handlers, clock: site.deps.clock });
  const owner = new TestClient(site.app, { 'accept-language': 'en' });
  expectRedirect((await owner.post('/setup', setupFields({ channel_language: 'en' }))).res, 'setup');
  expectRedirect((await owner.post('/studio/channels/new', { channel_name: 'Noé joue', handle: 'noe', description: '', channel_language: 'fr' })).res, 'second channel');
  const fan = await signUp(site, 'fan@example.org');
  const otherAdmin = await signUp(site, 'noe@example.org');
  await signUp(site, 'editor@example.org');
  await addToTeam(site, owner, 'noe', otherAdmin, 'noe@example.org', 'admin');
  const anonymous = new TestClient(site.app, { 'accept-language': 'en' });
  await anonymous.loadCsrf();

  const channelId = (await db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
  const ids: FixtureIds = {
    channelId,
    videoId: randomUUID(),
    videoShortId: `Bad${randomUUID().replace(/-/g, '').slice(0, 9)}`,
    tierId: '',
    archivedTierId: '',
    goldTierId: '',
    tipPaymentId: '',
    checkoutId: '',
    authCheckoutId: '',
    membershipId: '',
    recommendationId: '',
    editorUserId: await userId(site, 'editor@example.org'),
    uploadId: '',
    campaignId: '',
    rewardId: '',
    postId: '',
    commentId: '',
    userIds: { owner: await userId(site, 'camille@example.org'), fan: await userId(site, 'fan@example.org'), otherAdmin: await userId(site, 'noe@example.org') },
  };

  // Everything below is put back under the same ids when a case deleted it, so paths found on pages stay valid.

  /** A ready public video of camille (transcoding is tested elsewhere), with an English caption. */
  async function ensureVideo(): Promise<void> {
    const existing = await db.query('SELECT 1 FROM videos WHERE id = $1', [ids.videoId]);
    if (existing.length === 0) {
      await db.query(
        `INSERT INTO videos (id, short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ($1, $2, $3, 'A film', 'ready', 'public', $4, 120)`,
        [ids.videoId, ids.videoShortId, channelId, `videos/${ids.videoShortId}/hls`],
      );
      await site.deps.storage.put(`videos/${ids.videoShortId}/hls/master.m3u8`, new TextEncoder().encode('#EXTM3U\n'));
    }
    await db.query(`UPDATE videos SET status = 'ready', visibility = 'public', publish_at = NULL WHERE id = $1`, [ids.videoId]);
    const caption = await db.query('SELECT 1 FROM video_captions WHERE video_id = $1', [ids.videoId]);
    if (caption.length === 0) {
      const key = `videos/${ids.videoId}/captions/en-${randomUUID()}.vtt`;
      await site.deps.storage.put(key, new TextEncoder().encode('WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n'));
      await db.query(`INSERT INTO video_captions (video_id, language, label, storage_key) VALUES ($1, 'en', 'English', $2)`, [ids.videoId, key]);
    }
  }

  async function ensureTier(key: 'tierId' | 'goldTierId' | 'archivedTierId', name: string, price: number, archived: boolean): Promise<void> {
    ids[key] ||= randomUUID();
    await db.query(
      `INSERT INTO membership_tiers (id, channel_id, name, currency, monthly_price, yearly_price, members_only_videos, early_access_days, rank) VALUES ($1, $2, $3, 'EUR', $4, $5, true, 0, $6) ON CONFLICT (id) DO NOTHING`,
      [ids[key], channelId, name, price, price * 10, price / 100],
    );
    await db.query('UPDATE membership_tiers SET name = $2, monthly_price = $3, yearly_price = $4, archived = $5 WHERE id = $1', [ids[key], name, price, price * 10, archived]);
  }

  async function ensureTiers(): Promise<void> {
    await ensureTier('tierId', 'Supporter', 500, false);
    await ensureTier('goldTierId', 'Gold', 1000, false);
    await ensureTier('archivedTierId', 'Old', 300, true);
  }

  /** Camille follows a remote channel (its page then offers "unfollow"). */
  async function ensureFollowing(): Promise<void> {
    await db.query(
      `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, follow_activity_uri) VALUES ($1, 'https://remote.example/c/friend', 'https://remote.example/c/friend/inbox', $2) ON CONFLICT DO NOTHING`,
      [channelId, `http://localhost/ap/c/camille#follows/${randomUUID()}`],
    );
  }

  /** The post and the comment, as they were (a case may have edited, deleted or reported them). */
  async function ensurePostAndComment(): Promise<void> {
    ids.postId ||= randomUUID();
    ids.commentId ||= randomUUID();
    await db.query(
      `INSERT INTO community_posts (id, channel_id, slug, title, body, body_html, audience, published_at) VALUES ($1, $2, 'fixture-post', 'News', 'Hello', '<p>Hello</p>', 'public', now())
       ON CONFLICT (id) DO UPDATE SET title = 'News', body = 'Hello', body_html = '<p>Hello</p>'`,
      [ids.postId, channelId],
    );
    await db.query(
      `INSERT INTO community_comments (id, video_id, channel_id, author_id, body, body_html, status, created_at) VALUES ($1, $2, $3, $4, 'Nice', '<p>Nice</p>', 'approved', now())
       ON CONFLICT (id) DO UPDATE SET body = 'Nice', body_html = '<p>Nice</p>', status = 'approved', deleted_at = NULL, video_id = $2`,
      [ids.commentId, ids.videoId, channelId, ids.userIds.fan],
    );
    await db.query('DELETE FROM community_blocks WHERE channel_id = $1', [channelId]);
  }

  async function ensureRecommendation(): Promise<void> {
    ids.recommendationId ||= randomUUID();
    await db.query(
      `INSERT INTO recommendations (id, channel_id, url, title, source, position) VALUES ($1, $2, 'https://videos.example.net/w/elsewhere', 'Elsewhere', 'opengraph', 1) ON CONFLICT DO NOTHING`,
      [ids.recommendationId, channelId],
    );
  }

  /** An upload the owner started for camille (tus), so upload URLs name a real one. */
  async function ensureUpload(): Promise<void> {
    if (ids.uploadId && existsSync(path.join(site.deps.config.dataDir, 'uploads', ids.uploadId))) return;
    const upload = await owner.request('/studio/uploads/', {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '100', 'upload-metadata': tusMetadata({ filename: 'a.mp4', filetype: 'video/mp4', channel: 'camille' }), 'x-csrf-token': owner.csrf },
    });
    if (upload.status !== 201) throw new Error(`fixture: upload answered ${upload.status}`);
    ids.uploadId = upload.headers.get('location')!.split('/').pop()!;
  }

  const sessionCookie = cookiePolicy(site.deps.config.publicUrl).session;
  /** A session for `client` when its own was ended (a logout, a password change elsewhere). */
  async function ensureSignedIn(client: TestClient, id: string): Promise<void> {
    const token = client.cookies.get(sessionCookie);
    if (token && (await db.query('SELECT 1 FROM sessions WHERE token_hash = $1 AND user_id = $2', [hashToken(token), id])).length) return;
    client.cookies.set(sessionCookie, await createSessionFor(site.deps, db, id));
    await client.get('/');
  }

  async function restore(): Promise<void> {
    await ensureVideo();
    if (ids.campaignId) {
      // A case may have cancelled the campaign (an action form): live again, nothing settled.
      await db.query('DELETE FROM campaign_settlements WHERE campaign_id = $1', [ids.campaignId]);
      await db.query(`UPDATE campaigns SET state = 'live', final_amount = NULL, final_backers = NULL, ended_at = NULL WHERE id = $1`, [ids.campaignId]);
    }
    await ensureTiers();
    await ensureRecommendation();
    await ensureFollowing();
    await ensurePostAndComment();
    await db.query(
      `INSERT INTO channel_roles (channel_id, user_id, role) VALUES ($1, $2, 'editor') ON CONFLICT DO NOTHING`,
      [channelId, ids.editorUserId],
    );
    await db.query(`UPDATE tips SET message_status = 'held', video_id = $2 WHERE payment_id = $1`, [ids.tipPaymentId, ids.videoId]);
    await ensureSignedIn(owner, ids.userIds.owner);
    await ensureSignedIn(fan, ids.userIds.fan);
    await ensureSignedIn(otherAdmin, ids.userIds.otherAdmin);
    await ensureUpload();
  }

  await ensureVideo();
  await ensureTiers();
  await ensureRecommendation();
  await ensureFollowing();
  await ensurePostAndComment();
  await db.query(`INSERT INTO channel_roles (channel_id, user_id, role) VALUES ($1, $2, 'editor')`, [channelId, ids.editorUserId]);

  // A paid tip whose message waits for moderation.
  const tip = await fan.post(`/v/${ids.videoShortId}/tip`, { amount: '5', message: 'Bravo', provider: 'test' });
  await payOnTestBank(fan, expectRedirect(tip.res, 'tip'));
  // A fan's membership of the tier, paid.
  const join = await fan.post('/c/camille/membership/join', { tier: ids.tierId, interval: 'month', provider: 'test' });
  await payOnTestBank(fan, expectRedirect(join.res, 'membership'));
  await runJobs();
  ids.tipPaymentId = (await db.query<{ payment_id: string }>('SELECT payment_id FROM tips'))[0]!.payment_id;
  ids.membershipId = (await db.query<{ id: string }>(`SELECT id FROM memberships WHERE user_id = $1`, [ids.userIds.fan]))[0]!.id;
  // A second tip left unpaid: its checkout page shows the card form.
  const open = await fan.post(`/v/${ids.videoShortId}/tip`, { amount: '3', provider: 'test' });
  ids.checkoutId = /\/pay\/test\/([^/?]+)/.exec(expectRedirect(open.res, 'open checkout'))![1]!;
  // A third, paid with the card that asks for 3-D Secure: its checkout waits on the Authenticate page.
  const auth = await fan.post(`/v/${ids.videoShortId}/tip`, { amount: '4', provider: 'test' });
  const authPath = new URL(expectRedirect(auth.res, 'authenticated checkout')).pathname;
  ids.authCheckoutId = authPath.split('/').pop()!;
  await fan.get(authPath);
  expectRedirect((await fan.post(authPath, { number: '4000002500003155', expiry: '12/34', cvc: '123' })).res, 'the 3155 card');
  await ensureUpload();
  // A live campaign with a limited reward, so its pages and forms are probed past the lookup.
  const deadline = new Date(Date.now() + 20 * 86_400_000);
  ids.campaignId = (await db.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone, state, launched_at, original_deadline)
     VALUES ($1, 'season-2', 'Season 2', 'amount', 100000, 'EUR', 500, $2, 'Europe/Paris', 'live', now(), $2) RETURNING id`,
    [channelId, deadline],
  ))[0]!.id;
  ids.rewardId = (await db.query<{ id: string }>(`INSERT INTO campaign_rewards (campaign_id, title, price, quantity) VALUES ($1, 'Poster', 1500, 10) RETURNING id`, [ids.campaignId]))[0]!.id;

  const values: Record<string, () => string> = {
    slug: () => 'season-2',
    rewardId: () => ids.rewardId,
    videoId: () => ids.videoId,
    handle: () => 'camille',
    shortId: () => ids.videoShortId,
    tierId: () => ids.tierId,
    paymentId: () => ids.tipPaymentId,
    checkoutId: () => ids.checkoutId,
    userId: () => ids.editorUserId,
    language: () => 'en',
    provider: () => 'test',
  };
  /** `:id` and `*` mean different things under different prefixes. */
  const byPrefix: [RegExp, string, () => string][] = [
    [/^\/studio\/videos\//, 'id', () => ids.videoId],
    [/\/campaigns\//, 'id', () => ids.campaignId],
    [/\/posts\//, 'slug', () => 'fixture-post'],
    [/\/posts\//, 'id', () => ids.postId],
    [/^\/comments\//, 'id', () => ids.commentId],
    [/^\/memberships\//, 'id', () => ids.membershipId],
    [/\/recommendations\//, 'id', () => ids.recommendationId],
    [/^\/studio\/uploads\//, '*', () => ids.uploadId],
    [/^\/ap\//, '*', () => 'c/camille/inbox'],
    [/^\/nodeinfo\//, '*', () => '2.1'],
    [/^\/media\/v\//, 'path', () => 'master.m3u8'],
  ];

  function concretePath(route: Pick<MountedRoute, 'path'>): string {
    return route.path.replace(/:(\w+)(\{[^}]*\})?|\*/g, (whole, name: string | undefined, pattern: string | undefined) => {
      const key = name ?? '*';
      const special = byPrefix.find(([prefix, param]) => param === key && prefix.test(route.path));
      if (special) return special[2]();
      if (name && values[name]) return values[name]();
      // A pattern of alternatives (`{approve|reject}`): the first one.
      const choice = pattern && /^\{([A-Za-z0-9_-]+)(\|[A-Za-z0-9_|-]+)*\}$/.exec(pattern)?.[1];
      if (choice) return choice;
      return randomUUID(); // a syntactically valid id that names nothing
    });
  }

  const extraPages = [`/auth/magic?token=${'A'.repeat(43)}`, `/pay/test/${ids.authCheckoutId}/authenticate`];
  return { site, routes: mountedRoutes(site.app), owner, fan, otherAdmin, anonymous, ids, restore, concretePath, extraPages };
}

/**
 * A fingerprint of every table but the rate-limit counters (which count refused attempts by design):
 * a refused request must leave it unchanged (no half-written data).
 */
export async function databaseFingerprint(site: TestSite): Promise<Record<string, string>> {
  const tables = await site.deps.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('rate_limits', 'schema_migrations') ORDER BY 1`,
  );
  const sql = tables.map(({ name }) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${name}" t`).join(' UNION ALL ');
  const rows = await site.deps.db.query<{ name: string; sum: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

/**
 * The next transaction id: it moves only when something writes (read-only transactions take no id), so
 * an unchanged value proves an unchanged database without reading every table.
 */
async function nextTransactionId(site: TestSite): Promise<string> {
  return (await site.deps.db.query<{ xmax: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax'))[0]!.xmax;
}

/** Watches the database across one request: `changed()` names the tables written to since `start()`. */
export function databaseWatch(site: TestSite) {
  // The last fingerprint taken, valid while the next transaction id has not moved.
  let cached: { xid: string; fingerprint: Record<string, string> } | undefined;
  let before: { xid: string; fingerprint: Record<string, string> } | undefined;
  return {
    async start(): Promise<void> {
      const xid = await nextTransactionId(site);
      if (cached?.xid !== xid) cached = { xid, fingerprint: await databaseFingerprint(site) };
      before = cached;
    },
    async changed(): Promise<string[]> {
      const xid = await nextTransactionId(site);
      if (xid === before!.xid) return [];
      cached = { xid, fingerprint: await databaseFingerprint(site) };
      return changedTables(before!.fingerprint, cached.fingerprint);
    },
  };
}

/** Tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}

/** Signs of an error leaking its internals: a stack frame, a source path. */
export function leaksInternals(body: string): boolean {
  return /^\s+at (?:.* \()?(?:file:\/\/|node:|\/)[^\s)]+:\d+:\d+\)?$/m.test(body) || /node_modules\/|\/src\/[\w/-]+\.tsx?\b|\bfile:\/\/\//.test(body);
}
