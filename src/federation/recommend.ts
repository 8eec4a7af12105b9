import { createHash } from 'node:crypto';
import { isActor } from '@fedify/vocab';
import { z } from 'zod';
import { findChannelById } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import type { RecommendationHooks, RecommendationRow } from './recommendations/index.js';
import { channelIdentifier } from './actors.js';
import { federationServices, type FederationServices } from './federation.js';
import { deliverTo } from './outbox.js';
import { lookUpRemoteObject, RemoteFetchError } from './remote-fetch.js';
import * as q from './queries.js';
import { AS_PUBLIC } from './video-object.js';

/** Finds the inbox of the actor a recommended video is attributed to, and queues the delivery to it. */
export const DELIVER_TO_ACTOR_JOB = 'federation.deliver-to-actor';

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';
const LOOKUP_ATTEMPTS = 8;

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

async function channelHandle(deps: AppDeps, channelId: string): Promise<string | undefined> {
  return (await findChannelById(deps.db, channelId))?.handle;
}

/**
 * The channel's `Announce` of a recommended ActivityPub object: public, to the channel's followers and
 * the object's actor. Its id is fixed by the recommendation row, so the Undo can name it.
 */
export function recommendationAnnounce(
  urls: { channelActor: string; channelFollowers: string },
  row: Pick<RecommendationRow, 'id' | 'object_id' | 'object_actor' | 'created_at'>,
): Record<string, unknown> {
  return {
    id: `${urls.channelActor}#recommendations/${row.id}`,
    type: 'Announce',
    actor: urls.channelActor,
    published: row.created_at.toISOString(),
    to: [AS_PUBLIC],
    cc: [urls.channelFollowers, ...(row.object_actor ? [row.object_actor] : [])],
    object: row.object_id,
  };
}

/**
 * Queues one activity of a channel about a recommendation: a `federation.deliver` job per follower inbox
 * (committed together), and a `federation.deliver-to-actor` job that finds the recommended creator's inbox.
 */
async function send(deps: AppDeps, fed: FederationServices, channelId: string, row: RecommendationRow, kind: 'Announce' | 'Undo'): Promise<void> {
  if (row.source !== 'activitypub' || !row.object_id) return;
  const handle = await channelHandle(deps, channelId);
  if (!handle) return;
  const ctx = fed.context();
  const identifier = channelIdentifier(handle);
  const urls = { channelActor: ctx.getActorUri(identifier).href, channelFollowers: ctx.getFollowersUri(identifier).href };
  const announce = recommendationAnnounce(urls, row);
  const activity =
    kind === 'Announce'
      ? { '@context': AS_CONTEXT, ...announce }
      : {
          '@context': AS_CONTEXT,
          id: `${String(announce.id)}/undo`,
          type: 'Undo',
          actor: urls.channelActor,
          published: deps.clock.now().toISOString(),
          to: announce.to,
          cc: announce.cc,
          object: announce,
        };
  await deps.db.transaction(async (tx) => {
    await deliverTo(deps, tx, channelId, await q.followerInboxes(tx, channelId), activity);
    if (row.object_actor && row.object_actor !== urls.channelActor) {
      await enqueue(
        tx,
        {
          type: DELIVER_TO_ACTOR_JOB,
          payload: { channelId, actor: row.object_actor, activity },
          maxAttempts: LOOKUP_ATTEMPTS,
          dedupeKey: `fed-deliver-actor:${sha(`${String(activity.id)} ${row.object_actor}`)}`,
        },
        deps.clock,
      );
    }
  });
}

/**
 * The recommendation hooks federation plugs into `AppServices.recommendations`: a recommendation read
 * from ActivityPub is announced (and its removal undone) to the channel's followers and to the creator
 * of the recommended video. Only jobs are queued here; the creator's page does not wait for any server.
 */
export function recommendationFederationHooks(deps: AppDeps, fed: () => FederationServices = () => federationServices(deps)): RecommendationHooks {
  return {
    onRecommendationAdded: (channelId, row) => send(deps, fed(), channelId, row, 'Announce'),
    onRecommendationRemoved: (channelId, row) => send(deps, fed(), channelId, row, 'Undo'),
  };
}

const payloadSchema = z.object({
  channelId: z.uuid(),
  actor: z.url().max(2048),
  activity: z.record(z.string(), z.unknown()),
  /** Whose key signs the delivery (reply decisions are the owner's; a comment's Create to a mentioned actor, its author's Person). */
  as: z.union([z.enum(['channel', 'owner']), z.string().regex(/^person:[0-9a-f-]{36}$/).transform((v) => v as `person:${string}`)]).default('channel'),
});

/**
 * The `federation.deliver-to-actor` job: looks the actor up (as the channel, through the federation's
 * loaders: public addresses only unless allowed) and queues a `federation.deliver` to its shared inbox,
 * else its inbox. A failed lookup is retried; an answer that is not an actor is final.
 */
export function deliverToActorHandler(deps: AppDeps, fed: FederationServices): JobHandler {
  return async ({ job }) => {
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid payload for federation.deliver-to-actor');
    const { channelId, actor, activity, as } = payload.data;
    const handle = await channelHandle(deps, channelId);
    if (!handle) throw new PermanentJobError('the channel no longer exists');
    const documentLoader = await fed.context().getDocumentLoader({ identifier: channelIdentifier(handle) });
    // Through Fanfare's guard: the actor comes from a remote object and may name any address.
    const found = await lookUpRemoteObject(actor, { limits: fed.limits, documentLoader }).catch((error: unknown) => {
      if (error instanceof RemoteFetchError && error.reason === 'private_address') throw new PermanentJobError(`${actor}: ${error.message}`);
      throw error;
    });
    if (!isActor(found) || !found.id || !found.inboxId) throw new PermanentJobError(`${actor} is not an actor with an inbox`);
    if (found.id.href !== actor) throw new PermanentJobError(`${actor} answered as another actor`);
    const inbox = (found.endpoints?.sharedInbox ?? found.inboxId).href;
    await deliverTo(deps, deps.db, channelId, [inbox], activity, { as });
    return { inbox };
  };
}
