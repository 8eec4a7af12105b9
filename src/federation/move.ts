/**
 * Moving a channel between sites, the ActivityPub side (Mastodon's and FEP-7628's account migration):
 * - the NEW channel says where it came from: its Group lists the old actor in `alsoKnownAs`;
 * - the OLD channel, once the new one lists it, gets `movedTo` and sends `Move` (actor = object = old,
 *   target = new) to every remote follower's inbox, spread over time;
 * - an incoming `Move` of an actor a local channel follows, or of a remote follower, is checked (the target
 *   must list the origin in `alsoKnownAs`, fetched fresh from the target's own server) and applied as
 *   Mastodon does: the follow moves to the target (Undo Follow old, Follow new); a follower's row moves
 *   to its new actor.
 * The Studio page, the redirects and the e-mails are the `moving` capability's (src/moving).
 */
import { randomUUID } from 'node:crypto';
import type { InboxContext } from '@fedify/fedify';
import { isActor, Object as APObject, type Actor, type Move } from '@fedify/vocab';
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { ValidationError } from '../core/http/errors.js';
import { channelIdentifier, OWNER_IDENTIFIER } from './actors.js';
import type { FederationServices } from './federation.js';
import { lookUpActor, parseFollowTarget } from './follow.js';
import { deliverTo } from './outbox.js';
import { findMove, insertAlias, type MoveRow } from './move-queries.js';
import * as q from './queries.js';

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/** Move deliveries per second: a channel with 10,000 followers' servers tells them over a few minutes. */
export const MOVE_DELIVERIES_PER_SECOND = 20;

// ---- the new site: "this channel came from …" ----

/**
 * Adds an old actor (its URL or `@user@host`, looked up through the address guard) to the channel's
 * `alsoKnownAs`. Returns the actor id recorded. A refused, unreachable or non-actor address is a 400.
 */
export async function addChannelAlias(deps: AppDeps, fed: FederationServices, channel: ChannelRow, input: string): Promise<string> {
  const target = parseFollowTarget(input);
  if (!target) throw new ValidationError({ uri: 'moving.error_not_actor' });
  const actor = await lookUpActor(fed, OWNER_IDENTIFIER, target);
  const uri = actor.id!.href;
  if (uri === fed.context().getActorUri(channelIdentifier(channel.handle)).href) throw new ValidationError({ uri: 'moving.error_self' });
  await insertAlias(deps.db, channel.id, uri, deps.clock.now());
  return uri;
}


// ---- the old site: "move this channel to …" ----

/** The page people are sent to: the actor's `url` when it is on the actor's own server, else its id. */
function pageOf(actor: Actor): string {
  const url = actor.url instanceof URL ? actor.url : (actor.url?.href ?? null);
  return url && url.origin === actor.id!.origin && /^https?:$/.test(url.protocol) ? url.href : actor.id!.href;
}

/**
 * Moves a local channel to a remote actor that lists it in `alsoKnownAs` (checked on a fresh fetch from
 * the target's server; otherwise a 422 saying what to do first): records `movedTo` and queues `Move` to
 * every remote follower's inbox, throttled (MOVE_DELIVERIES_PER_SECOND), in one transaction. `also` runs
 * in that transaction (the moving capability queues its e-mails there). Moving again to the same actor
 * sends nothing new.
 */
export async function moveChannel(
  deps: AppDeps,
  fed: FederationServices,
  channel: ChannelRow,
  input: string,
  also?: (tx: Queryable, move: MoveRow) => Promise<void>,
): Promise<MoveRow> {
  const target = parseFollowTarget(input);
  if (!target) throw new ValidationError({ uri: 'moving.error_not_actor' });
  const actor = await lookUpActor(fed, OWNER_IDENTIFIER, target);
  const me = fed.context().getActorUri(channelIdentifier(channel.handle)).href;
  const newId = actor.id!.href;
  if (newId === me || actor.id!.origin === new URL(me).origin) throw new ValidationError({ uri: 'moving.error_self' });
  if (!actor.aliasIds.some((a) => a.href === me)) throw new ValidationError({ uri: 'moving.error_not_aliased' });
  // The Group as followers know it, to send them an Update with `movedTo` before the Move (as Mastodon does).
  const group = await currentActorDocument(fed, me);
  return deps.db.transaction(async (tx) => {
    const existing = await findMove(tx, channel.id);
    if (existing?.target_actor_uri === newId) return existing;
    const moveId = `${me}#moves/${randomUUID()}`;
    const [row] = await tx.query<MoveRow>(
      `INSERT INTO federation_moves (channel_id, target_actor_uri, target_page_url, move_activity_uri, moved_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel_id) DO UPDATE SET target_actor_uri = EXCLUDED.target_actor_uri, target_page_url = EXCLUDED.target_page_url,
         move_activity_uri = EXCLUDED.move_activity_uri, moved_at = EXCLUDED.moved_at
       RETURNING *`,
      [channel.id, newId, pageOf(actor), moveId, deps.clock.now()],
    );
    const activity = { '@context': AS_CONTEXT, id: moveId, type: 'Move', actor: me, object: me, target: newId, to: [`${me}/followers`] };
    const inboxes = await q.followerInboxes(tx, channel.id);
    const start = deps.clock.now().getTime();
    // Each batch: the Update (the actor now shows `movedTo`), then, a second later, the Move.
    const update = group ? updateWithMovedTo(group, me, newId, moveId) : undefined;
    for (let i = 0; i < inboxes.length; i += MOVE_DELIVERIES_PER_SECOND) {
      const batch = inboxes.slice(i, i + MOVE_DELIVERIES_PER_SECOND);
      const runAt = new Date(start + (i / MOVE_DELIVERIES_PER_SECOND) * 1000);
      if (update) await deliverTo(deps, tx, channel.id, batch, update, { runAt });
      await deliverTo(deps, tx, channel.id, batch, activity, { runAt: update ? new Date(runAt.getTime() + 1000) : runAt });
    }
    await also?.(tx, row!);
    return row!;
  });
}


