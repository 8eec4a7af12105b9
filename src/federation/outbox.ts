import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import { findChannelById } from '../channels/index.js';
import { findVideoById, isListed, listCaptions, type VideoWithChannel } from '../videos/index.js';
import { channelIdentifier, INSTANCE_IDENTIFIER, OWNER_IDENTIFIER, personIdentifier } from './actors.js';
import type { FederationServices } from './federation.js';
import * as q from './queries.js';
import { limitedFetch } from './remote-fetch.js';
import { buildVideoObject, instanceAnnounce, videoActivity, videoObjectUri, videoTombstone, type VideoObjectUrls } from './video-object.js';
import { signRequest } from '@fedify/fedify';

/** Brings one video's federated state in line with the video (see syncVideo). */
export const VIDEO_SYNC_JOB = 'federation.video-sync';
/** Posts one signed activity to one remote inbox. */
export const DELIVER_JOB = 'federation.deliver';

/** Attempts of one delivery: with the queue's backoff (10 s doubling, capped at 1 h) about 7 hours in all. */
const DELIVERY_ATTEMPTS = 12;
const DELIVERY_TIMEOUT_MS = 15_000;
/** Any lock key: it serializes syncs of the same video across processes. */
const SYNC_LOCK_NAMESPACE = 727_008;

export type SyncOutcome = 'created' | 'updated' | 'deleted' | 'unchanged';

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

/** Where a channel's video objects point: its Group, its followers, the owner's Person. */
export function videoObjectUrls(fed: FederationServices, base: string, handle: string): VideoObjectUrls {
  const ctx = fed.context();
  const identifier = channelIdentifier(handle);
  return {
    base,
    channelActor: ctx.getActorUri(identifier).href,
    channelFollowers: ctx.getFollowersUri(identifier).href,
    ownerActor: ctx.getActorUri(OWNER_IDENTIFIER).href,
  };
}

/** The instance actor's URI and its followers collection. */
export function instanceActorUrls(fed: FederationServices): { actor: string; followers: string } {
  const ctx = fed.context();
  return { actor: ctx.getActorUri(INSTANCE_IDENTIFIER).href, followers: ctx.getFollowersUri(INSTANCE_IDENTIFIER).href };
}

async function channelHandle(db: Queryable, channelId: string): Promise<string | undefined> {
  return (await findChannelById(db, channelId))?.handle;
}

/** Who signs a delivery: the channel's Group (default), the site owner's Person, the instance's Application, or an account's Person (its comments). */
export type DeliverySigner = 'channel' | 'owner' | 'instance' | `person:${string}`;

/**
 * Queues the activity for each inbox, in the caller's transaction; a repeated call queues nothing new.
 * `channelId` is the channel the activity is about (its refusals are shown on its pages); `as` says whose
 * key signs it: the channel's, or the owner's for what PeerTube accepts only from an account (Follow, Delete).
 */
export async function deliverTo(
  deps: AppDeps,
  tx: Queryable,
  channelId: string | null,
  inboxes: string[],
  activity: Record<string, unknown>,
  options: { as?: DeliverySigner; /** Makes a repeated call send again (e.g. a time): part of the dedupe key. */ again?: string; /** Not before (a throttled send, such as a Move). */ runAt?: Date } = {},
): Promise<number> {
  const id = String(activity.id);
  const as = options.as ?? 'channel';
  for (const inbox of inboxes) {
    await enqueue(
      tx,
      { type: DELIVER_JOB, payload: { channelId, inbox, activity, as }, runAt: options.runAt, maxAttempts: DELIVERY_ATTEMPTS, dedupeKey: `fed-deliver:${sha(`${id} ${inbox} ${options.again ?? ''}`)}` },
      deps.clock,
    );
  }
  return inboxes.length;
}

/** What followers should be told now, given what they were told last. */
function decide(video: VideoWithChannel | undefined, state: q.VideoStateRow | undefined, now: Date): SyncOutcome {
  const listed = !!video && isListed(video, now);
  if (listed && (!state || state.state === 'deleted')) return 'created';
  if (listed && state && state.version.getTime() !== video!.updated_at.getTime()) return 'updated';
  if (!listed && state?.state === 'published') return 'deleted';
  return 'unchanged';
}

/**
 * Tells the followers of a video's channel what changed since they were last told: Create when it became
 * listed to the public (ready, public, publish time passed), Update when a listed video changed, Delete
 * (a Tombstone) when it was deleted or stopped being public. Members-only, unlisted and draft videos are
 * never sent. The decision, the new state and the delivery jobs commit together under a per-video lock,
 * so running it twice, or in two processes at once, sends each change once. A video scheduled for later
 * gets a sync job at its publish time.
 */
