import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { verifyRequest } from '@fedify/fedify';
import { getDocumentLoader, type DocumentLoader } from '@fedify/vocab-runtime';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { startRemoteServer, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';

const SITE = 'https://fanfare.test';
const NOW = new Date('2026-11-21T12:00:00Z');
const AS = 'application/activity+json';

/** Local comments reaching the fediverse as their authors' Notes (federation/comment-notes.ts), on a whole site. */
describe('community: comments federated as Notes', () => {
  let site: TestSite;
  let remote: RemoteServer;
  let owner: TestClient;
  let fan: TestClient;
  let fanId: string;
  let channelId: string;
  const videos: Record<string, string> = {};
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 500 });
  const delivered = (type: string) => remote.deliveries.filter((d) => d.body.type === type);

  const setPolicy = (policy: string) =>
    site.deps.db.query(`INSERT INTO community_settings (channel_id, comment_policy) VALUES ($1, $2) ON CONFLICT (channel_id) DO UPDATE SET comment_policy = $2`, [channelId, policy]);

  async function insertVideo(visibility: string): Promise<string> {
    const shortId = randomUUID().replace(/-/g, '').slice(0, 11);
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, status, renditions, created_at, updated_at)
       VALUES ($1, $2, 'A film', '', '{}', 'en', 'cc_by', $3, 'ready', '[]', $4, $4)`,
      [shortId, channelId, visibility, new Date(NOW.getTime() - 60_000)],
    );
    return shortId;
  }

  async function comment(client: TestClient, shortId: string, body: string, parentId?: string): Promise<string> {
    await client.get(`/v/${shortId}`);
    const { res } = await client.post(`/v/${shortId}/comments`, { body, ...(parentId ? { parent_id: parentId } : {}) });
    assert.equal(res.status, 303);
    return /#comment-([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')![1]!;
  }

  before(async () => {
    remote = await startRemoteServer();
    site = await createTestSite({ clock: createManualClock(NOW), env: { PUBLIC_URL: SITE, FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true' } });
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    fan = await signUpFan(site, 'fan@example.org');
    fanId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'fan@example.org'`))[0]!.id;
    channelId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
    // A Mastodon account follows the channel.
    await site.deps.db.query('INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri, shared_inbox_uri) VALUES ($1, $2, $3, $4)', [
      channelId, `${remote.origin}/users/zoe`, `${remote.origin}/users/zoe/inbox`, `${remote.origin}/inbox`,
    ]);
    videos.public = await insertVideo('public');
    videos.members = await insertVideo('members');
  });
  after(async () => {
    await site?.close();
    await remote?.close();
  });

  it("sends a fan's comment on a public video to the channel's followers as a Create of a Note by the fan's own Person, signed by it", async () => {
    const id = await comment(fan, videos.public!, 'Lovely *film*');
    await runJobs();
    const [create] = delivered('Create');
    assert.ok(create, 'one Create delivered');
    const person = `${SITE}/ap/a/u-${fanId}`;
    assert.equal(create.body.actor, person);
    const note = create.body.object as Record<string, unknown>;
    assert.equal(note.type, 'Note');
    assert.equal(note.id, `${SITE}/ap/comments/${id}`);
    assert.equal(note.attributedTo, person);
    assert.equal(note.inReplyTo, `${SITE}/ap/videos/${videos.public}`, 'PeerTube files it under the video');
    assert.equal(String(note.content).trim(), '<p>Lovely <em>film</em></p>');
    assert.deepEqual(note.source, { content: 'Lovely *film*', mediaType: 'text/markdown' });
    assert.deepEqual(note.to, ['https://www.w3.org/ns/activitystreams#Public']);
    assert.deepEqual(note.cc, [`${SITE}/ap/c/camille/followers`]);

    // The receiver checks the signature against the Person's published key (fetched from the site).
    const d = create;
    const request = new Request(`${remote.origin}${d.path}`, { method: 'POST', headers: d.headers, body: JSON.stringify(d.body) });
    const preloaded = getDocumentLoader();
    const loader: DocumentLoader = async (url) => {
      if (!url.startsWith(SITE)) return preloaded(url);
      const res = await site.app.request(url, { headers: { accept: AS } });
      return { contextUrl: null, document: await res.json(), documentUrl: url };
    };
    const key = await verifyRequest(request, { documentLoader: loader, contextLoader: preloaded });
    assert.equal(key?.ownerId?.href, person);

    // The Person and the Note are served; WebFinger finds the Person (Mastodon checks an author's handle).
    const actor = (await (await site.app.request(person, { headers: { accept: AS } })).json()) as Record<string, unknown>;
    assert.equal(actor.type, 'Person');
    assert.equal(actor.name, 'fan');
    const served = (await (await site.app.request(`${SITE}/ap/comments/${id}`, { headers: { accept: AS } })).json()) as Record<string, unknown>;
    assert.equal(served.id, note.id);
    // replyApproval (FEP-5624, PeerTube's `<comment>/approve-reply`) is served: the owner's ApproveReply of this Note.
    assert.equal(note.replyApproval, `${SITE}/ap/comments/${id}/approve-reply`);
    const approval = (await (await site.app.request(String(note.replyApproval), { headers: { accept: AS } })).json()) as Record<string, unknown>;
    assert.deepEqual(
      { type: approval.type, id: approval.id, actor: approval.actor, object: approval.object, inReplyTo: approval.inReplyTo },
      { type: 'ApproveReply', id: note.replyApproval, actor: `${SITE}/ap/a/owner`, object: note.id, inReplyTo: note.inReplyTo },
    );
    const finger = await site.app.request(`${SITE}/.well-known/webfinger?resource=acct:u-${fanId}@fanfare.test`);
    assert.equal(finger.status, 200);
    assert.ok(((await finger.json()) as { links: { rel: string; href: string }[] }).links.some((l) => l.rel === 'self' && l.href === person));
  });

  it("attributes the owner's reply to the owner's Person, in reply to the comment's Note", async () => {
    const parent = (await site.deps.db.query<{ id: string }>(`SELECT id FROM community_comments WHERE body = 'Lovely *film*'`))[0]!.id;
    remote.deliveries.length = 0;
    await comment(owner, videos.public!, 'Thank you!', parent);
    await runJobs();
    const note = delivered('Create')[0]!.body.object as Record<string, unknown>;
    assert.equal(note.attributedTo, `${SITE}/ap/a/owner`);
    assert.equal(note.inReplyTo, `${SITE}/ap/comments/${parent}`);
  });

  it('links mentions in a comment, tags them on its Note (a channel here, an account found by WebFinger there) and tells the mentioned channel', async () => {
    const host = new URL(remote.origin).host;
    const mia = await remote.addActor('mia');
    remote.serve(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:mia@${host}`)}`, { subject: `acct:mia@${host}`, links: [{ rel: 'self', type: 'application/activity+json', href: mia.uri }] });
    remote.deliveries.length = 0;
    const id = await comment(fan, videos.public!, `Thanks @camille and @mia@${host}, not \`@camille\` nor @nobody_here or @ghost@${host}`);
    const [row] = await site.deps.db.query<{ body_html: string }>('SELECT body_html FROM community_comments WHERE id = $1', [id]);
    assert.match(row!.body_html, /<a href="\/c\/camille" class="mention">@camille<\/a> and <a href="https:\/\/[^"]+\/@mia" class="mention" rel="nofollow noopener">@mia@/);
    assert.match(row!.body_html, /<code>@camille<\/code>/, 'not inside code');
    assert.match(row!.body_html, /@nobody_here/);
    assert.doesNotMatch(row!.body_html, /href="\/c\/nobody_here"/, 'no such channel: plain text');
    await runJobs();
    const note = delivered('Create')[0]!.body.object as Record<string, unknown>;
    assert.deepEqual(note.tag, [
      { type: 'Mention', href: `${SITE}/ap/c/camille`, name: '@camille@fanfare.test' },
      { type: 'Mention', href: mia.uri, name: `@mia@${host}` },
    ], 'an unknown remote handle gets no tag');
    assert.deepEqual(note.cc, [`${SITE}/ap/c/camille/followers`, mia.uri], 'the mentioned account is addressed');
    const [toMia] = await site.deps.db.query<{ status: string; as: string }>(`SELECT status, payload->>'as' AS as FROM jobs WHERE type = 'federation.deliver-to-actor' AND payload->>'actor' = $1`, [mia.uri]);
    assert.deepEqual(toMia, { status: 'succeeded', as: `person:${fanId}` }, 'and gets the Create in its inbox, signed by the author');
    const [notice] = await site.deps.db.query<{ kind: string; params: Record<string, string>; link: string }>(`SELECT kind, params, link FROM notifications WHERE kind = 'comment_mentioned'`);
    assert.deepEqual(notice, { kind: 'comment_mentioned', params: { author: 'fan', handle: 'camille' }, link: `/v/${videos.public}#comment-${id}` });
    remote.deliveries.length = 0;
  });

  it('sends an Update after an edit and a Delete after a deletion; a held comment leaves only once approved', async () => {
    remote.deliveries.length = 0;
    const id = await comment(fan, videos.public!, 'First words');
    await fan.get(`/v/${videos.public}`);
    assert.equal((await fan.post(`/comments/${id}/edit`, { body: 'Better words' })).res.status, 303);
    await runJobs();
    assert.equal(delivered('Create').length, 1);
    assert.equal((delivered('Update')[0]!.body.object as { content: string }).content.trim(), '<p>Better words</p>');
    assert.equal((await fan.post(`/comments/${id}/delete`, {})).res.status, 303);
    await runJobs();
    assert.deepEqual((delivered('Delete')[0]!.body.object as { id: string; type: string }).type, 'Tombstone');
    assert.equal((await site.app.request(`${SITE}/ap/comments/${id}`, { headers: { accept: AS } })).status, 404, 'a deleted comment is not served');
    assert.equal((await site.app.request(`${SITE}/ap/comments/${id}/approve-reply`, { headers: { accept: AS } })).status, 404, 'nor its approval');

    // Held: nothing leaves the site until the team approves it.
    await setPolicy('held');
    remote.deliveries.length = 0;
    const held = await comment(fan, videos.public!, 'Please approve me');
    await runJobs();
    assert.equal(remote.deliveries.length, 0);
    assert.equal((await site.app.request(`${SITE}/ap/comments/${held}`, { headers: { accept: AS } })).status, 404);
    await owner.get('/studio/channels/camille/moderation');
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'comment', id: held, decision: 'approved' })).res.status, 303);
    await runJobs();
    assert.equal(delivered('Create').length, 1);
  });

  it('has no inbound mail endpoint when INBOUND_MAIL_TOKEN is unset', async () => {
    assert.equal((await site.app.request('/webhooks/mail/inbound', { method: 'POST', headers: { authorization: 'Bearer x' }, body: 'x' })).status, 404);
  });

  it('never federates comments under a members-only video', async () => {
    await setPolicy('open');
    remote.deliveries.length = 0;
    const id = await comment(owner, videos.members!, 'Members only talk');
    await runJobs();
    assert.equal(remote.deliveries.length, 0);
    assert.equal((await site.app.request(`${SITE}/ap/comments/${id}`, { headers: { accept: AS } })).status, 404);
  });

  it("sends a public post to the channel's followers as the Group's Article; a members-only post stays on the site", async () => {
    remote.deliveries.length = 0;
    await owner.get('/studio/channels/camille/community');
    assert.equal((await owner.post('/studio/channels/camille/posts', { title: 'Members news', body: 'Only for **you**.', audience: 'members' })).res.status, 303);
    assert.equal((await owner.post('/studio/channels/camille/posts', { title: 'Tour dates', body: 'We play **Lyon**.', audience: 'public' })).res.status, 303);
    await runJobs();
    const creates = delivered('Create');
    assert.equal(creates.length, 1);
    assert.equal(creates[0]!.body.actor, `${SITE}/ap/c/camille`);
    const article = creates[0]!.body.object as Record<string, unknown>;
    assert.equal(article.type, 'Article');
    assert.equal(article.name, 'Tour dates');
    assert.match(String(article.content), /<strong>Lyon<\/strong>/);
    assert.match(String(article.url), /^https:\/\/fanfare\.test\/c\/camille\/posts\/[A-Za-z0-9_-]+$/);
    const served = await site.app.request(String(article.id), { headers: { accept: AS } });
    assert.equal(served.status, 200);
    const members = (await site.deps.db.query<{ id: string }>(`SELECT id FROM community_posts WHERE title = 'Members news'`))[0]!.id;
    assert.equal((await site.app.request(`${SITE}/ap/posts/${members}`, { headers: { accept: AS } })).status, 404);
  });

  it("sends a comment under a public post as a Note in reply to the post's Article; under a members-only post, nothing", async () => {
    const post = (await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Tour dates'`))[0]!;
    remote.deliveries.length = 0;
    await fan.get(`/c/camille/posts/${post.slug}`);
    const { res } = await fan.post(`/c/camille/posts/${post.slug}/comments`, { body: 'See you in *Lyon*' });
    assert.equal(res.status, 303);
    const id = /#comment-([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')![1]!;
    await runJobs();
    const [create] = delivered('Create');
    assert.ok(create, 'one Create delivered');
    const note = create.body.object as Record<string, unknown>;
    assert.equal(note.inReplyTo, `${SITE}/ap/posts/${post.id}`);
    assert.equal(note.url, `${SITE}/c/camille/posts/${post.slug}#comment-${id}`);
    assert.equal(note.attributedTo, `${SITE}/ap/a/u-${fanId}`);
    const served = (await (await site.app.request(`${SITE}/ap/comments/${id}`, { headers: { accept: AS } })).json()) as Record<string, unknown>;
    assert.equal(served.inReplyTo, note.inReplyTo);
    const approval = (await (await site.app.request(`${SITE}/ap/comments/${id}/approve-reply`, { headers: { accept: AS } })).json()) as Record<string, unknown>;
    assert.equal(approval.inReplyTo, `${SITE}/ap/posts/${post.id}`);

    const members = (await site.deps.db.query<{ slug: string }>(`SELECT slug FROM community_posts WHERE title = 'Members news'`))[0]!;
    remote.deliveries.length = 0;
    await owner.get(`/c/camille/posts/${members.slug}`);
    const hidden = await owner.post(`/c/camille/posts/${members.slug}/comments`, { body: 'For members' });
    assert.equal(hidden.res.status, 303);
    await runJobs();
    assert.equal(delivered('Create').length, 0, 'a members-only post keeps its comments');
    const hiddenId = /#comment-([0-9a-f-]{36})$/.exec(hidden.res.headers.get('location') ?? '')![1]!;
    assert.equal((await site.app.request(`${SITE}/ap/comments/${hiddenId}`, { headers: { accept: AS } })).status, 404);
  });

  it("holds a Mastodon reply to a public post's Article; approved, it shows in the post's thread and its author's server gets the ApproveReply", async () => {
    const post = (await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Tour dates'`))[0]!;
    const members = (await site.deps.db.query<{ id: string }>(`SELECT id FROM community_posts WHERE title = 'Members news'`))[0]!;
    const zoe = await remote.addActor('zoe-replies');
    let text = readFileSync(new URL('../../test/support/fixtures/federation/mastodon-create-note-reply.json', import.meta.url), 'utf8');
    for (const [key, value] of Object.entries({ SITE, ACTOR: zoe.uri, ACTOR_URL: zoe.uri })) text = text.replaceAll(`{{${key}}}`, value);
    const reply = (object: string, n: string) => JSON.parse(text.replaceAll('{{OBJECT}}', object).replaceAll('113502', n)) as Record<string, unknown>;
    for (const [object, n] of [[`${SITE}/ap/posts/${post.id}`, '1'], [`${SITE}/ap/posts/${members.id}`, '2']] as const) {
      const res = await site.app.request(await zoe.signedPost(`${SITE}/ap/inbox`, reply(object, n)));
      assert.ok(res.status < 300, `inbox answered ${res.status}`);
    }
    await runJobs();
    const rows = await site.deps.db.query<{ note_uri: string; post_id: string; status: string }>('SELECT note_uri, post_id, status FROM federation_comments WHERE actor_uri = $1', [zoe.uri]);
    assert.deepEqual(rows, [{ note_uri: `${zoe.uri}/statuses/1`, post_id: post.id, status: 'held' }], 'a reply to a members-only post has no Article to answer');
    assert.doesNotMatch((await fan.get(`/c/camille/posts/${post.slug}`)).html, /Lovely film/, 'held');
    const moderation = (await owner.get('/studio/channels/camille/moderation')).html;
    assert.match(moderation, /Tour dates/);
    remote.deliveries.length = 0;
    assert.equal((await owner.post('/studio/channels/camille/moderation', { kind: 'remote-reply', id: `${zoe.uri}/statuses/1`, decision: 'approved' })).res.status, 303);
    assert.match((await fan.get(`/c/camille/posts/${post.slug}`)).html, /Lovely film/);
    await runJobs();
    const approve = remote.deliveries.find((d) => d.body.type === 'ApproveReply');
    assert.ok(approve, 'the ApproveReply reached the author');
    assert.equal(approve.body.inReplyTo, `${SITE}/ap/posts/${post.id}`);
    assert.equal(approve.body.object, `${zoe.uri}/statuses/1`);
  });

  it('updates an edited public post on the fediverse without e-mailing it again, and deletes it there when deleted', async () => {
    const post = (await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Tour dates'`))[0]!;
    const mailsBefore = readOutbox(site.outboxDir).length;
    const deliveriesBefore = (await site.deps.db.query('SELECT 1 FROM community_deliveries')).length;
    remote.deliveries.length = 0;
    const edit = await owner.get(`/studio/channels/camille/posts/${post.id}`);
    assert.match(edit.html, /We play \*\*Lyon\*\*/);
    assert.equal((await owner.post(`/studio/channels/camille/posts/${post.id}`, { title: 'Tour dates (new)', body: 'We play **Nantes**.' })).res.status, 303);
    assert.equal((await owner.post(`/studio/channels/camille/posts/${post.id}`, { title: '', body: 'x' })).res.status, 422, 'a title is required');
    await runJobs();
    assert.equal(delivered('Create').length, 0, 'the Create is not sent again');
    const update = delivered('Update');
    assert.equal(update.length, 1);
    const article = update[0]!.body.object as Record<string, unknown>;
    assert.equal(article.name, 'Tour dates (new)');
    assert.match(String(article.content), /<strong>Nantes<\/strong>/);
    assert.ok(article.updated, 'the Article says when it was edited');
    assert.match((await owner.get(`/c/camille/posts/${post.slug}`)).html, /Nantes/);
    assert.equal(readOutbox(site.outboxDir).length, mailsBefore, 'no e-mail is sent for an edit');
    assert.equal((await site.deps.db.query('SELECT 1 FROM community_deliveries')).length, deliveriesBefore);

    // Another channel's admin cannot reach it; the owner deletes it.
    assert.equal((await fan.post(`/studio/channels/camille/posts/${post.id}/delete`, {})).res.status, 403);
    assert.equal((await owner.post(`/studio/channels/camille/posts/${post.id}/delete`, {})).res.status, 303);
    await runJobs();
    const del = delivered('Delete');
    assert.equal(del.length, 1);
    assert.equal(del[0]!.body.actor, `${SITE}/ap/c/camille`);
    assert.deepEqual((del[0]!.body.object as { type: string; id: string }).id, `${SITE}/ap/posts/${post.id}`);
    assert.equal((await site.app.request(`${SITE}/ap/posts/${post.id}`, { headers: { accept: AS } })).status, 404);
    assert.equal((await owner.get(`/c/camille/posts/${post.slug}`)).res.status, 404);
    assert.equal((await owner.post(`/studio/channels/camille/posts/${post.id}/delete`, {})).res.status, 404, 'twice: gone');
  });

  it("tells PeerTube the channel's comment policy on its video objects: approval, or disabled when closed", async () => {
    const object = async () => (await (await site.app.request(`${SITE}/ap/videos/${videos.public}`, { headers: { accept: AS } })).json()) as Record<string, unknown>;
    const open = await object();
    assert.equal(open.commentsPolicy, 3);
    assert.equal(open.commentsEnabled, true);
    await setPolicy('closed');
    const closed = await object();
    assert.equal(closed.commentsPolicy, 2);
    assert.equal(closed.commentsEnabled, false);
  });

  it('sends an Update of its videos when the channel closes or reopens its comments', async () => {
    await setPolicy('open');
    const [video] = await site.deps.db.query<{ id: string }>('SELECT id FROM videos WHERE short_id = $1', [videos.public]);
    await site.deps.db.transaction((tx) => site.deps.events.publish(tx, 'video.changed', { videoId: video!.id, what: 'visibility' }));
    await runJobs();
    remote.deliveries.length = 0;
    const save = async (policy: string) => {
      await owner.get('/studio/channels/camille/community');
      assert.equal((await owner.post('/studio/channels/camille/community/settings', { comment_policy: policy, watched_words: '' })).res.status, 303);
      await runJobs();
    };
    await save('closed');
    const updates = () => delivered('Update').filter((d) => (d.body.object as { type: string }).type === 'Video');
    assert.equal(updates().length, 1);
    assert.equal((updates()[0]!.body.object as { commentsEnabled: boolean }).commentsEnabled, false);
    await save('held');
    assert.equal(updates().length, 2);
    assert.equal((updates()[1]!.body.object as { commentsPolicy: number }).commentsPolicy, 3);
    await save('members');
    assert.equal(updates().length, 2, 'no Update when the video object does not change');
  });
});
