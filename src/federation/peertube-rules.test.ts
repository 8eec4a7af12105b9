// PeerTube's rules for what it accepts from another server, turned into checks, applied to what Fanfare
// actually serves and sends. Each check cites its rule in Chocobozzz/PeerTube: server/core/helpers/
// custom-validators/activitypub/{actor,videos,misc}.ts, server/core/helpers/custom-validators/videos.ts,
// server/core/initializers/constants.ts (CONSTRAINTS_FIELDS, MIMETYPES) and server/core/lib/activitypub/
// process/process-*.ts — re-read from its source (6.x and the current main branch) in December 2026, never
// copied. Where the versions differ, the check keeps to what both accept (e.g. JPEG icons only).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { verifyRequest } from '@fedify/fedify';
import { getDocumentLoader, type DocumentLoader } from '@fedify/vocab-runtime';
import { findChannelById } from '../channels/index.js';
import { startRemoteServer, type RemoteActor, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, insertVideo, SITE, type FederationTestSite } from '../../test/support/federation-site.js';
import { followRemoteActor, RESEND_PENDING_FOLLOW_AFTER_MS, resendPendingFollowsHandler } from './follow.js';
import { listRefusedDeliveries } from './queries.js';
import { syncVideo } from './outbox.js';
import { decideRemoteReply } from './replies.js';
import { videoIconRoutes } from './video-icons.js';
import { ffmpegBinaries, runTool } from '../videos/index.js';

// ---- the rules ----

/**
 * misc.ts isActivityPubUrlValid: isUrlValid (validator's isURL: http or https, a host, and a top-level domain
 * unless the PeerTube server itself runs on localhost — an IP address passes as a host) and at most 2,000
 * characters (CONSTRAINTS_FIELDS.ACTORS.URL).
 */
function isApUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * misc.ts setValidAttributedTo: in PeerTube 6 anything but an array becomes `[]` (current PeerTube arrayifies
 * a single value instead: the stricter rule is kept), then it keeps URLs and {type: Group|Person, id}.
 */
function validAttributedTo(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : [];
  return list.filter((a) => isApUrl(a) || (typeof a === 'object' && a !== null && ['Group', 'Person'].includes((a as { type?: string }).type ?? '') && isApUrl((a as { id?: unknown }).id)));
}

