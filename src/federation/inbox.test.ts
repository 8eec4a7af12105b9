import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { MAX_INBOX_BYTES } from './routes.js';
import { startRemoteServer, type RemoteActor, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, insertVideo, SITE, type FederationTestSite } from '../../test/support/federation-site.js';

/** A fixture with its placeholders filled in. */
function fixture(name: string, values: Record<string, string>): Record<string, unknown> {
  let text = readFileSync(new URL(`../../test/support/fixtures/federation/${name}`, import.meta.url), 'utf8');
  for (const [key, value] of Object.entries({ SITE, ...values })) text = text.replaceAll(`{{${key}}}`, value);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the inbox', () => {
  let site: FederationTestSite;
  let remote: RemoteServer;
  let alice: RemoteActor;
  let video: { id: string; shortId: string };
  let videoUri: string;

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
    alice = await remote.addActor('alice');
    video = await insertVideo(site);
    videoUri = `${SITE}/ap/videos/${video.shortId}`;
  });
  after(async () => {
    await remote.close();
    await site.close();
  });

  const post = async (activity: unknown, actor: RemoteActor = alice, path = '/ap/inbox') => site.app.request(await actor.signedPost(`${SITE}${path}`, activity));
  const count = async (sql: string, params: unknown[] = []) => (await site.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;
  const likes = () => count('federation_reactions WHERE video_id = $1 AND kind = $2', [video.id, 'like']);

  describe('refuses bad requests without processing them, and never with a 500', () => {
    const follow = () => fixture('mastodon-follow.json', { ACTOR: alice.uri });

    it('refuses an unsigned activity with 401', async () => {
      const res = await site.app.request(`${SITE}/ap/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(follow()) });
      assert.equal(res.status, 401);
    });

    it("refuses an activity signed with a key that is not the actor's with 401", async () => {
      const forger = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
      const request = await signRequest(
        new Request(`${SITE}/ap/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(follow()) }),
        forger.privateKey,
        new URL(alice.keyId),
      );
      assert.equal((await site.app.request(request)).status, 401);
    });

    it('refuses a body altered after signing with 401', async () => {
      const signed = await alice.signedPost(`${SITE}/ap/inbox`, follow());
      const altered = new Request(signed.url, { method: 'POST', headers: signed.headers, body: JSON.stringify({ ...follow(), object: `${SITE}/ap/c/other` }) });
      assert.equal((await site.app.request(altered)).status, 401);
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await post({ ...follow(), padding: 'x'.repeat(MAX_INBOX_BYTES) });
      assert.equal(res.status, 413);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await site.app.request(`${SITE}/ap/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: '{"type": "Follow",' });
      assert.equal(res.status, 400);
    });

    it("refuses a Create of an object on another host than its actor's with 400", async () => {
      const note = fixture('mastodon-create-note-reply.json', { ACTOR: alice.uri, ACTOR_URL: alice.uri, OBJECT: videoUri });
      (note.object as Record<string, unknown>).id = 'https://elsewhere.example/statuses/1';
      const res = await post(note);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /object foreign/);
    });

    it("refuses an activity whose id is on another host than its actor's with 400", async () => {
      assert.equal((await post({ ...follow(), id: 'https://elsewhere.example/follows/1' })).status, 400);
    });

    it("refuses an Undo of another actor's activity with 400", async () => {
      const undo = fixture('mastodon-undo-like.json', { ACTOR: alice.uri, OBJECT: videoUri });
      (undo.object as Record<string, unknown>).actor = `${remote.origin}/users/bob`;
      assert.equal((await post(undo)).status, 400);
    });

    it('refuses a signed activity Fedify cannot read with 400, not 500', async () => {
      const res = await post({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.uri}#odd`, type: 'Like', actor: alice.uri, object: { '@id': 12 } });
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    });

    it('queued nothing for any of them', async () => {
      assert.equal(await count("jobs WHERE type = 'federation.fedify'"), 0);
    });
  });

  it('accepts a Mastodon Follow: stores the follower and sends it a signed Accept', async () => {
    const follow = fixture('mastodon-follow.json', { ACTOR: alice.uri });
    const res = await post(follow, alice, '/ap/c/camille/inbox');
    assert.equal(res.status, 202, await res.text());
    await site.runJobs();
    const [follower] = await site.deps.db.query<{ actor_uri: string; inbox_uri: string; shared_inbox_uri: string }>('SELECT actor_uri, inbox_uri, shared_inbox_uri FROM federation_followers');
    assert.deepEqual(follower, { actor_uri: alice.uri, inbox_uri: `${alice.uri}/inbox`, shared_inbox_uri: `${remote.origin}/inbox` });
    const accept = remote.deliveries.find((d) => d.body.type === 'Accept');
    assert.ok(accept, 'an Accept was delivered');
    assert.equal(accept.path, '/users/alice/inbox');
    assert.equal(accept.body.actor, `${SITE}/ap/c/camille`);
    assert.equal((accept.body.object as { id: string }).id, follow.id);
    assert.match(accept.headers.signature ?? '', /keyId="https:\/\/fanfare\.test\/ap\/c\/camille#main-key"/);
  });

  it('counts a Like of a public video once, however often it is delivered', async () => {
    const like = fixture('mastodon-like.json', { ACTOR: alice.uri, OBJECT: videoUri });
    assert.equal((await post(like)).status, 202);
    assert.equal((await post(like)).status, 202);
    await site.runJobs();
    assert.equal(await likes(), 1);
  });

  it('uncounts it on Undo, and a replay of the Like afterwards stays undone', async () => {
    assert.equal((await post(fixture('mastodon-undo-like.json', { ACTOR: alice.uri, OBJECT: videoUri }))).status, 202);
    await site.runJobs();
    assert.equal(await likes(), 0);
    // Fedify's own memory of processed ids expires after a day; ours does not.
    await site.deps.db.query('DELETE FROM federation_kv');
    assert.equal((await post(fixture('mastodon-like.json', { ACTOR: alice.uri, OBJECT: videoUri }))).status, 202);
    await site.runJobs();
    assert.equal(await likes(), 0, 'the replayed Like was not applied again');
  });

  it("lists an Announce of a public video, from anyone, as a recommendation (and a share), and forgets it on Undo", async () => {
    const critic = await remote.addActor('critic');
    const announce = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${critic.uri}#recommendations/1`, type: 'Announce', actor: critic.uri, object: `${SITE}/v/${video.shortId}` };
    assert.equal((await post(announce, critic)).status, 202);
    await site.runJobs();
    const rows = await site.deps.db.query<{ channel_id: string; video_id: string; object_url: string; actor_name: string; activity_id: string }>(
      'SELECT channel_id, video_id, object_url, actor_name, activity_id FROM recommended_by WHERE actor_url = $1',
      [critic.uri],
    );
    assert.deepEqual(rows, [{ channel_id: site.channelId, video_id: video.id, object_url: `${SITE}/v/${video.shortId}`, actor_name: 'critic', activity_id: announce.id }]);
    assert.equal(await count('federation_reactions WHERE actor_uri = $1 AND kind = $2', [critic.uri, 'announce']), 1);
    const undo = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${critic.uri}#recommendations/1/undo`, type: 'Undo', actor: critic.uri, object: announce };
    assert.equal((await post(undo, critic)).status, 202);
    await site.runJobs();
    assert.equal(await count('recommended_by WHERE actor_url = $1', [critic.uri]), 0);
    assert.equal(await count('federation_reactions WHERE actor_uri = $1', [critic.uri]), 0);
  });

  it('does not list an Announce of a video that is not public', async () => {
    const critic = await remote.addActor('critic2');
    const hidden = await insertVideo(site, { visibility: 'unlisted' });
    const announce = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${critic.uri}#recommendations/2`, type: 'Announce', actor: critic.uri, object: `${SITE}/ap/videos/${hidden.shortId}` };
    assert.equal((await post(announce, critic)).status, 202);
    await site.runJobs();
    assert.equal(await count('recommended_by WHERE actor_url = $1', [critic.uri]), 0);
  });

  it('ignores likes of videos that are not public (unlisted, members-only, drafts)', async () => {
    for (const visibility of ['unlisted', 'members', 'draft']) {
      const hidden = await insertVideo(site, { visibility });
      const like = { ...fixture('mastodon-like.json', { ACTOR: alice.uri, OBJECT: `${SITE}/ap/videos/${hidden.shortId}` }), id: `${alice.uri}#likes/${visibility}` };
      assert.equal((await post(like)).status, 202);
    }
    await site.runJobs();
    assert.equal(await count('federation_reactions'), 0);
  });

  it('holds a Mastodon reply to a video for moderation, with its HTML sanitized', async () => {
    const create = fixture('mastodon-create-note-reply.json', { ACTOR: alice.uri, ACTOR_URL: `${remote.origin}/@alice`, OBJECT: videoUri });
    assert.equal((await post(create)).status, 202);
    await site.runJobs();
    const [comment] = await site.deps.db.query<{ status: string; content_html: string; actor_uri: string; url: string; video_id: string }>(
      'SELECT status, content_html, actor_uri, url, video_id FROM federation_comments',
    );
    assert.equal(comment?.status, 'held');
    assert.equal(comment.video_id, video.id);
    assert.equal(comment.url, `${remote.origin}/@alice/113502`);
    assert.match(comment.content_html, /Lovely film!/);
    assert.doesNotMatch(comment.content_html, /<script|onerror|<img/);
  });

  it('stores a PeerTube video from an actor a local channel follows, and removes it on Delete', async () => {
    const channel = await remote.addActor('boats');
    await site.deps.db.query(
      `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, follow_activity_uri, status, accepted_at) VALUES ($1, $2, $3, $4, 'accepted', now())`,
      [site.channelId, channel.uri, `${channel.uri}/inbox`, `${SITE}/ap/c/camille#follows/1`],
    );
    const object = fixture('peertube-video.json', { REMOTE: remote.origin, ACTOR: channel.uri });
    const { '@context': context, ...videoObject } = object;
    const create = { '@context': context, id: `${videoObject.id as string}/activity`, type: 'Create', actor: channel.uri, to: videoObject.to, cc: videoObject.cc, object: videoObject };
    assert.equal((await post(create, channel)).status, 202);
    await site.runJobs();
    const [stored] = await site.deps.db.query<{ name: string; watch_url: string; thumbnail_url: string; duration_seconds: number; actor_uri: string }>(
      'SELECT name, watch_url, thumbnail_url, duration_seconds, actor_uri FROM federation_remote_videos',
    );
    assert.deepEqual(stored, {
      name: 'Building a boat, part 3',
      watch_url: `${remote.origin}/w/bQvE8s1aZP3c9sWtfJ7qJk`,
      thumbnail_url: `${remote.origin}/lazy-static/thumbnails/a1b2.jpg`,
      duration_seconds: 754,
      actor_uri: channel.uri,
    });
    // Another actor (here of the same server) may not delete it; its author may.
    const foreignDelete = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.uri}#delete-1`, type: 'Delete', actor: alice.uri, object: videoObject.id };
    assert.equal((await post(foreignDelete)).status, 202);
    await site.runJobs();
    assert.equal(await count('federation_remote_videos'), 1);
    const del = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${videoObject.id as string}#delete`, type: 'Delete', actor: channel.uri, object: { type: 'Tombstone', id: videoObject.id } };
    assert.equal((await post(del, channel)).status, 202);
    await site.runJobs();
    assert.equal(await count('federation_remote_videos'), 0);
  });

  it('ignores videos from actors nobody here follows', async () => {
    const stranger = await remote.addActor('stranger');
    const object = fixture('peertube-video.json', { REMOTE: remote.origin, ACTOR: stranger.uri });
    const { '@context': context, ...videoObject } = object;
    const create = { '@context': context, id: `${remote.origin}/videos/watch/other/activity`, type: 'Create', actor: stranger.uri, object: { ...videoObject, id: `${remote.origin}/videos/watch/other` } };
    assert.equal((await post(create, stranger)).status, 202);
    await site.runJobs();
    assert.equal(await count('federation_remote_videos'), 0);
  });

  it('forgets a follower on Undo(Follow)', async () => {
    const follow = fixture('mastodon-follow.json', { ACTOR: alice.uri });
    const undo = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.uri}#follows/3462/undo`, type: 'Undo', actor: alice.uri, object: follow };
    assert.equal((await post(undo)).status, 202);
    await site.runJobs();
    assert.equal(await count('federation_followers'), 0);
  });
});
