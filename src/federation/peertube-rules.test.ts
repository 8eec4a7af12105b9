// PeerTube's rules for what it accepts from another server, turned into checks (written here from the
// rules of PeerTube 6.3's server/core/helpers/custom-validators/activitypub/{actor,videos,misc}.ts and
// server/core/lib/activitypub/process/process-*.ts; each check cites its rule), applied to what Fanfare
// actually serves and sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { findChannelById } from '../channels/index.js';
import { startRemoteServer, type RemoteActor, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, insertVideo, SITE, type FederationTestSite } from '../../test/support/federation-site.js';
import { followRemoteActor, RESEND_PENDING_FOLLOW_AFTER_MS, resendPendingFollowsHandler } from './follow.js';
import { listRefusedDeliveries } from './queries.js';
import { syncVideo } from './outbox.js';
import { decideRemoteReply } from './replies.js';

// ---- the rules ----

/** misc.ts isActivityPubUrlValid: an http(s) URL with a host, at most 2,000 characters (CONSTRAINTS_FIELDS.ACTORS.URL). */
function isApUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** misc.ts setValidAttributedTo: anything but an array becomes one element; keeps URLs and {type: Group|Person, id}. */
function validAttributedTo(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((a) => isApUrl(a) || (typeof a === 'object' && a !== null && ['Group', 'Person'].includes((a as { type?: string }).type ?? '') && isApUrl((a as { id?: unknown }).id)));
}

