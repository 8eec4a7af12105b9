import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';
import { queueMovedMails } from './mail.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const NEW_ACTOR = 'https://new.example/ap/c/camille';
const NEW_PAGE = 'https://new.example/c/camille';

function mailsTo(site: TestSite, to: string): string[] {
  return readOutbox(site.outboxDir)
    .filter((m) => m.includes(`To: ${to}`))
    .map((m) => m.replace(/=\r?\n/g, '').replace(/=3D/g, '=').replace(/\r?\n[ \t]+/g, ' '));
}

describe('moving: the Studio page, the "moved" e-mail and the redirects', () => {
  let site: TestSite;
  let owner: TestClient;
  let channelId: string;
  let shortId: string;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 200 });

  before(async () => {
    site = await createTestSite({ clock: createManualClock(NOW) });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const db = site.deps.db;
    channelId = (await db.query<{ id: string }>("SELECT id FROM channels WHERE handle = 'camille'"))[0]!.id;
    shortId = randomUUID().replace(/-/g, '').slice(0, 11);
    await db.query(
      `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, status, renditions, created_at, updated_at)
       VALUES ($1, $2, 'A film', '', '{}', 'en', 'cc_by', 'public', 'ready', '[]', $3, $3)`,
      [shortId, channelId, NOW],
    );
    // An active e-mail follower in French, one who unsubscribed, and a member with an account.
    for (const [email, language, status] of [['lea@example.org', 'fr', 'active'], ['gone@example.org', 'en', 'unsubscribed']] as const) {
      await db.query(
        `INSERT INTO community_followers (channel_id, kind, email, language, status, consent_at, confirmed_at) VALUES ($1, 'email', $2, $3, $4, $5, $5)`,
        [channelId, email, language, status, NOW],
      );
    }
    await signUpFan(site, 'member@example.org');
    const [tier] = await db.query<{ id: string }>(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, badge) VALUES ($1, 'Fan', 'EUR', 500, true) RETURNING id`, [channelId]);
    await db.query(
      `INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, current_period_start, current_period_end, provider)
       SELECT $1, id, $2, 'month', 'active', $3, $4, 'test' FROM users WHERE email = 'member@example.org'`,
      [channelId, tier!.id, NOW, new Date(NOW.getTime() + 30 * 86_400_000)],
    );
  });
  after(() => site.close());

  it('shows the move page to the channel admin, and refuses a target that is not an address', async () => {
    const page = await owner.get('/studio/channels/camille/move');
    assert.equal(page.res.status, 200);
    assert.match(page.html, /Where this channel came from/);
    assert.match(page.html, /Move this channel to another site/);
    const bad = await owner.post('/studio/channels/camille/move', { uri: 'not an address' });
    assert.equal(bad.res.status, 422);
    const self = await owner.post('/studio/channels/camille/move/aliases', { uri: 'bad\u0000' });
    assert.equal(self.res.status, 422);
    const fan = await signUpFan(site, 'fan@example.org');
    assert.equal((await fan.get('/studio/channels/camille/move')).res.status, 403);
  });

  it('e-mails followers and members once each, in their language, with one-click unsubscribe', async () => {
    const moveId = `${site.deps.config.publicUrl}/ap/c/camille#moves/1`;
    const queued = await site.deps.db.transaction((tx) => queueMovedMails(site.deps, tx, { channelId, channelName: 'Camille', moveId, newUrl: NEW_PAGE }));
    assert.equal(queued, 2);
    await runJobs();
    const [fr] = mailsTo(site, 'lea@example.org');
    assert.ok(fr, 'the French follower is told');
    assert.match(fr, /Camille a d=C3=A9m=C3=A9nag=C3=A9|Camille a déménagé/);
    assert.ok(fr.includes(NEW_PAGE));
    assert.match(fr, /List-Unsubscribe: <http[^>]+\/unsubscribe\/u\./);
    assert.match(fr, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    const [member] = mailsTo(site, 'member@example.org').filter((m) => m.includes('has moved'));
    assert.ok(member, 'the member is told');
    assert.match(member, /\/unsubscribe\/m\./);
    assert.equal(mailsTo(site, 'gone@example.org').length, 0, 'nobody who unsubscribed');

    // The one-click unsubscribe link of the e-mail works (community's route).
    const token = /\/unsubscribe\/(u\.[^>\s]+)>/.exec(fr)![1]!;
    const res = await site.app.request(`/unsubscribe/${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok(res.status < 400, String(res.status));

    // Queued again (a retried request): nobody gets it twice.
    await site.deps.db.transaction((tx) => queueMovedMails(site.deps, tx, { channelId, channelName: 'Camille', moveId, newUrl: NEW_PAGE }));
    await runJobs();
    assert.equal(mailsTo(site, 'lea@example.org').length, 1);
    assert.equal(mailsTo(site, 'member@example.org').filter((m) => m.includes('has moved')).length, 1);
  });

  it('answers 301 to the new site for the channel, its feeds and videos; the actor document stays, with movedTo', async () => {
    const before = await site.app.request('/c/camille');
    assert.equal(before.status, 200, 'nothing moves before the move');
    await site.deps.db.query(
      `INSERT INTO federation_moves (channel_id, target_actor_uri, target_page_url, move_activity_uri, moved_at) VALUES ($1, $2, $3, 'x#moves/1', $4)`,
      [channelId, NEW_ACTOR, NEW_PAGE, NOW],
    );
    const expect301 = async (path: string, location: string, headers: Record<string, string> = {}) => {
      const res = await site.app.request(path, { headers });
      assert.equal(res.status, 301, path);
      assert.equal(res.headers.get('location'), location, path);
    };
    await expect301('/c/camille', NEW_PAGE);
    await expect301('/c/Camille/feed.xml?page=2', `${NEW_PAGE}/feed.xml?page=2`);
    await expect301(`/v/${shortId}`, `https://new.example/v/${shortId}`);
    await expect301('/c/camille', NEW_ACTOR, { accept: 'application/activity+json' });
    await expect301('/ap/c/camille', NEW_PAGE, { accept: 'text/html' });
    const actor = await site.app.request('/ap/c/camille', { headers: { accept: 'application/activity+json' } });
    assert.equal(actor.status, 200);
    assert.equal(((await actor.json()) as { movedTo?: string }).movedTo, NEW_ACTOR);
    // Another channel's pages and the Studio are untouched.
    assert.equal((await site.app.request('/c/someone-else')).status, 404);
    assert.equal((await owner.get('/studio/channels/camille/move')).res.status, 200);
  });
});