/** The first rule an actor document breaks, per actor.ts sanitizeAndCheckActorObject; undefined when accepted. */
function actorProblem(actor: Record<string, unknown>): string | undefined {
  // actor.ts isActorTypeValid
  if (!['Person', 'Application', 'Group', 'Service', 'Organization'].includes(actor.type as string)) return 'type';
  if (!isApUrl(actor.id)) return 'id';
  if (!isApUrl(actor.inbox)) return 'inbox';
  // actor.ts isActorPreferredUsernameValid: actorNameAlphabet, ASCII letters, digits and -_.: only
  if (typeof actor.preferredUsername !== 'string' || !/^[A-Za-z0-9\-_.:]+$/.test(actor.preferredUsername)) return 'preferredUsername';
  // actor.ts isActorPublicKeyObjectValid / isActorPublicKeyValid: a PEM with both markers, 10 to 5,000 characters (ACTORS.PUBLIC_KEY)
  const key = actor.publicKey as Record<string, unknown> | undefined;
  const pem = key?.publicKeyPem;
  if (!key || !isApUrl(key.id) || !isApUrl(key.owner) || typeof pem !== 'string' || !pem.startsWith('-----BEGIN PUBLIC KEY-----') || !pem.includes('-----END PUBLIC KEY-----') || pem.length > 5000) return 'publicKey';
  // actor.ts isActorEndpointsObjectValid
  const endpoints = actor.endpoints as Record<string, unknown> | undefined;
  if (endpoints?.sharedInbox && !isApUrl(endpoints.sharedInbox)) return 'endpoints';
  for (const field of ['outbox', 'following', 'followers']) if (actor[field] && !isApUrl(actor[field])) return field;
  // actor.ts sanitizeAndCheckActorObject: "If this is a group (a channel), it should be attributed to an account"
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
  // setValidRemoteIcon (videos.ts in PeerTube 6, misc.ts since): Image, a valid URL, integer width and height
  // (validator isInt, min 0) and a known type — `image/jpeg` only in PeerTube 6, MIMETYPES.IMAGE (png, gif,
  // webp, jpg, jpeg) since: JPEG is what both keep. None left = the video is dropped ('icons').
  const icons = (Array.isArray(video.icon) ? video.icon : video.icon ? [video.icon] : []) as Record<string, unknown>[];
  const kept = icons.filter((i) => i.type === 'Image' && isApUrl(i.url) && i.mediaType === 'image/jpeg' && Number.isInteger(i.width) && (i.width as number) >= 0 && Number.isInteger(i.height) && (i.height as number) >= 0);
  if (kept.length === 0) return 'icons';
  if (!isApUrl(video.id)) return 'id';
  // custom-validators/videos.ts isVideoNameValid: present, 3 to 120 characters (CONSTRAINTS_FIELDS.VIDEOS.NAME)
  if (typeof video.name !== 'string' || chars(video.name) < 3 || chars(video.name) > 120) return 'name';
  // misc.ts isActivityPubVideoDurationValid: a string starting with PT and ending with S; then
  // custom-validators/videos.ts isVideoDurationValid: whole seconds, at least 0 (VIDEOS.DURATION).
  if (typeof video.duration !== 'string' || !video.duration.startsWith('PT') || !video.duration.endsWith('S') || !/^PT\d+S$/.test(video.duration)) return 'duration';
  // misc.ts isUUIDValid; videos.ts isVideoViewsValid (an integer, at least 0)
  if (typeof video.uuid !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(video.uuid)) return 'uuid';
  if (!Number.isInteger(video.views) || (video.views as number) < 0) return 'views';
  if (!isDate(video.published)) return 'published';
  if (!isDate(video.updated)) return 'updated';
  // videos.ts: setRemoteVideoContent first cuts a truthy `content` to 10,000 characters (peertubeTruncate);
  // then, when `content` exists (misc.ts exists: neither undefined nor null), isRemoteVideoContentValid wants
  // mediaType text/markdown or text/html and isVideoDescriptionValid at least 3 characters (VIDEOS.DESCRIPTION).
  if (video.content !== undefined && video.content !== null) {
    if (!['text/markdown', 'text/html'].includes(video.mediaType as string)) return 'mediaType/content';
    if (typeof video.content !== 'string' || chars(video.content) < 3) return 'mediaType/content';
  }
  // videos.ts sanitizeAndCheckVideoTorrentObject: `audience`, when present, a valid URL; then at least one attributedTo left
  if (video.audience !== undefined && !isApUrl(video.audience)) return 'audience';
  if (validAttributedTo(video.attributedTo).length === 0) return 'attributedTo';
  return undefined;
}

/** misc.ts isBaseActivityValid: type, an id URL, an actor (isObjectValid: a URL or an object with one), `to`/`cc` isUrlCollectionValid (absent, a URL or an array of URLs). */
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

