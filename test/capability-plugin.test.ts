import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { runDueJobsOnce } from '../src/core/jobs/index.js';
import type { AppEnv } from '../src/core/http/context.js';
import { defineCapability } from '../src/core/module.js';
import { MODULES } from '../src/modules.js';
import { TestClient, setupFields } from './support/client.js';
import { createTestSite, latestMagicToken, signUpFan, type TestSite } from './support/harness.js';

/**
 * The README's promise: a capability is a folder, one line in the list and a migration. This one is
 * declared here and appended to the list; nothing else in the site knows it, yet it gets a guarded Studio
 * page, a place on the watch page and in the Studio menu, and the video events.
 */
const changedVideos: string[] = [];
const paidPurposes: string[] = [];
const shoutOuts = defineCapability({
  name: 'shout-outs',
  routes: [
    {
      area: 'studio',
      path: '/studio',
      build: () => new Hono<AppEnv>().get('/channels/:handle/shout-outs', (c) => c.text(`shout-outs of ${c.req.param('handle')}`)),
    },
  ],
  subscriptions: {
    'video.changed': () => async ({ videoId, what }) => {
      changedVideos.push(`${videoId}:${what}`);
    },
    'payment.succeeded': () => async ({ purpose }) => {
      paidPurposes.push(purpose);
    },
  },
  contributes: {
    'watch.below-player': () => async (_env, video) => `Shout-out for ${video.title}`,
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/shout-outs`, label: 'studio.team', role: 'admin', order: 95 }],
  },
  tables: {},
});

describe('a capability added to the list (and nowhere else)', () => {
  let site: TestSite;
  let owner: TestClient;
  let videoId: string;
  before(async () => {
    site = await createTestSite({ modules: [...MODULES, shoutOuts] });
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const [channel] = await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    const [video] = await site.deps.db.query<{ id: string }>(
      `INSERT INTO videos (short_id, channel_id, title, description, tags, licence, visibility, status, duration_seconds, width, height, hls_prefix, renditions)
       VALUES ('plugTest01', $1, 'A plugged film', '', '{}', 'cc_by', 'public', 'ready', 10, 640, 360, 'videos/x/hls-1-1', '[]') RETURNING id`,
      [channel!.id],
    );
    videoId = video!.id;
  });
  after(() => site.close());

  it('gets its Studio route guarded by its area: login for visitors, 403 for fans, open to the owner', async () => {
    const anonymous = await new TestClient(site.app).get('/studio/channels/camille/shout-outs');
    assert.equal(anonymous.res.status, 303);
    assert.match(anonymous.res.headers.get('location')!, /^\/login\?back=/);
    const fan = new TestClient(site.app);
    await fan.post('/signup', { email: 'fan@example.org', display_name: 'Fan' });
    await fan.post('/auth/magic', { token: latestMagicToken(site.outboxDir, 'fan@example.org') });
    assert.equal((await fan.get('/studio/channels/camille/shout-outs')).res.status, 403);
    const mine = await owner.get('/studio/channels/camille/shout-outs');
    assert.equal(mine.res.status, 200);
    assert.equal(mine.html, 'shout-outs of camille');
  });

  it('puts its link in the Studio menu and its part under the player', async () => {
    assert.match((await owner.get('/studio')).html, /href="\/studio\/channels\/camille\/shout-outs"/);
    assert.match((await new TestClient(site.app).get('/v/plugTest01')).html, /Shout-out for A plugged film/);
  });

  it('receives the video events it subscribes to, as durable jobs', async () => {
    await site.deps.db.transaction((tx) => site.deps.events.publish(tx, 'video.changed', { videoId, what: 'captions' }, 'plug-test-1'));
    // The same occurrence again is recorded once.
    await site.deps.events.publish(site.deps.db, 'video.changed', { videoId, what: 'captions' }, 'plug-test-1');
    await runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock });
    assert.deepEqual(changedVideos, [`${videoId}:captions`]);
  });

  it('hears of a payment that succeeded once, from the payments capability it never imports', async () => {
    const fan = await signUpFan(site, 'tipper@example.org');
    await fan.get('/v/plugTest01');
    const start = await fan.post('/v/plugTest01/tip', { amount: '5,00', provider: 'test' });
    assert.equal(start.res.status, 303, start.html);
    const checkout = new URL(start.res.headers.get('location')!).pathname;
    await fan.get(checkout);
    const paid = await fan.post(checkout, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
    assert.equal(paid.res.status, 303, paid.html);
    const run = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock });
    await run(); // the bank's webhook records the payment and, in that transaction, the event's job
    await run();
    assert.deepEqual(paidPurposes, ['tip']);
    // A replayed webhook changes nothing, so no second event.
    const [delivery] = await site.deps.db.query<{ id: number }>(`SELECT id FROM jobs WHERE type = 'payments.test_webhook' ORDER BY id LIMIT 1`);
    await site.deps.db.query(`UPDATE jobs SET status = 'queued', finished_at = NULL, attempts = 0 WHERE id = $1`, [delivery!.id]);
    await run();
    assert.deepEqual(paidPurposes, ['tip']);
  });
});
