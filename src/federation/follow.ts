import { randomUUID } from 'node:crypto';
import { isActor, type Actor } from '@fedify/vocab';
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { BadRequestError, NotFoundError, ValidationError } from '../core/http/errors.js';
import type { JobHandler } from '../core/jobs/index.js';
import { channelIdentifier, OWNER_IDENTIFIER } from './actors.js';
import type { FederationServices } from './federation.js';
import { deliverTo } from './outbox.js';
import * as q from './queries.js';
import { lookUpRemoteObject } from './remote-fetch.js';

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/** A remote actor as given in the Studio: its URL, or `@user@host` (looked up by WebFinger, over https). */
export function parseFollowTarget(input: string): string | undefined {
  const text = input.trim();
  if (/^https?:\/\/[^\s]+$/i.test(text) && text.length <= 2000) return text;
  const handle = /^@?([^@\s/]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/i.exec(text);
  return handle ? `@${handle[1]}@${handle[2]}` : undefined;
}

/**
 * Looks a remote actor up through Fanfare's own guard (never Fedify's lookupObject: its WebFinger step
 * fetches on its own). A refused address, an unreachable server or a non-actor is a 400.
 */
export async function lookUpActor(fed: FederationServices, identifier: string, target: string): Promise<Actor> {
  const documentLoader = await fed.context().getDocumentLoader({ identifier });
  const found = await lookUpRemoteObject(target, { limits: fed.limits, documentLoader }).catch((cause: unknown) => {
    throw new BadRequestError('error.bad_request', { cause });
  });
  if (!isActor(found) || !found.id || !found.inboxId) throw new BadRequestError('error.bad_request');
  return found;
}

/** The Follow a local channel's follow is sent as: from the owner's Person (PeerTube takes follows from accounts, not channels). */
function followActivity(id: string, owner: string, object: string): Record<string, unknown> {
  return { '@context': AS_CONTEXT, id, type: 'Follow', actor: owner, object };
}

/**
 * Makes a local channel follow a remote actor (a PeerTube channel, a Mastodon account, another Fanfare
 * channel): looks the actor up, records the follow as pending, and queues the Follow — sent by the site
 * owner's Person (PeerTube's process-follow.ts reads the follower's Account, which PeerTube gives to Person,
 * Application, Service and Organization actors only: a Group follower makes it throw and never answer).
 * The follow becomes accepted when the actor's Accept
 * arrives. Following again re-sends the same Follow.
 */
export async function followRemoteActor(deps: AppDeps, fed: FederationServices, channel: ChannelRow, input: string): Promise<q.FollowingRow> {
  const target = parseFollowTarget(input);
  if (!target) throw new ValidationError({ uri: 'error.bad_request' });
  const actor = await lookUpActor(fed, OWNER_IDENTIFIER, target);
  const ctx = fed.context();
  const me = ctx.getActorUri(channelIdentifier(channel.handle));
  const owner = ctx.getActorUri(OWNER_IDENTIFIER);
  if (actor.id!.href === me.href || actor.id!.href === owner.href) throw new ValidationError({ uri: 'error.bad_request' });
  const existing = await q.findFollowing(deps.db, channel.id, actor.id!.href);
  const followId = existing?.follow_activity_uri ?? `${owner.href}#follows/${randomUUID()}`;
  return deps.db.transaction(async (tx) => {
    const row = await q.upsertFollowing(tx, {
      channelId: channel.id,
      actorUri: actor.id!.href,
      inboxUri: actor.inboxId!.href,
      sharedInboxUri: actor.endpoints?.sharedInbox?.href ?? null,
      followActivityUri: followId,
    });
    // Following again really re-sends: the request time is part of the delivery's dedupe key.
    const activity = followActivity(followId, owner.href, actor.id!.href);
    await deliverTo(deps, tx, channel.id, [actor.inboxId!.href], activity, { as: 'owner', again: deps.clock.now().toISOString() });
    return row;
  });
}

/** Stops following: sends Undo(Follow) to the actor (unless another local channel still follows it) and forgets the follow. */
export async function unfollowRemoteActor(deps: AppDeps, fed: FederationServices, channel: ChannelRow, actorUri: string): Promise<void> {
  const row = await q.findFollowing(deps.db, channel.id, actorUri);
  if (!row) throw new NotFoundError();
  const owner = fed.context().getActorUri(OWNER_IDENTIFIER).href;
  await deps.db.transaction(async (tx) => {
    await q.deleteFollowing(tx, { channelId: channel.id, actorUri });
    if (await q.isFollowedLocally(tx, actorUri)) return;
    const undo = {
      '@context': AS_CONTEXT,
      id: `${owner}#undo/${randomUUID()}`,
      type: 'Undo',
      actor: owner,
      object: followActivity(row.follow_activity_uri, owner, row.actor_uri),
    };
    await deliverTo(deps, tx, channel.id, [row.inbox_uri], undo, { as: 'owner' });
  });
}

/** Re-sends the Follow of follows still pending after this long (a lost delivery, a server that was down). */
export const RESEND_PENDING_FOLLOW_AFTER_MS = 6 * 3600_000;
export const RESEND_FOLLOWS_JOB = 'federation.resend-pending-follows';

/**
 * The recurring job that re-sends, once per period, the Follow of every follow pending for longer than
 * {@link RESEND_PENDING_FOLLOW_AFTER_MS}: PeerTube tries a delivery once, so a lost Accept leaves a follow
 * pending forever; a repeated Follow makes it answer again.
 */
export function resendPendingFollowsHandler(deps: AppDeps, fed: FederationServices): JobHandler {
  return async () => {
    const now = deps.clock.now();
    const owner = fed.context().getActorUri(OWNER_IDENTIFIER).href;
    const rows = await q.pendingFollowingBefore(deps.db, new Date(now.getTime() - RESEND_PENDING_FOLLOW_AFTER_MS));
    const period = Math.floor(now.getTime() / RESEND_PENDING_FOLLOW_AFTER_MS);
    for (const row of rows) {
      const activity = followActivity(row.follow_activity_uri, owner, row.actor_uri);
      await deliverTo(deps, deps.db, row.channel_id, [row.inbox_uri], activity, { as: 'owner', again: `resend-${period}` });
    }
    return { resent: rows.length };
  };
}