/** Width and height of a baseline or progressive JPEG, from its SOF marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker >= 0xc0 && marker <= 0xc3) return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]! };
    at += 2 + length;
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

  it("D4: a custom PNG thumbnail reaches PeerTube as JPEGs of its two sizes, in an Update whose icon URLs are new (PeerTube downloads a thumbnail again only when its URL changes)", async () => {
    const iconApp = videoIconRoutes(site.deps);
    const video = await insertVideo(site);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'created');
    // What the Studio's thumbnail form stores (videos/studio-routes.tsx): a PNG, its key, the video touched.
    const dir = mkdtempSync(join(tmpdir(), 'fanfare-thumb-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const png = join(dir, 'thumb.png');
    const made = await runTool(ffmpegBinaries(site.deps.config).ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=640x400', '-frames:v', '1', png]);
    assert.equal(made.code, 0, made.stderrTail);
    const key = `videos/${video.id}/thumbnail-1.png`;
    await site.deps.storage.put(key, readFileSync(png));
    await site.deps.db.query(`UPDATE videos SET custom_thumbnail_key = $2, updated_at = updated_at + interval '1 second' WHERE id = $1`, [video.id, key]);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'updated');
    const sent = (await deliveries()).filter((d) => String((d.activity.object as { id?: string }).id).endsWith(video.shortId));
    const iconsOf = (d: (typeof sent)[number]) => (d.activity.object as { icon: { url: string; width: number; height: number; mediaType: string }[] }).icon;
    const created = iconsOf(sent.find((d) => d.activity.type === 'Create')!);
    const update = sent.find((d) => d.activity.type === 'Update')!;
    assert.equal(baseActivityProblem(update.activity, 'Update'), undefined);
    assert.equal(videoProblem(update.activity.object as Record<string, unknown>), undefined);
    const icons = iconsOf(update);
    assert.deepEqual(icons.map((i) => [i.mediaType, i.width, i.height]), [['image/jpeg', 280, 157], ['image/jpeg', 850, 480]]);
    assert.ok(icons.every((icon, n) => icon.url !== created[n]!.url), 'new URLs for the new picture');
    // Each URL serves a JPEG of exactly the size the object states.
    for (const icon of icons) {
      const res = await iconApp.request(icon.url);
      assert.equal(res.status, 200, icon.url);
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      assert.deepEqual(jpegSize(new Uint8Array(await res.arrayBuffer())), { width: icon.width, height: icon.height });
    }
    // Another size, or a video not listed, is not served.
    assert.equal((await iconApp.request(`${SITE}/ap/videos/${video.shortId}/icons/100x100.jpg`)).status, 404);
    await site.deps.db.query(`UPDATE videos SET visibility = 'members' WHERE id = $1`, [video.id]);
    assert.equal((await iconApp.request(icons[0]!.url)).status, 404);
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

  // process-follow.ts rejectIfMuted reads `byActor.Account.id`; PeerTube gives an Account only to Person,
  // Application, Service and Organization actors (isAccountActor in helpers/actors.ts, used by
  // actors/shared/creator.ts), so a Group follower makes it throw before any Accept or Reject.
  it('D7: a Follow of a PeerTube channel comes from the owner Person (process-follow.ts needs a follower with an account)', async () => {
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

  // process-reply-approval.ts: the ApproveReply's actor must be the account owning the video's channel
  // (`byActor.id !== comment.Video.VideoChannel.Account.Actor.id` throws) and its object the reply's URL;
  // PeerTube ignores RejectReply for now ("Not yet implemented"), which is sent all the same.
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

  it('D15: an instance actor `peertube` (PeerTube follows a host through it), which accepts a server follow, passes the video activities on and Announces each new video as PeerTube\'s server actor does', async () => {
    // PeerTube follows a host (job-queue/handlers/activitypub-follow.ts) through the `Application` link of
    // the host's /.well-known/nodeinfo (getApplicationActorOfHost, helpers/activity-pub-utils.ts; not in
    // PeerTube 6), else by WebFinger of SERVER_ACTOR_NAME "peertube" (initializers/constants.ts;
    // getRemoteNameAndHost in lib/activitypub/follow.ts), then sends that actor a Follow from its own server
    // actor, an Application named "peertube".
    const host = new URL(SITE).host;
    const res = await get(`/.well-known/webfinger?resource=acct:peertube@${host}`, 'application/jrd+json');
    assert.equal(res.status, 200);
    const self = ((await res.json()) as { links: { rel: string; href: string }[] }).links.find((l) => l.rel === 'self')!.href;
    assert.equal(self, `${SITE}/ap/a/peertube`);
    const actor = (await (await get('/ap/a/peertube')).json()) as Record<string, unknown>;
    // actor.ts isActorTypeValid accepts an Application, and process-announce.ts takes Announces only from an
    // Application or a Group: the instance actor is one, as PeerTube's server actor.
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
    // process-accept.ts: "Need to accept on explicit inbox" — the Accept goes to the follower's own inbox, not the shared one.
    assert.equal(accept.inbox, `${serverActor.uri}/inbox`);
    assert.equal((accept.activity.object as { id: string }).id, follow.id);
    // A new public video of any channel reaches the server that follows the site.
    const video = await insertVideo(site);
    assert.equal(await syncVideo(site.deps, site.fed, video.id), 'created');
    const create = (await deliveries()).find((d) => d.activity.type === 'Create' && d.inbox === `${remote.origin}/inbox` && String((d.activity.object as { id: string }).id).endsWith(video.shortId));
    assert.ok(create, 'the Create goes to the following server');
    // And the instance actor's Announce of it, as PeerTube's server actor shares each new video
    // (videos/federate.ts → share.ts shareByServerIfNeeded → send-announce.ts).
    const objectId = (create.activity.object as { id: string }).id;
    const announce = (await deliveries()).find((d) => d.activity.type === 'Announce' && d.inbox === `${remote.origin}/inbox` && d.activity.object === objectId)!;
    assert.ok(announce, 'the Announce goes to the following server');
    assert.equal(baseActivityProblem(announce.activity, 'Announce'), undefined);
    assert.equal(announce.activity.actor, self);
    assert.equal(announce.as, 'instance');
    // url.ts getLocalVideoAnnounceActivityPubUrl: the video's URL + /announces/…; audience.ts: to the public.
    assert.equal(announce.activity.id, `${objectId}/announces/instance`);
    assert.ok((announce.activity.to as string[]).includes('https://www.w3.org/ns/activitystreams#Public'));
    // Delivered, signed with the instance actor's key as published on its actor document.
    remote.deliveries.length = 0;
    await site.runJobs();
    const reached = remote.deliveries.find((d) => d.body.type === 'Announce' && d.body.object === objectId)!;
    assert.ok(reached, 'the Announce reached the server');
    const preloaded = getDocumentLoader();
    const loader: DocumentLoader = async (url) => {
      if (!url.startsWith(SITE)) return preloaded(url);
      const served = await site.app.request(url, { headers: { accept: 'application/activity+json' } });
      return { contextUrl: null, document: await served.json(), documentUrl: url };
    };
    const signed = new Request(`${remote.origin}${reached.path}`, { method: 'POST', headers: reached.headers, body: JSON.stringify(reached.body) });
    const key = await verifyRequest(signed, { documentLoader: loader, contextLoader: preloaded });
    assert.equal(key?.ownerId?.href, self);
    // The outbox PeerTube crawls after its follow is accepted (process-accept.ts addFetchOutboxJob): the
    // listed videos as the instance actor's Announces, which process.ts takes unsigned from an outbox on the
    // actor's host (Create, Announce and Like only).
    const outbox = (await (await get('/ap/a/peertube/outbox')).json()) as { totalItems: number; first: string };
    assert.ok(outbox.totalItems >= 1);
    const page = (await (await site.app.request(outbox.first, { headers: { accept: 'application/activity+json' } })).json()) as { orderedItems: Record<string, unknown>[] };
    assert.ok(page.orderedItems.some((item) => item.object === objectId));
    for (const item of page.orderedItems) {
      assert.equal(baseActivityProblem(item, 'Announce'), undefined);
      assert.equal(item.actor, self);
      assert.equal(new URL(String(item.actor)).host, new URL(outbox.first).host);
    }
    // FEP-2677, what current PeerTube reads first when following a host (getApplicationActorOfHost).
    const nodeinfo = (await (await get('/.well-known/nodeinfo', 'application/json')).json()) as { links: { rel: string; href: string }[] };
    assert.ok(nodeinfo.links.some((l) => l.rel === 'https://www.w3.org/ns/activitystreams#Application' && l.href === self), JSON.stringify(nodeinfo));
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
    // videos.ts setValidRemoteCaptions keeps the subtitleLanguage entries whose `identifier` is a string
    // (isRemoteStringIdentifierValid) and, in current PeerTube, whose `url` is a valid URL (made a text/vtt
    // Link) or holds text/vtt or application/x-mpegURL Links; `name` is not checked. PeerTube downloads `url`.
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