/** The actor document this site serves for `actorUri` (through Fedify, as a follower would fetch it). */
async function currentActorDocument(fed: FederationServices, actorUri: string): Promise<Record<string, unknown> | undefined> {
  const res = await fed.federation.fetch(new Request(actorUri, { headers: { accept: 'application/activity+json' } }), { contextData: undefined });
  if (!res.ok) return undefined;
  const doc = (await res.json()) as Record<string, unknown>;
  return doc && typeof doc === 'object' && doc.id === actorUri ? doc : undefined;
}

/** `Update` of the actor with `movedTo` set (the term defined in the context, as Mastodon's is). */
function updateWithMovedTo(group: Record<string, unknown>, me: string, newId: string, moveId: string): Record<string, unknown> {
  const { '@context': context, ...object } = group;
  const contexts = Array.isArray(context) ? context : context === undefined ? [] : [context];
  return {
    '@context': [...contexts, { movedTo: { '@id': 'as:movedTo', '@type': '@id' } }],
    id: `${moveId}-update`,
    type: 'Update',
    actor: me,
    to: [`${me}/followers`],
    object: { ...object, movedTo: newId },
  };
}

// ---- incoming Move ----

function followActivity(id: string, owner: string, object: string): Record<string, unknown> {
  return { '@context': AS_CONTEXT, id, type: 'Follow', actor: owner, object };
}

/**
 * An incoming `Move`. Applied only when its object is its actor (the origin), the target is another
 * actor whose own server lists the origin in `alsoKnownAs`, and the origin is followed by a local channel
 * or follows one. Then, as Mastodon does: each local channel following the origin follows the target
 * (pending until its Accept) and the origin gets an Undo(Follow); each follow of a local channel by the
 * origin becomes the target's (`follower.removed` / `follower.added` tell subscribers).
 */
export async function onMove(deps: AppDeps, ctx: InboxContext<void>, move: Move): Promise<void> {
  const origin = move.actorId!;
  const targetId = move.targetId;
  if (move.objectId?.href !== origin.href || !targetId || targetId.href === origin.href) return;
  const db = deps.db;
  const following = await db.query<q.FollowingRow>('SELECT channel_id, actor_uri, inbox_uri, shared_inbox_uri, follow_activity_uri, status FROM federation_following WHERE actor_uri = $1', [origin.href]);
  const followers = await db.query<{ channel_id: string }>('SELECT channel_id FROM federation_followers WHERE actor_uri = $1', [origin.href]);
  if (following.length === 0 && followers.length === 0) return;
  // Fetched from its own server, signed as the site owner, never from the cache: the alias may be new.
  const loader = await ctx.getDocumentLoader({ identifier: OWNER_IDENTIFIER });
  // By its id, never as embedded in the Move: an embedded copy could claim any alias.
  const target = await loader(targetId.href)
    .then((doc) => (new URL(doc.documentUrl).origin === targetId.origin ? APObject.fromJsonLd(doc.document, { documentLoader: loader, contextLoader: ctx.contextLoader, baseUrl: new URL(doc.documentUrl) }) : null))
    .catch((error: unknown) => {
      deps.log.info({ err: error, origin: origin.href }, 'federation: the target of a Move could not be fetched');
      return null;
    });
  if (!target || !isActor(target) || target.id?.href !== targetId.href || !target.inboxId) return;
  if (!target.aliasIds.some((a) => a.href === origin.href)) {
    deps.log.info({ origin: origin.href, target: targetId.href }, 'federation: refused a Move whose target does not list its origin in alsoKnownAs');
    return;
  }
  const owner = ctx.getActorUri(OWNER_IDENTIFIER).href;
  await db.transaction(async (tx) => {
    for (const row of following) {
      await q.deleteFollowing(tx, { channelId: row.channel_id, actorUri: origin.href });
      if (!(await q.findFollowing(tx, row.channel_id, targetId.href))) {
        const followId = `${owner}#follows/${randomUUID()}`;
        await q.upsertFollowing(tx, {
          channelId: row.channel_id,
          actorUri: targetId.href,
          inboxUri: target.inboxId!.href,
          sharedInboxUri: target.endpoints?.sharedInbox?.href ?? null,
          followActivityUri: followId,
        });
        await deliverTo(deps, tx, row.channel_id, [target.inboxId!.href], followActivity(followId, owner, targetId.href), { as: 'owner' });
      }
      const undo = { '@context': AS_CONTEXT, id: `${owner}#undo/${randomUUID()}`, type: 'Undo', actor: owner, object: followActivity(row.follow_activity_uri, owner, origin.href) };
      await deliverTo(deps, tx, row.channel_id, [row.inbox_uri], undo, { as: 'owner' });
    }
    for (const { channel_id: channelId } of followers) {
      await q.deleteFollower(tx, origin.href, { channelId });
      await deps.events.publish(tx, 'follower.removed', { channelId, follower: origin.href, kind: 'remote' });
      const added = await q.upsertFollower(tx, {
        channelId,
        actorUri: targetId.href,
        inboxUri: target.inboxId!.href,
        sharedInboxUri: target.endpoints?.sharedInbox?.href ?? null,
        followActivityUri: null,
      });
      if (added) await deps.events.publish(tx, 'follower.added', { channelId, follower: targetId.href, kind: 'remote' });
    }
  });
}
