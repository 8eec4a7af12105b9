import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { MailMessage } from '../core/mail/index.js';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { verpTag } from './suppressions.js';
import { arfComplaint, postfixDsn } from '../../test/support/community/mail-reports.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const INBOUND_TOKEN = 'inbound-token-for-the-tests-0123456789';
const BOUNCES = 'bounces@mail.fanfare.test';

/** The e-mails sent to `to` that mention `about`. */
function mailsAbout(site: TestSite, to: string, about: string): string[] {
  return mailsTo(site, to).filter((m) => m.includes(about));
}



/** The decoded e-mails sent to `to` (quoted-printable soft breaks undone). */
function mailsTo(site: TestSite, to: string): string[] {
  return readOutbox(site.outboxDir)
    .filter((m) => m.includes(`To: ${to}`))
    .map((m) => m.replace(/=\r?\n/g, '').replace(/=3D/g, '=').replace(/\r?\n[ \t]+/g, ' '));
}

function linkIn(mail: string, pattern: RegExp): string {
  const m = pattern.exec(mail);
  assert.ok(m, `no link matching ${pattern} in:\n${mail}`);
  return new URL(m[0]).pathname;
}

async function insertVideo(site: TestSite, channelId: string, visibility = 'public'): Promise<{ id: string; shortId: string }> {
  const shortId = randomUUID().replace(/-/g, '').slice(0, 11);
  const [row] = await site.deps.db.query<{ id: string }>(
    `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, status, renditions, created_at, updated_at)
     VALUES ($1, $2, 'A film', '', '{}', 'en', 'cc_by', $3, 'ready', '[]', $4, $4) RETURNING id`,
    [shortId, channelId, visibility, new Date(NOW.getTime() - 60_000)],
  );
  return { id: row!.id, shortId };
}

async function makeMember(site: TestSite, channelId: string, email: string, tierName: string): Promise<string> {
  const db = site.deps.db;
  const [tier] = await db.query<{ id: string }>(
    `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, badge) VALUES ($1, $2, 'EUR', 500, true) RETURNING id`,
    [channelId, tierName],
  );
  const [user] = await db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  await db.query(
    `INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, current_period_start, current_period_end, provider)
     VALUES ($1, $2, $3, 'month', 'active', $4, $5, 'test')`,
    [channelId, user!.id, tier!.id, NOW, new Date(NOW.getTime() + 30 * 86_400_000)],
  );
  return tier!.id;
}