export async function syncVideo(deps: AppDeps, fed: FederationServices, videoId: string): Promise<SyncOutcome> {
  const base = deps.config.publicUrl;
  // Read before the transaction: the comments source queries through its own handle (one connection on PGlite).
  const known = await findVideoById(deps.db, videoId);
  const commentsClosed = known ? (await fed.comments()?.policy(known.channel_id)) === 'closed' : false;
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SYNC_LOCK_NAMESPACE, videoId]);
    const video = await findVideoById(tx, videoId);
    const state = await q.lockVideoState(tx, videoId);
    const now = deps.clock.now();
    const outcome = decide(video, state, now);
    if (video && video.status === 'ready' && video.visibility === 'public' && video.publish_at && video.publish_at > now) {
      await enqueue(tx, { type: VIDEO_SYNC_JOB, payload: { videoId }, runAt: video.publish_at, dedupeKey: `fed-video-sync:${videoId}:${video.publish_at.toISOString()}` }, deps.clock);
    }
    if (outcome === 'unchanged') return outcome;
    if (outcome === 'deleted') {
      const handle = video?.channel_handle ?? (await channelHandle(tx, state!.channel_id));
      if (!handle) return 'unchanged';
      const urls = videoObjectUrls(fed, base, handle);
      const objectUri = videoObjectUri(base, state!.short_id);
      // One Delete per published version: its id (and so its delivery jobs) is unique to that version.
      const activity = videoActivity('Delete', `${objectUri}#delete-${state!.version.getTime()}`, urls, videoTombstone(objectUri, now), now);
      // Everyone who got the video hears of its removal, followers or not any more.
      const inboxes = [...new Set([...(await q.videoAudienceInboxes(tx, state!.channel_id)), ...(await q.videoRecipients(tx, videoId))])];
      await deliverTo(deps, tx, state!.channel_id, inboxes, activity, { as: 'owner' });
      await q.saveVideoState(tx, { videoId, channelId: state!.channel_id, shortId: state!.short_id, state: 'deleted', version: state!.version, at: now });
      return outcome;
    }
    const v = video!;
    const urls = videoObjectUrls(fed, base, v.channel_handle);
    const object = buildVideoObject(v, await listCaptions(tx, v.id), urls, { commentsClosed });
    const kind = outcome === 'created' ? 'Create' : 'Update';
    const activityId = `${object.id as string}#${kind.toLowerCase()}-${v.updated_at.getTime()}`;
    const inboxes = await q.videoAudienceInboxes(tx, v.channel_id);
    await deliverTo(deps, tx, v.channel_id, inboxes, videoActivity(kind, activityId, urls, object, now));
    // Servers following the whole site also get the instance actor's Announce of a new video, as from
    // PeerTube's server actor (federate.ts shares each new video by the server actor after its Create).
    if (outcome === 'created') {
      const announce = instanceAnnounce(object.id as string, instanceActorUrls(fed), now, [urls.channelFollowers]);
      await deliverTo(deps, tx, v.channel_id, await q.instanceAudienceInboxes(tx), announce, { as: 'instance', again: String(v.updated_at.getTime()) });
    }
    await q.saveVideoState(tx, { videoId, channelId: v.channel_id, shortId: v.short_id, state: 'published', version: v.updated_at, at: now });
    await q.addVideoRecipients(tx, videoId, inboxes);
    return outcome;
  });
}

const syncPayload = z.object({ videoId: z.uuid() });

/** The `federation.video-sync` job. */
export function videoSyncHandler(deps: AppDeps, fed: FederationServices): JobHandler {
  return async ({ job }) => {
    const payload = syncPayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid payload for federation.video-sync');
    return { outcome: await syncVideo(deps, fed, payload.data.videoId) };
  };
}

/**
 * Asks for a sync of one video (call after it was published, edited, deleted or its transcoding finished).
 * Pass the caller's transaction as `q` to commit the request with the change.
 */
export async function requestVideoSync(deps: AppDeps, videoId: string, db: Queryable = deps.db): Promise<void> {
  await enqueue(db, { type: VIDEO_SYNC_JOB, payload: { videoId } }, deps.clock);
}

const deliverPayload = z.object({
  // null for what the instance actor sends (about no channel).
  channelId: z.uuid().nullable(),
  inbox: z.url().max(2000),
  activity: z.record(z.string(), z.unknown()),
  as: z.union([z.enum(['channel', 'owner', 'instance']), z.templateLiteral(['person:', z.uuid()])]).default('channel'),
});

/**
 * The `federation.deliver` job: POSTs one activity to one inbox, signed (HTTP Signatures, RSA) by the
 * channel or the owner (`as`), with Fanfare's User-Agent, through the address guard (remote-fetch.ts), within a time limit, so a dead server costs one attempt's timeout and then waits its backoff.
 * A 4xx answer (other than 408 and 429) is final; anything else is retried.
 */
export function deliverHandler(deps: AppDeps, fed: FederationServices): JobHandler {
  return async ({ job }) => {
    const payload = deliverPayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid payload for federation.deliver');
    const { channelId, inbox, activity, as } = payload.data;
    let identifier = as === 'owner' ? OWNER_IDENTIFIER : INSTANCE_IDENTIFIER;
    if (as !== 'instance') {
      const handle = channelId ? await channelHandle(deps.db, channelId) : undefined;
      if (!handle) throw new PermanentJobError('the channel no longer exists');
      if (as === 'channel') identifier = channelIdentifier(handle);
      else if (as.startsWith('person:')) identifier = personIdentifier(as.slice('person:'.length));
    }
    const keys = await fed.context().getActorKeyPairs(identifier);
    const rsa = keys.find((k) => k.privateKey.algorithm.name === 'RSASSA-PKCS1-v1_5');
    if (!rsa) throw new PermanentJobError('the channel has no RSA key');
    const { response } = await limitedFetch(
      inbox,
      { method: 'POST', headers: { 'content-type': 'application/activity+json', accept: 'application/activity+json' }, body: JSON.stringify(activity) },
      { ...fed.limits, timeoutMs: DELIVERY_TIMEOUT_MS, maxBytes: 64 * 1024 },
      (request) => signRequest(request, rsa.privateKey, rsa.keyId),
    );
    if (response.ok) return { status: response.status };
    const message = `${inbox} answered HTTP ${response.status}`;
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new PermanentJobError(message);
    throw new Error(message);
  };
}
