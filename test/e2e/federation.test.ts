import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestSource } from '../support/media.js';
import { videosConfig } from '../../src/videos/config.js';
import { resolveBinaries } from '../../src/videos/transcode/binaries.js';
import type { TestClient } from '../support/client.js';
import { eventually, FEDERATION_ENV, followerCount, Session, setUpSite as setUp } from '../support/federation.js';
import { startServer, type RunningServer } from '../support/server.js';
import { tusUpload } from '../support/tus.js';

/** A signed-in browser on one real server: cookies and the CSRF token, as the tus helpers expect. */
async function inboxLog(session: Session): Promise<{ type: string; actor_uri: string; object_uri: string | null }[]> {
  const res = await session.request('/studio/fediverse/activity', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { entries: { type: string; actor_uri: string; object_uri: string | null }[] }).entries;
}

describe('two Fanfare sites federating', { timeout: 900_000 }, () => {
  let a: RunningServer;
  let b: RunningServer;
  let alice: Session;
  let bob: Session;
  let work: string;
  let aliceActor: string;
  let videoId: string;
  let shortId: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-federation-'));
    // One after the other: two cold starts at once can outlast the helper's 30 s readiness wait on 2 cores.
    a = await startServer({ env: FEDERATION_ENV });
    b = await startServer({ env: FEDERATION_ENV });
    [alice, bob] = await Promise.all([setUp(a, 'alice', 'Alice'), setUp(b, 'bob', 'Bob')]);
    aliceActor = `${a.url}/ap/c/alice`;
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it("serves a channel as a Group actor with its keys, found by WebFinger", async () => {
    const actor = (await (await fetch(aliceActor, { headers: { accept: 'application/activity+json' } })).json()) as Record<string, unknown>;
    assert.equal(actor.type, 'Group');
    assert.equal(actor.preferredUsername, 'alice');
    assert.equal(actor.url, `${a.url}/c/alice`);
    assert.equal((actor.endpoints as { sharedInbox: string }).sharedInbox, `${a.url}/ap/inbox`);
    assert.match(JSON.stringify(actor.publicKey), /BEGIN PUBLIC KEY/);
    assert.equal((actor.assertionMethod as unknown[]).length, 2, 'RSA and Ed25519');
    const host = new URL(a.url).host;
    const finger = (await (await fetch(`${a.url}/.well-known/webfinger?resource=acct:alice@${host}`)).json()) as { links: { rel: string; href: string }[] };
    assert.equal(finger.links.find((l) => l.rel === 'self')?.href, aliceActor);
    const page = await fetch(`${a.url}/c/alice`, { headers: { accept: 'application/activity+json' }, redirect: 'manual' });
    assert.equal(page.headers.get('location'), '/ap/c/alice', 'the channel page answers ActivityPub clients with the actor');
  });

  it("lets a channel of site B follow a channel of site A, which accepts", async () => {
    await bob.page('/studio/channels/bob/fediverse');
    const res = await bob.post('/studio/channels/bob/follow', { uri: aliceActor }, 'application/json');
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { actor: aliceActor, status: 'pending' });
    await eventually('A to record the follower', async () => (await followerCount(a, 'alice')) === 1);
    await eventually("B to receive A's Accept", async () => !(await bob.page('/studio/channels/bob/fediverse')).includes('waiting for acceptance'));
  });

  it("sends a public post A's creator writes to B as the channel's Article, which B verifies and applies (community)", async () => {
    await alice.page('/studio/channels/alice/community');
    const posted = await alice.post('/studio/channels/alice/posts', { title: 'Tour dates', body: 'We play **Lyon**.', audience: 'public' });
    assert.equal(posted.status, 303, await posted.text());
    // B applies it only after checking its signature against the key of A's channel (fetched from A).
    const entry = await eventually("B to apply A's Create of the Article", async () =>
      (await inboxLog(bob)).find((e) => e.type === 'Create' && e.actor_uri === aliceActor && e.object_uri?.startsWith(`${a.url}/ap/posts/`)));
    const article = (await (await fetch(entry.object_uri!, { headers: { accept: 'application/activity+json' } })).json()) as Record<string, unknown>;
    assert.equal(article.type, 'Article');
    assert.equal(article.name, 'Tour dates');

    // Edited, then deleted in the Studio: B gets the channel's Update, then its Delete, each verified.
    const postId = entry.object_uri!.split('/').pop()!;
    await alice.page(`/studio/channels/alice/posts/${postId}`);
    assert.equal((await alice.post(`/studio/channels/alice/posts/${postId}`, { title: 'Tour dates (new)', body: 'We play **Nantes**.' })).status, 303);
    await eventually("B to apply A's Update of the Article", async () =>
      (await inboxLog(bob)).some((e) => e.type === 'Update' && e.actor_uri === aliceActor && e.object_uri === entry.object_uri));
    assert.equal((await alice.post(`/studio/channels/alice/posts/${postId}/delete`, {})).status, 303);
    await eventually("B to apply A's Delete of the Article", async () =>
      (await inboxLog(bob)).some((e) => e.type === 'Delete' && e.actor_uri === aliceActor && e.object_uri === entry.object_uri));
  });

  it('sends the public video A publishes to B, which lists it', async () => {
    const clip = readFileSync(await makeTestSource(resolveBinaries(videosConfig.parse(process.env)).ffmpeg, work, 'clip.mp4', { seconds: 2, width: 320, height: 180 }));
    await alice.page('/studio/channels/alice/upload');
    const upload = await tusUpload(alice as unknown as TestClient, clip, { filename: 'clip.mp4', filetype: 'video/mp4', channel: 'alice' });
    assert.equal(upload.status, 200, await upload.clone().text());
    videoId = ((await upload.json()) as { videoId: string }).videoId;
    await eventually('transcoding', async () => ((await (await alice.request(`/studio/videos/${videoId}/status`)).json()) as { status: string }).status === 'ready', 120_000);
    const edit = await alice.page(`/studio/videos/${videoId}`);
    shortId = /\/v\/([A-Za-z0-9_-]{8,16})/.exec(edit)![1]!;
    const saved = await alice.post(`/studio/videos/${videoId}`, {
      title: 'A federated film', description: 'Shot *here*.', tags: 'fediverse', language: 'en', licence: 'cc_by', visibility: 'public', publish_at: '', chapters: '',
    });
    assert.equal(saved.status, 303, await saved.text());

    const object = (await (await fetch(`${a.url}/ap/videos/${shortId}`, { headers: { accept: 'application/activity+json' } })).json()) as Record<string, unknown>;
    assert.equal(object.type, 'Video');
    assert.equal(object.uuid, videoId);
    assert.equal(object.name, 'A federated film');
    // The icon PeerTube downloads: a JPEG converted from the poster on first request (federation/video-icons.ts).
    const [icon] = object.icon as { url: string; mediaType: string }[];
    assert.equal(icon!.mediaType, 'image/jpeg');
    const picture = await fetch(icon!.url);
    assert.equal(picture.status, 200, icon!.url);
    assert.equal(picture.headers.get('content-type'), 'image/jpeg');

    await eventually('B to list the video from A', async () => (await bob.page('/studio/channels/bob/fediverse')).includes('A federated film'));
    const log = await inboxLog(bob);
    assert.ok(log.some((e) => e.type === 'Create' && e.actor_uri === aliceActor && e.object_uri === `${a.url}/ap/videos/${shortId}`), JSON.stringify(log));
  });

  it("sends the video's edits as an Update", async () => {
    await alice.page(`/studio/videos/${videoId}`);
    const saved = await alice.post(`/studio/videos/${videoId}`, {
      title: 'A federated film, recut', description: 'Shot *here*.', tags: 'fediverse', language: 'en', licence: 'cc_by', visibility: 'public', publish_at: '', chapters: '',
    });
    assert.equal(saved.status, 303);
    await eventually('B to show the new title', async () => (await bob.page('/studio/channels/bob/fediverse')).includes('A federated film, recut'));
  });

  it('sends a caption added or deleted in the Studio to B as an Update carrying the subtitles', async () => {
    const objectUri = `${a.url}/ap/videos/${shortId}`;
    const updates = async () => (await inboxLog(bob)).filter((e) => e.type === 'Update' && e.actor_uri === aliceActor && e.object_uri === objectUri).length;
    const before = await updates();
    await alice.page(`/studio/videos/${videoId}`);
    const form = new FormData();
    form.set('_csrf', alice.csrf);
    form.set('caption_language', 'fr');
    form.set('caption_label', 'Français');
    form.set('caption_file', new File(['WEBVTT\n\n00:00.000 --> 00:01.000\nSalut\n'], 'fr.vtt', { type: 'text/vtt' }));
    const added = await alice.request(`/studio/videos/${videoId}/captions`, { method: 'POST', body: form });
    assert.equal(added.status, 303, await added.text());
    const served = (await (await fetch(objectUri, { headers: { accept: 'application/activity+json' } })).json()) as { subtitleLanguage: { identifier: string }[] };
    assert.deepEqual(served.subtitleLanguage.map((s) => s.identifier), ['fr']);
    await eventually('B to receive the Update for the new caption', async () => (await updates()) > before);

    const afterAdd = await updates();
    await alice.page(`/studio/videos/${videoId}`);
    const removed = await alice.post(`/studio/videos/${videoId}/captions/fr/delete`, {});
    assert.equal(removed.status, 303);
    await eventually('B to receive the Update for the removed caption', async () => (await updates()) > afterAdd);
  });

  it("sends a comment written on A under the video to B as a Note of its author's Person, which B verifies and applies (community)", async () => {
    await alice.page(`/v/${shortId}`);
    const posted = await alice.post(`/v/${shortId}/comments`, { body: 'Thanks for *watching*' });
    assert.equal(posted.status, 303, await posted.text());
    const commentId = /#comment-([0-9a-f-]{36})$/.exec(posted.headers.get('location') ?? '')![1]!;
    const noteUri = `${a.url}/ap/comments/${commentId}`;
    const note = (await (await fetch(noteUri, { headers: { accept: 'application/activity+json' } })).json()) as Record<string, unknown>;
    assert.equal(note.inReplyTo, `${a.url}/ap/videos/${shortId}`);
    assert.equal(note.attributedTo, `${a.url}/ap/a/owner`);
    assert.equal((await fetch(String(note.replyApproval), { headers: { accept: 'application/activity+json' } })).status, 200, 'its replyApproval is served');
    // B applied it only after checking its signature against the key of A's owner (fetched from A).
    await eventually("B to apply A's Create of the Note", async () =>
      (await inboxLog(bob)).some((e) => e.type === 'Create' && e.actor_uri === `${a.url}/ap/a/owner` && e.object_uri === noteUri));
  });

  it('lets B unfollow (Undo), and still tells B when A deletes the video', async () => {
    await bob.page('/studio/channels/bob/fediverse');
    const res = await bob.post('/studio/channels/bob/unfollow', { uri: aliceActor }, 'application/json');
    assert.equal(res.status, 200);
    await eventually('A to drop the follower', async () => (await followerCount(a, 'alice')) === 0);

    await alice.page(`/studio/videos/${videoId}`);
    const deleted = await alice.post(`/studio/videos/${videoId}/delete`, {});
    assert.equal(deleted.status, 303);
    await eventually("A's object to be a tombstone", async () => (await fetch(`${a.url}/ap/videos/${shortId}`, { headers: { accept: 'application/activity+json' } })).status === 410);
    // From A's owner Person, as PeerTube requires of a video's Delete (process-delete.ts: the account owning the channel).
    await eventually('B to receive the Delete', async () =>
      (await inboxLog(bob)).some((e) => e.type === 'Delete' && e.actor_uri === `${a.url}/ap/a/owner` && e.object_uri === `${a.url}/ap/videos/${shortId}`),
    );
  });

  it('refuses unsigned activities on a real inbox with 401', async () => {
    const res = await fetch(`${a.url}/ap/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${b.url}/x`, type: 'Follow', actor: `${b.url}/ap/c/bob`, object: aliceActor }),
    });
    assert.equal(res.status, 401);
  });
});
