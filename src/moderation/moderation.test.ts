import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createTestSite, signUpFan, type TestSite } from '../../test/support/harness.js';

describe('moderation: one page for everything held, from every source', () => {
  let site: TestSite;
  let owner: TestClient;
  let paymentId: string;
  const noteUri = 'https://mastodon.example/users/lou/statuses/1';
  before(async () => {
    site = await createTestSite();
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const db = site.deps.db;
    const [channel] = await db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    const [video] = await db.query<{ id: string }>(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ('ModerVid01', $1, 'A held film', 'ready', 'public', 'videos/m/hls', 10) RETURNING id`,
      [channel!.id],
    );
    const [payment] = await db.query<{ id: string }>(
      `INSERT INTO payments (purpose, channel_id, amount, currency, provider, status, idempotency_key) VALUES ('tip', $1, 500, 'EUR', 'test', 'succeeded', 'moderation-test') RETURNING id`,
      [channel!.id],
    );
    paymentId = payment!.id;
    await db.query(`INSERT INTO tips (payment_id, video_id, message, message_status, display_name) VALUES ($1, $2, 'Bravo from a tip', 'held', 'Lou')`, [paymentId, video!.id]);
    await db.query(`INSERT INTO federation_comments (note_uri, video_id, actor_uri, content_html) VALUES ($1, $2, 'https://mastodon.example/users/lou', '<p>Nice reply</p>')`, [noteUri, video!.id]);
  });
  after(() => site.close());

  it('lists held tip messages and fediverse replies for the channel admins, and refuses fans', async () => {
    const page = await owner.get('/studio/channels/camille/moderation');
    assert.equal(page.res.status, 200);
    assert.match(page.html, /Messages left with tips/);
    assert.match(page.html, /Bravo from a tip/);
    assert.match(page.html, /Replies from the fediverse/);
    assert.match(page.html, /<p>Nice reply<\/p>/);
    assert.match((await owner.get('/studio')).html, /href="\/studio\/channels\/camille\/moderation"/);
    const fan = await signUpFan(site, 'fan@example.org');
    assert.equal((await fan.get('/studio/channels/camille/moderation')).res.status, 403);
    assert.equal((await fan.post('/studio/channels/camille/moderation', { kind: 'tip-message', id: paymentId, decision: 'approved' })).res.status, 403);
  });

  it('applies a decision through the source that owns the item, once', async () => {
    assert.doesNotMatch((await new TestClient(site.app).get('/v/ModerVid01')).html, /Bravo from a tip/);
    const approved = await owner.post('/studio/channels/camille/moderation', { kind: 'tip-message', id: paymentId, decision: 'approved' });
    assert.equal(approved.res.status, 303);
    assert.match((await new TestClient(site.app).get('/v/ModerVid01')).html, /Bravo from a tip/);
    const rejected = await owner.post('/studio/channels/camille/moderation', { kind: 'remote-reply', id: noteUri, decision: 'rejected' });
    assert.equal(rejected.res.status, 303);
    const [comment] = await site.deps.db.query<{ status: string }>('SELECT status FROM federation_comments WHERE note_uri = $1', [noteUri]);
    assert.equal(comment!.status, 'rejected');
    // Decided items leave the page and cannot be decided again.
    const page = await owner.get('/studio/channels/camille/moderation');
    assert.doesNotMatch(page.html, /Bravo from a tip|Nice reply/);
    const again = await owner.post('/studio/channels/camille/moderation', { kind: 'remote-reply', id: noteUri, decision: 'approved' });
    assert.equal(again.res.status, 404);
  });

  it('refuses an unknown source, a "held" decision and control characters with a 400, changing nothing', async () => {
    for (const fields of [
      { kind: 'no-such-source', id: paymentId, decision: 'approved' },
      { kind: 'tip-message', id: paymentId, decision: 'held' },
      { kind: 'remote-reply', id: `${noteUri}\u0000`, decision: 'approved' },
    ]) {
      const res = await owner.post('/studio/channels/camille/moderation', fields);
      assert.ok([400, 404].includes(res.res.status), `${JSON.stringify(fields)} → ${res.res.status}`);
    }
  });
});