/** The first rule an actor document breaks, per actor.ts sanitizeAndCheckActorObject; undefined when accepted. */
function actorProblem(actor: Record<string, unknown>): string | undefined {
  // actor.ts isActorTypeValid
  if (!['Person', 'Application', 'Group', 'Service', 'Organization'].includes(actor.type as string)) return 'type';
  if (!isApUrl(actor.id)) return 'id';
  if (!isApUrl(actor.inbox)) return 'inbox';
  // actor.ts isActorPreferredUsernameValid: letters, digits and -_.: only
  if (typeof actor.preferredUsername !== 'string' || !/^[A-Za-z0-9\-_.:]+$/.test(actor.preferredUsername)) return 'preferredUsername';
  // actor.ts isActorPublicKeyObjectValid
  const key = actor.publicKey as Record<string, unknown> | undefined;
  if (!key || !isApUrl(key.id) || !isApUrl(key.owner) || typeof key.publicKeyPem !== 'string' || !key.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----')) return 'publicKey';
  // actor.ts isActorEndpointsObjectValid
  const endpoints = actor.endpoints as Record<string, unknown> | undefined;
  if (endpoints?.sharedInbox && !isApUrl(endpoints.sharedInbox)) return 'endpoints';
  for (const field of ['outbox', 'following', 'followers']) if (actor[field] && !isApUrl(actor[field])) return field;
  // actor.ts: "If this is a group (a channel), it should be attributed to an account"
  if (actor.type === 'Group' && validAttributedTo(actor.attributedTo).length === 0) return 'attributedTo';
  return undefined;
}

const isDate = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const chars = (text: string) => Array.from(text).length;

/** The first rule a Video object breaks, per videos.ts sanitizeAndCheckVideoTorrentObject; undefined when accepted. */
function videoProblem(video: Record<string, unknown>): string | undefined {
  if (video.type !== 'Video') return 'type';
  // videos.ts setValidRemoteVideoUrls: `url` must be an array
  if (!Array.isArray(video.url)) return 'urls';
  // misc.ts setValidRemoteIcon: Image, valid URL, known image type, integer width and height; none left = dropped
  const icons = (Array.isArray(video.icon) ? video.icon : video.icon ? [video.icon] : []) as Record<string, unknown>[];
  const kept = icons.filter((i) => i.type === 'Image' && isApUrl(i.url) && ['image/png', 'image/jpg', 'image/jpeg'].includes(i.mediaType as string) && Number.isInteger(i.width) && Number.isInteger(i.height));
  if (kept.length === 0) return 'icons';
  if (!isApUrl(video.id)) return 'id';
  // custom-validators/videos.ts isVideoNameValid: 3 to 120 characters (CONSTRAINTS_FIELDS.VIDEOS.NAME)
  if (typeof video.name !== 'string' || chars(video.name) < 3 || chars(video.name) > 120) return 'name';
  // misc.ts isActivityPubVideoDurationValid
  if (typeof video.duration !== 'string' || !/^PT\d+S$/.test(video.duration)) return 'duration';
  if (typeof video.uuid !== 'string' || !/^[0-9a-f-]{36}$/.test(video.uuid)) return 'uuid';
  if (!Number.isInteger(video.views)) return 'views';
  if (!isDate(video.published)) return 'published';
  if (!isDate(video.updated)) return 'updated';
  // videos.ts isRemoteVideoContentValid: when `content` exists, markdown or html and 3 to 10,000 characters (DESCRIPTION)
  if (video.content !== undefined && video.content !== null) {
    if (!['text/markdown', 'text/html'].includes(video.mediaType as string)) return 'mediaType/content';
    if (typeof video.content !== 'string' || chars(video.content) < 3 || chars(video.content) > 10_000) return 'mediaType/content';
  }
  // videos.ts: audience, when present, a valid URL
  if (video.audience !== undefined && !isApUrl(video.audience)) return 'audience';
  if (validAttributedTo(video.attributedTo).length === 0) return 'attributedTo';
  return undefined;
}

/** misc.ts isBaseActivityValid: type, an id URL, an actor (URL or object with one), `to`/`cc` URL collections. */
function baseActivityProblem(activity: Record<string, unknown>, type: string): string | undefined {
  if (activity.type !== type) return 'type';
  if (!isApUrl(activity.id)) return 'id';
  const actor = activity.actor;
  if (!isApUrl(actor) && !(typeof actor === 'object' && actor !== null && isApUrl((actor as { id?: unknown }).id))) return 'actor';
  for (const field of ['to', 'cc']) {
    const value = activity[field];
    if (value !== undefined && !(isApUrl(value) || (Array.isArray(value) && value.every(isApUrl)))) return field;
  }
  return undefined;
}

// ---- what Fanfare serves and sends ----

describe("PeerTube's rules, applied to what Fanfare serves and sends", () => {
  let site: FederationTestSite;
  let remote: RemoteServer;
  const owner = `${SITE}/ap/a/owner`;
  const get = async (path: string, accept = 'application/activity+json') => site.app.request(`${SITE}${path}`, { headers: { accept } });
  const deliveries = async () =>
    (await site.deps.db.query<{ payload: { inbox: string; activity: Record<string, unknown>; as?: string } }>("SELECT payload FROM jobs WHERE type = 'federation.deliver' ORDER BY created_at")).map((r) => r.payload);

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
    await site.deps.db.query(
      `INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri) VALUES ($1, 'https://peertube.example/accounts/root', 'https://peertube.example/inbox')`,
      [site.channelId],
    );
  });
  after(async () => {
    await remote.close();
    await site.close();
  });

  it("D1: the channel's Group passes sanitizeAndCheckActorObject, attributedTo an array even with one element", async () => {
    const actor = (await (await get('/ap/c/camille')).json()) as Record<string, unknown>;
    assert.equal(actorProblem(actor), undefined);
    assert.deepEqual(actor.attributedTo, [owner]);
    const person = (await (await get('/ap/a/owner')).json()) as Record<string, unknown>;
    assert.equal(actorProblem(person), undefined);
  });

  it('D13: the summary is the Markdown PeerTube stores as the description, with a Markdown source; FEP-0ea0 payment link', async () => {
    const actor = (await (await get('/ap/c/camille')).json()) as Record<string, unknown>;
    assert.equal(actor.summary, 'Short films.');
    assert.deepEqual(actor.source, { content: 'Short films.', mediaType: 'text/markdown' });
    assert.ok((actor.attachment as { rel: string; href: string }[]).some((a) => a.rel === 'payment' && a.href === `${SITE}/c/camille/membership`));
  });

  it('D3/D4: a video with an empty description, a short or long title and a custom PNG thumbnail passes sanitizeAndCheckVideoTorrentObject', async () => {
    for (const title of ['A', 'Hi', 'Yes', 'x'.repeat(200)]) {
      const video = await insertVideo(site, { title });
      await site.deps.db.query(`UPDATE videos SET description = '', custom_thumbnail_key = 'videos/x/thumb.png' WHERE id = $1`, [video.id]);
      const object = (await (await get(`/ap/videos/${video.shortId}`)).json()) as Record<string, unknown>;
      assert.equal(videoProblem(object), undefined, title);
      assert.equal(object.content, undefined, 'no content shorter than 3 characters');
      assert.equal(object.mediaType, undefined);
      const [icon] = object.icon as Record<string, unknown>[];
      assert.equal(icon!.mediaType, 'image/jpeg');
      assert.ok(Number.isInteger(icon!.width) && Number.isInteger(icon!.height));
      assert.equal(object.audience, `${SITE}/ap/c/camille`, 'FEP-1b12');
      assert.ok((object.attachment as { rel: string }[]).some((a) => a.rel === 'payment'), 'FEP-0ea0');
    }
  });

  it("D4: the icon URL changes with the video, so PeerTube's refresh downloads it again", async () => {
    const video = await insertVideo(site);
    const iconUrl = async () => ((await (await get(`/ap/videos/${video.shortId}`)).json()) as { icon: { url: string }[] }).icon[0]!.url;
    const before = await iconUrl();
    await site.deps.db.query(`UPDATE videos SET updated_at = updated_at + interval '1 minute' WHERE id = $1`, [video.id]);
    assert.notEqual(await iconUrl(), before);
  });

  it('D5: Create comes from the channel, Delete (deletion or unpublishing) from the owning account, signed with its key (process-delete.ts)', async () => {
    const video = await insertVideo(site);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'created');
    await site.deps.db.query(`UPDATE videos SET visibility = 'members', updated_at = now() WHERE id = $1`, [video.id]);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'deleted');
    const sent = (await deliveries()).filter((d) => String(d.activity.object && (d.activity.object as { id?: string }).id).endsWith(video.shortId));
    const create = sent.find((d) => d.activity.type === 'Create')!;
    const del = sent.find((d) => d.activity.type === 'Delete')!;
    assert.equal(baseActivityProblem(create.activity, 'Create'), undefined);
    assert.equal(videoProblem(create.activity.object as Record<string, unknown>), undefined);
    assert.equal(baseActivityProblem(del.activity, 'Delete'), undefined);
    // process-delete.ts: the Delete of a video must come from the account that owns its channel.
    const attributed = (create.activity.object as { attributedTo: { type: string; id: string }[] }).attributedTo;
    assert.equal(del.activity.actor, attributed.find((a) => a.type === 'Person')!.id);
    assert.equal(del.as, 'owner', 'signed with the owner key');
    assert.equal(create.as, 'channel');
  });

  it('D7: a Follow of a PeerTube channel comes from the owner Person (process-follow.ts needs an account or a server actor)', async () => {
    const group = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${remote.origin}/video-channels/boats`, type: 'Group', preferredUsername: 'boats', inbox: `${remote.origin}/video-channels/boats/inbox`, attributedTo: [`${remote.origin}/accounts/boatbuilder`] };
    remote.serve('/video-channels/boats', group);
    const channel = (await findChannelById(site.deps.db, site.channelId))!;
    await followRemoteActor(site.deps, site.fed, channel, group.id);
    const follow = (await deliveries()).find((d) => d.activity.type === 'Follow')!;
    assert.equal(baseActivityProblem(follow.activity, 'Follow'), undefined);
    assert.equal(follow.activity.actor, owner);
    assert.equal(follow.as, 'owner');
    const person = (await (await get('/ap/a/owner')).json()) as { type: string };
    assert.equal(person.type, 'Person');
  });

  describe('D8: PeerTube-shaped Create from an account and Announce from the channel', () => {
    let account: RemoteActor;
    let channelActor: RemoteActor;
    const videoFixture = (id: string) =>
      JSON.parse(
        readFileSync(new URL('../../test/support/fixtures/federation/peertube-video.json', import.meta.url), 'utf8')
          .replaceAll('{{REMOTE}}', remote.origin)
          .replaceAll('{{ACTOR}}', `${remote.origin}/users/pt-channel`),
      ) as Record<string, unknown> & { id: string; attributedTo: unknown[] };

    before(async () => {
      account = await remote.addActor('pt-account');
      channelActor = await remote.addActor('pt-channel');
      // The local channel follows the PeerTube channel (accepted).
      await site.deps.db.query(
        `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, follow_activity_uri, status, accepted_at) VALUES ($1, $2, $3, $4, 'accepted', now())`,
        [site.channelId, channelActor.uri, `${channelActor.uri}/inbox`, `${owner}#follows/pt`],
      );
    });

    const stored = async (objectUri: string) => (await site.deps.db.query('SELECT 1 FROM federation_remote_videos WHERE object_uri = $1', [objectUri])).length === 1;

    it('stores a Create from the account when the followed channel is in attributedTo', async () => {
      const video = { ...videoFixture('1'), id: `${remote.origin}/videos/watch/one`, attributedTo: [{ type: 'Person', id: account.uri }, { type: 'Group', id: channelActor.uri }] };
      const create = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${remote.origin}/videos/watch/one/activity`, type: 'Create', actor: account.uri, to: ['https://www.w3.org/ns/activitystreams#Public'], object: video };
      assert.equal(videoProblem(video as Record<string, unknown>), undefined, 'the fixture itself passes');
      const res = await site.app.request(await account.signedPost(`${SITE}/ap/inbox`, create));
      assert.ok(res.status < 300, String(res.status));
      await site.runJobs();
      assert.ok(await stored(video.id));
    });

    it('fetches and stores the object of an Announce by the followed channel', async () => {
      const video = { '@context': ['https://www.w3.org/ns/activitystreams'], ...videoFixture('2'), id: `${remote.origin}/videos/watch/two`, attributedTo: [{ type: 'Person', id: account.uri }, { type: 'Group', id: channelActor.uri }] };
      remote.serve('/videos/watch/two', video);
      const announce = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${channelActor.uri}/announces/two`, type: 'Announce', actor: channelActor.uri, to: ['https://www.w3.org/ns/activitystreams#Public'], object: video.id };
      const res = await site.app.request(await channelActor.signedPost(`${SITE}/ap/inbox`, announce));
      assert.ok(res.status < 300, String(res.status));
      await site.runJobs();
      assert.ok(await stored(video.id));
    });
  });

  it('D9: the outbox lists the Create activities of listed videos, paged, newest first', async () => {
    const collection = (await (await get('/ap/c/camille/outbox')).json()) as { totalItems: number; first: string };
    assert.ok(collection.totalItems > 0);
    const page = (await (await site.app.request(collection.first, { headers: { accept: 'application/activity+json' } })).json()) as { orderedItems: Record<string, unknown>[] };
    assert.ok(page.orderedItems.length > 0);
    for (const item of page.orderedItems) {
      assert.equal(baseActivityProblem(item, 'Create'), undefined);
      assert.equal(videoProblem(item.object as Record<string, unknown>), undefined);
    }
  });

  it('D10: approving a held reply sends ApproveReply from the owning account (process-reply-approval.ts), object = the reply URL', async () => {
    const video = await insertVideo(site);
    const note = `${remote.origin}/videos/watch/one/comments/1`;
    await site.deps.db.query(`INSERT INTO federation_comments (note_uri, video_id, actor_uri, content_html) VALUES ($1, $2, $3, '<p>Nice</p>')`, [note, video.id, `${remote.origin}/users/pt-account`]);
    assert.equal(await decideRemoteReply(site.deps, site.fed, site.channelId, note, 'approved'), true);
    const jobs = await site.deps.db.query<{ payload: { activity: Record<string, unknown>; as: string } }>("SELECT payload FROM jobs WHERE type = 'federation.deliver-to-actor' AND payload->'activity'->>'type' = 'ApproveReply'");
    const approve = jobs[0]!.payload;
    assert.equal(approve.activity.actor, owner);
    assert.equal(approve.activity.object, note);
    assert.equal(approve.as, 'owner');
  });

  it('D12: WebFinger resolves every actor, and answers an unknown resource with a JSON 404', async () => {
    const host = new URL(SITE).host;
    for (const [user, id] of [['camille', `${SITE}/ap/c/camille`], ['owner', owner]] as const) {
      const res = await get(`/.well-known/webfinger?resource=acct:${user}@${host}`, 'application/jrd+json');
      assert.equal(res.status, 200, user);
      const jrd = (await res.json()) as { links: { rel: string; href: string }[] };
      assert.equal(jrd.links.find((l) => l.rel === 'self')?.href, id);
    }
    const missing = await get(`/.well-known/webfinger?resource=acct:nobody@${host}`, 'application/jrd+json');
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /json/);
  });

  it('D15: an instance actor `peertube` (PeerTube follows a host through acct:peertube@host), which accepts a server follow and passes the video activities on', async () => {
    // PeerTube (lib/activitypub/follow.ts, job activitypub-follow): a host is followed by resolving
    // SERVER_ACTOR_NAME ("peertube") at that host by WebFinger, then sending that actor a Follow.
    const host = new URL(SITE).host;
    const res = await get(`/.well-known/webfinger?resource=acct:peertube@${host}`, 'application/jrd+json');
    assert.equal(res.status, 200);
    const self = ((await res.json()) as { links: { rel: string; href: string }[] }).links.find((l) => l.rel === 'self')!.href;
    assert.equal(self, `${SITE}/ap/a/peertube`);
    const actor = (await (await get('/ap/a/peertube')).json()) as Record<string, unknown>;
    // actor.ts isActorTypeValid: PeerTube's own server actor is an Application.
    assert.equal(actor.type, 'Application');
    assert.equal(actor.preferredUsername, 'peertube');
    assert.equal(actorProblem(actor), undefined);
    const serverActor = await remote.addActor('peertube');
    const follow = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${serverActor.uri}/follows/site`, type: 'Follow', actor: serverActor.uri, object: self };
    const posted = await site.app.request(await serverActor.signedPost(`${SITE}/ap/a/peertube/inbox`, follow));
    assert.ok(posted.status < 300, String(posted.status));
    await site.runJobs();
    const accept = (await deliveries()).find((d) => d.activity.type === 'Accept' && d.activity.actor === self)!;
    assert.ok(accept, 'the instance actor accepts');
    assert.equal(baseActivityProblem(accept.activity, 'Accept'), undefined);
    assert.equal(accept.as, 'instance', 'signed with the instance key');
    assert.equal((accept.activity.object as { id: string }).id, follow.id);
    // A new public video of any channel reaches the server that follows the site.
    const video = await insertVideo(site);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'created');
    const create = (await deliveries()).find((d) => d.activity.type === 'Create' && d.inbox === `${remote.origin}/inbox` && String((d.activity.object as { id: string }).id).endsWith(video.shortId));
    assert.ok(create, 'the Create goes to the following server');
    // Undo(Follow) stops that.
    const undo = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${serverActor.uri}/follows/site/undo`, type: 'Undo', actor: serverActor.uri, object: follow };
    assert.ok((await site.app.request(await serverActor.signedPost(`${SITE}/ap/a/peertube/inbox`, undo))).status < 300);
    await site.runJobs();
    assert.equal((await site.deps.db.query('SELECT 1 FROM federation_instance_followers')).length, 0);
  });

  it('D6: a Follow still pending is sent again (PeerTube tries a delivery once), once per period; refused deliveries are listed for the Studio', async () => {
    // A server that refuses every delivery (as PeerTube answers 403 to an actor it cannot validate).
    const refusing = createServer((_req, res) => res.writeHead(403).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const refusingInbox = `http://127.0.0.1:${(refusing.address() as { port: number }).port}/inbox`;
    after(() => refusing.close());
    const created = new Date(site.clock.now().getTime() - RESEND_PENDING_FOLLOW_AFTER_MS - 60_000);
    const pending = { actor: `${remote.origin}/video-channels/slow`, follow: `${owner}#follows/slow` };
    await site.deps.db.query(
      `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, follow_activity_uri, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [site.channelId, pending.actor, refusingInbox, pending.follow, created],
    );
    const resend = resendPendingFollowsHandler(site.deps, site.fed);
    const follows = async () => (await deliveries()).filter((d) => d.activity.type === 'Follow' && d.activity.object === pending.actor);
    await resend({} as never);
    await resend({} as never);
    assert.equal((await follows()).length, 1, 'once per period, however often the job runs');
    const [again] = await follows();
    assert.equal(baseActivityProblem(again!.activity, 'Follow'), undefined);
    assert.equal(again!.activity.id, pending.follow, 'the same Follow: PeerTube answers it again');
    assert.equal(again!.activity.actor, owner);
    site.clock.advance(RESEND_PENDING_FOLLOW_AFTER_MS);
    await resend({} as never);
    assert.equal((await follows()).length, 2, 'and again in the next period');
    // The remote inbox answers 403 (a refusal): the delivery fails for good and the Studio lists it.
    await site.runJobs();
    const refused = await listRefusedDeliveries(site.deps.db, site.channelId);
    assert.ok(refused.some((r) => r.inbox === refusingInbox && r.activity_type === 'Follow' && /HTTP 403/.test(r.error)), JSON.stringify(refused));
  });

  it('D11: a caption added to a published video goes out at once, as an Update whose subtitleLanguage PeerTube keeps', async () => {
    const video = await insertVideo(site);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'created');
    // What the Studio's caption form does in one transaction (videos/studio-routes.tsx): the caption row,
    // the video touched, and the video.changed event whose subscriber (federation/index.ts) runs syncVideo.
    await site.deps.db.query(`INSERT INTO video_captions (video_id, language, label, storage_key) VALUES ($1, 'fr', 'Français', 'videos/x/captions/fr.vtt')`, [video.id]);
    await site.deps.db.query(`UPDATE videos SET updated_at = updated_at + interval '1 second' WHERE id = $1`, [video.id]);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'updated');
    const update = (await deliveries()).find((d) => d.activity.type === 'Update' && String((d.activity.object as { id: string }).id).endsWith(video.shortId))!;
    assert.equal(baseActivityProblem(update.activity, 'Update'), undefined);
    const object = update.activity.object as Record<string, unknown>;
    assert.equal(videoProblem(object), undefined);
    // videos.ts sanitizeAndCheckVideoTorrentObject keeps subtitleLanguage entries that have an identifier
    // (isRemoteStringIdentifierValid: a string identifier) and a name; PeerTube then downloads `url`.
    const captions = object.subtitleLanguage as { identifier: unknown; name: unknown; url: unknown }[];
    assert.equal(captions.length, 1);
    assert.equal(captions[0]!.identifier, 'fr');
    assert.equal(typeof captions[0]!.name, 'string');
    assert.ok(isApUrl(captions[0]!.url));
  });

  it('D14: serves GET /api/v1/videos/{uuid}/description for listed videos, a JSON 404 otherwise', async () => {
    const video = await insertVideo(site);
    const res = await get(`/api/v1/videos/${video.id}/description`, 'application/json');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { description: 'A *short* film.' });
    const hidden = await insertVideo(site, { visibility: 'members' });
    assert.equal((await get(`/api/v1/videos/${hidden.id}/description`, 'application/json')).status, 404);
  });
});