describe('community: follow, comments, posts', () => {
  let site: TestSite;
  let owner: TestClient;
  let fan: TestClient;
  let member: TestClient;
  let channelId: string;
  let video: { id: string; shortId: string };
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 500 });

  before(async () => {
    site = await createTestSite({ clock: createManualClock(NOW), env: { BOUNCE_ADDRESS: BOUNCES, INBOUND_MAIL_TOKEN: INBOUND_TOKEN } });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    fan = await signUpFan(site, 'fan@example.org');
    member = await signUpFan(site, 'member@example.org');
    channelId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
    video = await insertVideo(site, channelId);
  });
  after(() => site.close());

  it('refuses an e-mail follow without consent with a clear 422, writing nothing', async () => {
    const anonymous = new TestClient(site.app, { 'accept-language': 'fr' });
    await anonymous.get('/c/camille');
    const { res, html } = await anonymous.post('/c/camille/follow/email', { email: 'reader@example.org' });
    assert.equal(res.status, 422);
    assert.match(html, /Cochez la case/);
    assert.equal((await site.deps.db.query('SELECT 1 FROM community_followers')).length, 0);
  });

  it('follows by e-mail only after the confirm link (double opt-in), and publishes follower.added', async () => {
    const anonymous = new TestClient(site.app, { 'accept-language': 'en' });
    const page = await anonymous.get('/c/camille');
    assert.match(page.html, /Follow by e-mail/);
    const { res } = await anonymous.post('/c/camille/follow/email', { email: 'Reader@Example.org', consent: 'on' });
    assert.equal(res.status, 200);
    const [row] = await site.deps.db.query<{ status: string }>('SELECT status FROM community_followers WHERE email = $1', ['reader@example.org']);
    assert.equal(row?.status, 'unconfirmed');
    const mail = mailsTo(site, 'reader@example.org').at(-1)!;
    assert.match(mail, /Confirm that you follow/);
    assert.match(mail, /Content-Type: text\/html/);
    const confirm = linkIn(mail, /https?:\/\/[^\s"]+\/follow\/confirm\/[A-Za-z0-9._-]+/);
    await anonymous.get(confirm);
    const { res: done } = await anonymous.post(confirm, {});
    assert.equal(done.status, 303);
    assert.match(done.headers.get('location')!, /^\/follow\/choices\//);
    const [after] = await site.deps.db.query<{ status: string }>('SELECT status FROM community_followers WHERE email = $1', ['reader@example.org']);
    assert.equal(after?.status, 'active');
    const events = await site.deps.db.query<{ type: string }>(`SELECT type FROM jobs WHERE type LIKE 'event:follower.added:%'`);
    assert.ok(events.length >= 0); // no subscriber yet: the bus writes nothing, and that is fine
  });

  it('e-mails a new public video once to e-mail followers who want videos, with a one-click unsubscribe', async () => {
    await site.deps.db.transaction((tx) => site.deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'visibility' }));
    await runJobs();
    await site.deps.db.transaction((tx) => site.deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'metadata' }));
    await runJobs();
    const mails = mailsTo(site, 'reader@example.org').filter((m) => m.includes('published'));
    assert.equal(mails.length, 1);
    assert.match(mails[0]!, /List-Unsubscribe: <https?:\/\/[^>]+\/unsubscribe\/u\./);
    assert.match(mails[0]!, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.match(mails[0]!, /Message-ID: </i);
  });

  it('lets a fan follow with their account and comment; the creator’s reply is marked', async () => {
    assert.equal((await fan.post('/c/camille/follow', {})).res.status, 303);
    const [row] = await site.deps.db.query<{ status: string }>(`SELECT status FROM community_followers WHERE kind = 'account'`);
    assert.equal(row?.status, 'active');
    await fan.get(`/v/${video.shortId}`);
    const { res } = await fan.post(`/v/${video.shortId}/comments`, { body: 'Lovely *film*' });
    assert.equal(res.status, 303);
    const [comment] = await site.deps.db.query<{ id: string }>('SELECT id FROM community_comments');
    await owner.get(`/v/${video.shortId}`);
    assert.equal((await owner.post(`/v/${video.shortId}/comments`, { body: 'Thank you!', parent_id: comment!.id })).res.status, 303);
    const page = (await fan.get(`/v/${video.shortId}`)).html;
    assert.match(page, /<em>film<\/em>/);
    assert.match(page, /Creator/);
    assert.match(page, /2 comments/);
  });

  it('shows comment counts on the video cards of a listing, asked in one query for all of them', async () => {
    const more = [await insertVideo(site, channelId), await insertVideo(site, channelId)];
    const [fanRow] = await site.deps.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'fan@example.org'`);
    await site.deps.db.query(
      `INSERT INTO community_comments (video_id, channel_id, author_id, body, body_html, status, created_at) VALUES ($1, $2, $3, 'x', '<p>x</p>', 'approved', $4), ($1, $2, $3, 'y', '', 'held', $4)`,
      [more[0]!.id, channelId, fanRow!.id, NOW],
    );
    const db = site.deps.db;
    const query = db.query.bind(db);
    const counted: string[] = [];
    db.query = ((...args: Parameters<typeof query>) => {
      if (/community_comments/.test(args[0])) counted.push(args[0]);
      return query(...args);
    }) as typeof query;
    try {
      const page = (await new TestClient(site.app, { 'accept-language': 'en' }).get('/c/camille')).html;
      assert.match(page, /<span class="video-comments">2 comments<\/span>/);
      assert.match(page, /<span class="video-comments">1 comment<\/span>/, 'the held one is not counted');
      assert.equal(counted.length, 1, `one query for three cards, not one per card: ${counted.join(' | ')}`);
    } finally {
      db.query = query;
    }
    assert.match((await new TestClient(site.app, { 'accept-language': 'fr' }).get('/c/camille')).html, /2 commentaires/);
    await site.deps.db.query('DELETE FROM videos WHERE id = ANY($1::uuid[])', [more.map((v) => v.id)]);
  });

  it('refuses an empty or control-character comment with 422 and writes nothing', async () => {
    const before = (await site.deps.db.query('SELECT 1 FROM community_comments')).length;
    assert.equal((await fan.post(`/v/${video.shortId}/comments`, { body: '   ' })).res.status, 422);
    assert.equal((await fan.post(`/v/${video.shortId}/comments`, { body: 'a\u0000b' })).res.status, 422);
    assert.equal((await site.deps.db.query('SELECT 1 FROM community_comments')).length, before);
  });

  it('holds comments under the held policy; approval through moderation shows them with the member badge, beside an approved fediverse reply', async () => {
    await owner.get('/studio/channels/camille/community');
    assert.equal((await owner.post('/studio/channels/camille/community/settings', { comment_policy: 'held', watched_words: '' })).res.status, 303);
    await makeMember(site, channelId, 'member@example.org', 'Gold');
    await member.get(`/v/${video.shortId}`);
    await member.post(`/v/${video.shortId}/comments`, { body: 'Member here' });
    const anonymousView = await new TestClient(site.app).get(`/v/${video.shortId}`);
    assert.doesNotMatch(anonymousView.html, /Member here/);
    await site.deps.db.query(
      `INSERT INTO federation_comments (note_uri, video_id, actor_uri, content_html, status) VALUES ('https://masto.example/notes/1', $1, 'https://masto.example/users/zoe', '<p>From Mastodon</p>', 'held')`,
      [video.id],
    );
    const moderation = (await owner.get('/studio/channels/camille/moderation')).html;
    assert.match(moderation, /Member here/);
    const [held] = await site.deps.db.query<{ id: string }>(`SELECT id FROM community_comments WHERE status = 'held'`);
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'comment', id: held!.id, decision: 'approved' })).res.status, 303);
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'remote-reply', id: 'https://masto.example/notes/1', decision: 'approved' })).res.status, 303);
    const page = (await new TestClient(site.app).get(`/v/${video.shortId}`)).html;
    assert.match(page, /Member here/);
    assert.match(page, /Member · Gold/);
    assert.match(page, /From Mastodon/);
    assert.match(page, /@zoe@masto.example/);
  });

  it('sends a members-only post to the members of its tier only, and its one-click unsubscribe works', async () => {
    const [tier] = await site.deps.db.query<{ id: string }>(`SELECT id FROM membership_tiers WHERE name = 'Gold'`);
    await owner.get('/studio/channels/camille/community');
    const { res, html } = await owner.post('/studio/channels/camille/posts', { title: 'Backstage notes', body: 'Only for **you**.', audience: 'members', [`tier_${tier!.id}`]: 'on' });
    assert.equal(res.status, 303, html);
    await runJobs();
    const toMember = mailsTo(site, 'member@example.org').filter((m) => m.includes('Backstage notes'));
    assert.equal(toMember.length, 1);
    assert.match(toMember[0]!, /<strong>you<\/strong>/);
    assert.equal(mailsTo(site, 'fan@example.org').filter((m) => m.includes('Backstage notes')).length, 0);
    assert.equal(mailsTo(site, 'reader@example.org').filter((m) => m.includes('Backstage notes')).length, 0);

    const unsubscribe = /List-Unsubscribe: <(https?:\/\/[^>]+)>/.exec(toMember[0]!)![1]!;
    const oneClick = await site.app.request(new URL(unsubscribe).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.status, 200);
    await owner.get('/studio/channels/camille/community');
    await owner.post('/studio/channels/camille/posts', { title: 'Second notes', body: 'Again.', audience: 'members' });
    await runJobs();
    assert.equal(mailsTo(site, 'member@example.org').filter((m) => m.includes('Second notes')).length, 0, 'unsubscribed');
    const studio = (await owner.get('/studio/channels/camille/community')).html;
    assert.match(studio, /1 sent, 0 to send/);
  });

  it('keeps a members-only post locked for others on the site', async () => {
    const [post] = await site.deps.db.query<{ slug: string }>(`SELECT slug FROM community_posts WHERE title = 'Backstage notes'`);
    const asFan = (await fan.get(`/c/camille/posts/${post!.slug}`)).html;
    assert.match(asFan, /This post is for members/);
    assert.doesNotMatch(asFan, /Only for/);
    assert.match((await member.get(`/c/camille/posts/${post!.slug}`)).html, /Only for/);
  });

  it('takes comments under posts as under videos; under a members-only post, from its members only', async () => {
    await owner.get('/studio/channels/camille/community');
    assert.equal((await owner.post('/studio/channels/camille/community/settings', { comment_policy: 'open', watched_words: 'spoiler' })).res.status, 303);
    await owner.post('/studio/channels/camille/posts', { title: 'Town hall', body: 'Tell me.', audience: 'public' });
    const [open] = await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Town hall'`);
    const page = `/c/camille/posts/${open!.slug}`;
    assert.match((await new TestClient(site.app, { 'accept-language': 'en' }).get(page)).html, /Sign in to comment|login\?next=/);
    await fan.get(page);
    const first = await fan.post(`${page}/comments`, { body: 'Count me *in*' });
    assert.equal(first.res.status, 303);
    assert.match(first.res.headers.get('location')!, new RegExp(`^${page}\\?notice=comment_posted#comment-`));
    const commentId = /#comment-(.+)$/.exec(first.res.headers.get('location')!)![1]!;
    await owner.get(page);
    assert.equal((await owner.post(`${page}/comments`, { body: 'Welcome!', parent_id: commentId })).res.status, 303);
    assert.equal((await fan.post(`${page}/comments`, { body: 'a spoiler here' })).res.status, 303, 'held by a watched word');
    assert.equal((await fan.post(`${page}/comments`, { body: '' })).res.status, 422);
    assert.equal((await fan.post(`${page}/comments`, { body: 'to the video', parent_id: (await site.deps.db.query<{ id: string }>('SELECT id FROM community_comments WHERE video_id IS NOT NULL LIMIT 1'))[0]!.id })).res.status, 422, 'a parent under another subject');
    const shown = (await new TestClient(site.app, { 'accept-language': 'en' }).get(page)).html;
    assert.match(shown, /<em>in<\/em>/);
    assert.match(shown, /Welcome!/);
    assert.match(shown, /2 comments/);
    assert.doesNotMatch(shown, /a spoiler here/);
    assert.match((await owner.get('/studio/channels/camille/moderation')).html, /Town hall/, 'the held comment names the post');
    // Edit and delete lead back to the post.
    const edited = await fan.post(`/comments/${commentId}/edit`, { body: 'Count me in, twice' });
    assert.equal(edited.res.headers.get('location'), `${page}#comment-${commentId}`);
    assert.match((await fan.post(`/comments/${commentId}/delete`, {})).res.headers.get('location')!, new RegExp(`^${page}\\?notice=comment_removed`));

    // A members-only post: its thread is members' (and the team's) only.
    const [members] = await site.deps.db.query<{ slug: string }>(`SELECT slug FROM community_posts WHERE title = 'Backstage notes'`);
    const backstage = `/c/camille/posts/${members!.slug}`;
    assert.doesNotMatch((await fan.get(backstage)).html, /id="comments"/);
    assert.equal((await fan.post(`${backstage}/comments`, { body: 'Let me in' })).res.status, 404);
    await member.get(backstage);
    assert.equal((await member.post(`${backstage}/comments`, { body: 'Members talk' })).res.status, 303);
    assert.match((await member.get(backstage)).html, /Members talk/);
    assert.equal((await site.deps.db.query(`SELECT 1 FROM community_comments WHERE body = 'Let me in'`)).length, 0);
  });

  it('sends reports of comments and posts to the moderation queue: approving keeps, rejecting removes', async () => {
    const [open] = await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Town hall'`);
    const page = `/c/camille/posts/${open!.slug}`;
    const [welcome] = await site.deps.db.query<{ id: string }>(`SELECT id FROM community_comments WHERE body = 'Welcome!'`);
    const asFan = (await fan.get(page)).html;
    assert.ok(asFan.includes(`action="/comments/${welcome!.id}/report"`), 'a report button under the comment');
    assert.ok(asFan.includes(`action="${page}/report"`), 'and under the post');
    const reported = await fan.post(`/comments/${welcome!.id}/report`, { reason: 'rude' });
    assert.equal(reported.res.status, 303);
    assert.equal(reported.res.headers.get('location'), `${page}?notice=reported#comment-${welcome!.id}`);
    assert.equal((await fan.post(`/comments/${welcome!.id}/report`, { reason: 'again' })).res.status, 303, 'twice: one report');
    await member.get(page);
    assert.equal((await member.post(`/comments/${welcome!.id}/report`, {})).res.status, 422, 'a reason is asked');
    assert.equal((await member.post(`/comments/${welcome!.id}/report`, { reason: 'rude' })).res.status, 303);
    assert.equal((await fan.post(`/comments/${randomUUID()}/report`, { reason: 'spam' })).res.status, 404);
    assert.equal((await fan.post(`/comments/${welcome!.id}/report`, { reason: 'x'.repeat(1001) })).res.status, 422);
    assert.equal((await fan.post(`${page}/report`, { reason: 'off topic' })).res.status, 303);
    assert.equal((await site.deps.db.query('SELECT 1 FROM community_reports')).length, 3);
    // The team is told once per reported thing (two were reported, one of them twice).
    await runJobs();
    const told = await site.deps.db.query<{ params: { what: string } }>(`SELECT params FROM notifications WHERE kind = 'content_reported' ORDER BY created_at`);
    assert.deepEqual(told.map((n) => n.params.what).sort(), ['comment', 'post']);
    assert.match((await owner.get('/studio/notifications')).html, /A fan reported a comment: it awaits your moderation/);

    const queue = (await owner.get('/studio/channels/camille/moderation')).html;
    assert.match(queue, /⚑ 2 · Town hall · “rude” · “rude”/);
    assert.match(queue, /⚑ 1 · Town hall · “off topic”/);
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'comment', id: `comment:${welcome!.id}`, decision: 'rejected' })).res.status, 303);
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'comment', id: `post:${open!.id}`, decision: 'approved' })).res.status, 303);
    const after = (await new TestClient(site.app, { 'accept-language': 'en' }).get(page)).html;
    assert.doesNotMatch(after, /Welcome!/, 'the rejected comment is removed');
    assert.match(after, /Town hall/, 'the approved post stays');
    assert.doesNotMatch((await owner.get('/studio/channels/camille/moderation')).html, /⚑ \d/, 'nothing reported waits');
    const events = await site.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM community_reports WHERE status = 'held'`);
    assert.equal(events[0]!.n, 0);
  });

  it('blocks an account from its comment and a remote server by domain: new comments and follows refused, held ones rejected', async () => {
    const db = site.deps.db;
    await owner.get('/studio/channels/camille/community');
    await owner.post('/studio/channels/camille/community/settings', { comment_policy: 'held', watched_words: '' });
    await fan.get(`/v/${video.shortId}`);
    await fan.post(`/v/${video.shortId}/comments`, { body: 'Held before the block' });
    const [held] = await db.query<{ id: string }>(`SELECT id FROM community_comments WHERE body = 'Held before the block'`);
    await db.query(
      `INSERT INTO federation_comments (note_uri, video_id, actor_uri, content_html, status) VALUES ('https://social.spam.example/notes/9', $1, 'https://social.spam.example/users/bot', '<p>Buy now</p>', 'held')`,
      [video.id],
    );
    await db.query(`INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri) VALUES ($1, 'https://social.spam.example/users/bot', 'https://social.spam.example/inbox')`, [channelId]);
    // The channel's admin sees a block button under the fan's comment (here, on a thread of the fan's approved comment).
    const [shownByFan] = await db.query<{ id: string }>(`SELECT id FROM community_comments WHERE body = 'Lovely *film*'`);
    assert.ok((await owner.get(`/v/${video.shortId}`)).html.includes(`name="comment_id" value="${shownByFan!.id}"`));
    assert.ok(!(await fan.get(`/v/${video.shortId}`)).html.includes('name="comment_id"'), 'fans do not');
    assert.equal((await fan.post('/studio/channels/camille/blocks', { comment_id: held!.id })).res.status, 403);
    assert.equal((await owner.post('/studio/channels/camille/blocks', { comment_id: held!.id })).res.status, 303);
    assert.equal((await owner.post('/studio/channels/camille/blocks', { domain: 'not a domain' })).res.status, 422);
    assert.equal((await owner.post('/studio/channels/camille/blocks', { domain: 'https://Spam.example/' })).res.status, 303);

    assert.equal((await db.query<{ status: string }>('SELECT status FROM community_comments WHERE id = $1', [held!.id]))[0]!.status, 'rejected');
    assert.equal((await db.query<{ status: string }>(`SELECT status FROM federation_comments WHERE note_uri = 'https://social.spam.example/notes/9'`))[0]!.status, 'rejected');
    assert.equal((await db.query(`SELECT 1 FROM federation_followers WHERE actor_uri LIKE 'https://social.spam.example/%'`)).length, 0, "the server's follows end");
    assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE kind = 'account' AND user_id = (SELECT id FROM users WHERE email = 'fan@example.org')`))[0]!.status, 'unsubscribed', "the account's follow ends");
    await owner.post('/studio/channels/camille/community/settings', { comment_policy: 'open', watched_words: '' });
    assert.equal((await fan.post(`/v/${video.shortId}/comments`, { body: 'After the block' })).res.status, 403);
    assert.equal((await fan.post('/c/camille/follow', {})).res.status, 403);
    const source = site.services.federation.comments()!;
    assert.equal(await source.refuses(channelId, 'https://social.spam.example/users/bot'), true, 'the inbox drops its replies and follows');
    assert.equal(await source.refuses(channelId, 'https://masto.example/users/zoe'), false);

    const studio = (await owner.get('/studio/channels/camille/community')).html;
    assert.match(studio, /spam\.example/);
    const ids = await db.query<{ id: string }>('SELECT id FROM community_blocks WHERE user_id IS NOT NULL');
    assert.equal((await owner.post('/studio/channels/camille/blocks/delete', { id: ids[0]!.id })).res.status, 303);
    assert.equal((await owner.post('/studio/channels/camille/blocks/delete', { id: ids[0]!.id })).res.status, 404);
    await fan.get(`/v/${video.shortId}`);
    assert.equal((await fan.post(`/v/${video.shortId}/comments`, { body: 'Back again' })).res.status, 303, 'unblocked');
  });

  it("lists public posts in the channel's RSS and Atom feeds beside its videos, never members-only ones", async () => {
    await owner.get('/studio/channels/camille/community');
    assert.equal((await owner.post('/studio/channels/camille/posts', { title: 'Open letter', body: 'For *everyone*.', audience: 'public' })).res.status, 303);
    const [post] = await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Open letter'`);
    const rss = await (await site.app.request('/c/camille/feed.rss')).text();
    assert.match(rss, /<title>Open letter<\/title>/);
    assert.ok(rss.includes(`/c/camille/posts/${post!.slug}</link>`));
    assert.ok(rss.includes(`<guid isPermaLink="false">urn:uuid:${post!.id}</guid>`));
    assert.match(rss, /&lt;em&gt;everyone&lt;\/em&gt;/);
    assert.match(rss, /<title>A film<\/title>/, 'the video is still there');
    assert.doesNotMatch(rss, /Backstage notes|Only for/);
    const atom = await (await site.app.request('/c/camille/feed.atom')).text();
    assert.ok(atom.includes(`<id>urn:uuid:${post!.id}</id>`));
    assert.doesNotMatch(atom, /Backstage notes/);
    assert.doesNotMatch(await (await site.app.request('/c/camille/podcast.rss')).text(), /Open letter/, 'the podcast lists media only');
  });

  it('refuses a forged unsubscribe or confirm link with 404', async () => {
    const anonymous = new TestClient(site.app);
    assert.equal((await anonymous.get(`/unsubscribe/u.${randomUUID()}.${'A'.repeat(32)}`)).res.status, 404);
    assert.equal((await site.app.request(`/unsubscribe/u.${randomUUID()}.${'A'.repeat(32)}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 404);
    assert.equal((await anonymous.get(`/follow/confirm/c.${randomUUID()}.${'B'.repeat(32)}`)).res.status, 404);
  });

  it('reports the approved local comments truthfully in NodeInfo, and offers the subscribe template by WebFinger', async () => {
    const [row] = await site.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM community_comments WHERE status = 'approved' AND deleted_at IS NULL");
    assert.ok(row!.n >= 3);
    const nodeinfo = (await (await site.app.request('/nodeinfo/2.1')).json()) as { usage: { localComments: number } };
    assert.equal(nodeinfo.usage.localComments, row!.n);
    const host = new URL(site.deps.config.publicUrl).host;
    const finger = (await (await site.app.request(`/.well-known/webfinger?resource=acct:camille@${host}`)).json()) as { links: { rel: string; template?: string }[] };
    assert.equal(finger.links.find((l) => l.rel === 'http://ostatus.org/schema/1.0/subscribe')?.template, `${site.deps.config.publicUrl}/authorize_interaction?uri={uri}`);
  });

  describe('backers-only posts, campaign updates, bounces and complaints, blocks by address', () => {
    let backer: TestClient;
    let campaign: { id: string; slug: string };
    const sent: MailMessage[] = [];
    const inbound = (raw: string, token = INBOUND_TOKEN) =>
      site.app.request('/webhooks/mail/inbound', { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` }, body: raw });

    before(async () => {
      const send = site.deps.mailer.send.bind(site.deps.mailer);
      site.deps.mailer.send = async (message) => {
        sent.push(message);
        await send(message);
      };
      backer = await signUpFan(site, 'backer@example.org');
      const db = site.deps.db;
      const deadline = new Date(NOW.getTime() + 20 * 86_400_000);
      const [row] = await db.query<{ id: string; slug: string }>(
        `INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone, state, launched_at, original_deadline)
         VALUES ($1, 'new-film', 'A new film', 'amount', 100000, 'EUR', 500, $2, 'Europe/Paris', 'live', $3, $2) RETURNING id, slug`,
        [channelId, deadline, NOW],
      );
      campaign = row!;
      await db.query(
        `INSERT INTO campaign_pledges (campaign_id, user_id, amount, currency, status, provider) SELECT $1, id, 2000, 'EUR', 'pledged', 'test' FROM users WHERE email = 'backer@example.org'`,
        [campaign.id],
      );
      // A pledge cancelled before the deadline: not a backer any more.
      await db.query(
        `INSERT INTO campaign_pledges (campaign_id, user_id, amount, currency, status, provider) SELECT $1, id, 2000, 'EUR', 'cancelled', 'test' FROM users WHERE email = 'member@example.org'`,
        [campaign.id],
      );
    });

    it("sends a backers-only post to the campaign's backers only, locks it for others, never federates it nor lists it in feeds", async () => {
      await owner.get('/studio/channels/camille/community');
      const { res, html } = await owner.post('/studio/channels/camille/posts', { title: 'Shooting diary', body: 'Day **one**.', audience: 'backers', campaign: campaign.id });
      assert.equal(res.status, 303, html);
      await runJobs();
      assert.equal(mailsAbout(site, 'backer@example.org', 'Shooting diary').length, 1);
      assert.equal(mailsAbout(site, 'member@example.org', 'Shooting diary').length, 0, 'a cancelled pledge is no backer');
      const [post] = await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Shooting diary'`);

      const asOther = (await member.get(`/c/camille/posts/${post!.slug}`)).html;
      assert.match(asOther, /for the backers of a campaign/);
      assert.match(asOther, /href="\/c\/camille\/campaigns\/new-film"/);
      assert.doesNotMatch(asOther, /Day <strong>one/);
      assert.match((await backer.get(`/c/camille/posts/${post!.slug}`)).html, /Day <strong>one/);
      assert.equal((await member.post(`/c/camille/posts/${post!.slug}/comments`, { body: 'Let me in' })).res.status, 404);
      await backer.get(`/c/camille/posts/${post!.slug}`);
      assert.equal((await backer.post(`/c/camille/posts/${post!.slug}/comments`, { body: 'Good luck!' })).res.status, 303);

      assert.equal((await site.app.request(`/ap/posts/${post!.id}`, { headers: { accept: 'application/activity+json' } })).status, 404, 'no Article');
      assert.doesNotMatch(await (await site.app.request('/c/camille/feed.rss')).text(), /Shooting diary/);
      assert.match((await owner.get('/c/camille')).html, /Backers only/);
      assert.match((await owner.get('/studio/channels/camille/community')).html, /Backers of “A new film”/);
    });

    it('refuses a backers-only post without a launched campaign of the channel (422, nothing written)', async () => {
      const db = site.deps.db;
      await db.query(`INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone) VALUES ($1, 'draft-one', 'Draft', 'amount', 1000, 'EUR', 100, $2, 'UTC')`, [channelId, NOW]);
      const [draft] = await db.query<{ id: string }>(`SELECT id FROM campaigns WHERE slug = 'draft-one'`);
      await owner.get('/studio/channels/camille/community');
      for (const chosen of [draft!.id, '', 'not-a-uuid']) {
        const { res, html } = await owner.post('/studio/channels/camille/posts', { title: 'Nope', body: 'Nope.', audience: 'backers', campaign: chosen });
        assert.equal(res.status, 422);
        assert.match(html, /launched campaigns/);
      }
      assert.equal((await db.query(`SELECT 1 FROM community_posts WHERE title = 'Nope'`)).length, 0);
    });

    it('e-mails a campaign launch once to the followers who chose campaign updates', async () => {
      const db = site.deps.db;
      await member.get('/c/camille');
      await member.post('/c/camille/follow', {});
      await backer.get('/c/camille');
      await backer.post('/c/camille/follow', {});
      await db.query(`UPDATE community_followers SET wants_campaigns = false WHERE user_id = (SELECT id FROM users WHERE email = 'backer@example.org')`);
      for (let i = 0; i < 2; i += 1) {
        await db.transaction((tx) => site.deps.events.publish(tx, 'campaign.launched', { campaignId: campaign.id, channelId }, `launch-${i}`));
        await runJobs();
      }
      const launch = mailsAbout(site, 'member@example.org', 'launched a campaign');
      assert.equal(launch.length, 1);
      assert.match(launch[0]!, /\/c\/camille\/campaigns\/new-film/);
      assert.match(launch[0]!, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
      assert.equal(mailsAbout(site, 'backer@example.org', 'launched a campaign').length, 0, 'campaign updates turned off');
    });

    it('sends with a signed VERP Return-Path; a DSN (RFC 3464) for it marks the address bounced and nothing more is sent to it', async () => {
      const db = site.deps.db;
      await db.query(
        `INSERT INTO community_followers (channel_id, kind, email, language, status, consent_at, confirmed_at, created_at, updated_at)
         VALUES ($1, 'email', 'gone@example.net', 'en', 'active', $2, $2, $2, $2), ($1, 'email', 'grumpy@example.net', 'en', 'active', $2, $2, $2, $2)`,
        [channelId, NOW],
      );
      await owner.get('/studio/channels/camille/community');
      await owner.post('/studio/channels/camille/posts', { title: 'Open news', body: 'Hello all.', audience: 'public' });
      await runJobs();
      const toGone = sent.find((m) => m.to === 'gone@example.net' && m.subject.startsWith('Open news'))!;
      const verp = `bounces+${verpTag(site.deps.signingSecret, 'gone@example.net')}@mail.fanfare.test`;
      assert.deepEqual(toGone.envelope, { from: verp, to: 'gone@example.net' });

      // Delayed (4.x.x) is not a bounce; a forged report for someone else's address is not ours; a wrong token is refused.
      const delayed = await inbound(postfixDsn({ to: verp, recipient: 'gone@example.net', action: 'delayed', status: '4.4.1', messageId: '<x@elsewhere>' }));
      assert.deepEqual(await delayed.json(), { outcome: 'ignored', reason: 'not a permanent failure' });
      const forged = await inbound(postfixDsn({ to: verp, recipient: 'member@example.org', action: 'failed', status: '5.1.1', messageId: '<x@elsewhere>' }));
      assert.deepEqual(await forged.json(), { outcome: 'ignored', reason: 'not ours' });
      assert.equal((await inbound('x', 'wrong-token-wrong-token-wrong')).status, 401);
      assert.equal((await inbound('hello\n\nnot a report')).status, 200);

      const bounce = await inbound(postfixDsn({ to: verp, recipient: 'gone@example.net', action: 'failed', status: '5.1.1', messageId: '<x@elsewhere>' }));
      assert.deepEqual(await bounce.json(), { outcome: 'bounced', address: 'gone@example.net', detail: '5.1.1' });
      assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE email = 'gone@example.net'`))[0]!.status, 'bounced');

      // A complaint through a feedback loop, the recipient redacted: our Message-ID names the address.
      const toGrumpy = sent.find((m) => m.to === 'grumpy@example.net' && m.subject.startsWith('Open news'))!;
      const complaint = await inbound(arfComplaint({ messageId: toGrumpy.messageId! }));
      assert.deepEqual(await complaint.json(), { outcome: 'complained', address: 'grumpy@example.net', detail: 'abuse' });
      assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE email = 'grumpy@example.net'`))[0]!.status, 'unsubscribed');
      // A Message-ID of ours for a delivery that never happened proves nothing.
      const unknown = toGrumpy.messageId!.replace(/\.[A-Za-z0-9_-]+@/, `.${Buffer.from('never-written@example.org').toString('base64url')}@`);
      assert.deepEqual(await (await inbound(arfComplaint({ messageId: unknown }))).json(), { outcome: 'ignored', reason: 'not ours' });

      // Neither gets the next post, even as a re-follow's confirm e-mail; the Studio lists both.
      await db.query(`UPDATE community_followers SET status = 'active' WHERE email IN ('gone@example.net', 'grumpy@example.net')`);
      await owner.post('/studio/channels/camille/posts', { title: 'More news', body: 'Again.', audience: 'public' });
      await runJobs();
      assert.equal(sent.filter((m) => m.subject.startsWith('More news') && /gone|grumpy/.test(m.to)).length, 0);
      assert.ok(sent.some((m) => m.subject.startsWith('More news') && m.to === 'member@example.org'));
      const studio = (await owner.get('/studio/channels/camille/community')).html;
      assert.match(studio, /gone@example\.net<\/td><td>Bounced \(5\.1\.1\)/);
      assert.match(studio, /grumpy@example\.net<\/td><td>Reported as spam \(abuse\)/);
    });

    it('blocks an e-mail address in the Studio without telling whether an account has it', async () => {
      const db = site.deps.db;
      await owner.get('/studio/channels/camille/community');
      const withAccount = await owner.post('/studio/channels/camille/blocks', { email: 'Member@Example.org' });
      const without = await owner.post('/studio/channels/camille/blocks', { email: 'nobody@example.org' });
      assert.equal(withAccount.res.status, 303);
      assert.equal(without.res.status, 303);
      assert.equal(withAccount.res.headers.get('location'), without.res.headers.get('location'), 'the same answer');
      assert.equal((await owner.post('/studio/channels/camille/blocks', { email: 'not an address' })).res.status, 422);
      const studio = (await owner.get('/studio/channels/camille/community')).html;
      assert.match(studio, /member@example\.org/);
      assert.match(studio, /nobody@example\.org/);

      assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE user_id = (SELECT id FROM users WHERE email = 'member@example.org')`))[0]!.status, 'unsubscribed');
      await member.get('/c/camille');
      assert.equal((await member.post('/c/camille/follow', {})).res.status, 403);
      // An e-mail follow of a blocked address gets the usual answer and nothing is recorded or sent.
      const anonymous = new TestClient(site.app, { 'accept-language': 'en' });
      await anonymous.get('/c/camille');
      const follow = await anonymous.post('/c/camille/follow/email', { email: 'nobody@example.org', consent: 'on' });
      assert.equal(follow.res.status, 200);
      assert.equal((await db.query(`SELECT 1 FROM community_followers WHERE email = 'nobody@example.org'`)).length, 0);
      assert.equal(sent.filter((m) => m.to === 'nobody@example.org').length, 0);
    });
  });
});
