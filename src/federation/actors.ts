import type { Federation } from '@fedify/fedify';
import { Application, Endpoints, Group, Image, Person, type Recipient } from '@fedify/vocab';
import { AVATAR_TYPES, findChannelByHandle, type ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { actorKeyPairs, type KeyOwner } from './keys.js';
import { actorMoveFields } from './move-queries.js';
import * as q from './queries.js';

/** Fedify's identifier of the site owner's Person actor (URL `/ap/a/owner`). */
export const OWNER_IDENTIFIER = 'a/owner';

/**
 * The site's instance actor (issue 10 D15), an Application named as PeerTube names its server actor: PeerTube
 * follows a whole instance by host (job-queue/handlers/activitypub-follow.ts) through the Application link
 * of the host's `/.well-known/nodeinfo` (FEP-2677, current PeerTube; served by routes.ts), else by asking
 * WebFinger for `acct:peertube@{host}` (SERVER_ACTOR_NAME in server/core/initializers/constants.ts;
 * getRemoteNameAndHost in lib/activitypub/follow.ts), then sends that actor a Follow. It Announces each new
 * video to those servers as PeerTube's server actor does (outbox.ts). URL `/ap/a/peertube`.
 */
export const INSTANCE_USERNAME = 'peertube';
export const INSTANCE_IDENTIFIER = `a/${INSTANCE_USERNAME}`;

/** A Fedify route template. `{+identifier}` (reserved expansion) lets an identifier hold a slash (`c/camille`), which Fedify's types do not foresee. */
export type IdentifierPath = `${string}{identifier}${string}`;
export const identifierPath = (template: string) => template as IdentifierPath;

/** Where actors live: `/ap/c/{handle}` for channels, `/ap/a/owner` for the site owner. */
export const ACTOR_PATH = identifierPath('/ap/{+identifier}');

/** Fedify's identifier of a channel's Group actor (URL `/ap/c/{handle}`). */
export function channelIdentifier(handle: string): string {
  return `c/${handle}`;
}

/** The channel handle in an identifier, or undefined when it names no channel. */
export function handleOfIdentifier(identifier: string): string | undefined {
  return /^c\/([a-z0-9_]{2,30})$/.exec(identifier)?.[1];
}

/**
 * Fedify's identifier of an account's Person actor (URL `/ap/a/u-{account id}`): the author of the comments
 * that account writes here, once they reach the fediverse (comment-notes.ts). Any account has one; its id
 * is only ever published in its comments.
 */
export function personIdentifier(userId: string): string {
  return `a/u-${userId}`;
}

const PERSON = /^a\/u-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A local actor an identifier names, with the owner of its keys. */
export type LocalActor = { kind: 'owner'; name: string } | { kind: 'instance'; name: string } | { kind: 'channel'; channel: ChannelRow } | { kind: 'person'; userId: string; name: string };

/** Finds the local actor an identifier names, or undefined (unknown channel, malformed identifier). */
export async function findLocalActor(db: Queryable, identifier: string): Promise<LocalActor | undefined> {
  if (identifier === OWNER_IDENTIFIER) {
    const rows = await db.query<{ display_name: string }>("SELECT display_name FROM users WHERE site_role = 'owner'");
    return rows[0] ? { kind: 'owner', name: rows[0].display_name } : undefined;
  }
  if (identifier === INSTANCE_IDENTIFIER) {
    const rows = await db.query<{ name: string }>('SELECT name FROM site LIMIT 1');
    return rows[0] ? { kind: 'instance', name: rows[0].name } : undefined;
  }
  const person = PERSON.exec(identifier)?.[1];
  if (person) {
    const rows = await db.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [person]);
    return rows[0] ? { kind: 'person', userId: person, name: rows[0].display_name } : undefined;
  }
  const handle = handleOfIdentifier(identifier);
  const channel = handle ? await findChannelByHandle(db, handle) : undefined;
  return channel ? { kind: 'channel', channel } : undefined;
}

export function keyOwnerOf(actor: LocalActor): KeyOwner {
  if (actor.kind === 'person') return { kind: 'user', userId: actor.userId };
  return actor.kind === 'channel' ? { kind: 'channel', channelId: actor.channel.id } : { kind: actor.kind };
}

/**
 * What Fedify's compaction cannot express and PeerTube or other software needs on a channel's Group,
 * applied to the actor document as served:
 * - `attributedTo` always an array: PeerTube 6's setValidAttributedTo (activitypub/misc.ts) turns a
 *   non-array into `[]` (later versions arrayify it), and sanitizeAndCheckActorObject (activitypub/actor.ts) refuses a Group whose
 *   `attributedTo` is empty — then answers 403 to everything the channel signs (D1);
 * - `summary` as the plain text/Markdown the creator wrote (PeerTube stores it as the channel's
 *   description and shows it as Markdown; HTML would show its tags), with `source` in Markdown (D13);
 * - FEP-0ea0 payment links (`attachment`, `rel: "payment"`): the channel's membership page.
 */
export function completeChannelActor(actor: Record<string, unknown>, channel: ChannelRow, urls: { base: string; owner: string }): Record<string, unknown> {
  const attributed = actor.attributedTo;
  const list = Array.isArray(attributed) ? attributed : attributed ? [attributed] : [];
  const existing = Array.isArray(actor.attachment) ? actor.attachment : actor.attachment ? [actor.attachment] : [];
  return {
    ...actor,
    attributedTo: list.length > 0 ? list : [urls.owner],
    ...(channel.description ? { summary: channel.description, source: { content: channel.description, mediaType: 'text/markdown' } } : {}),
    attachment: [...existing, ...paymentLinks(urls.base, channel.handle)],
  };
}

/** FEP-0ea0 payment links of a channel (on its Group and its videos). */
export function paymentLinks(base: string, handle: string): Record<string, unknown>[] {
  return [{ type: 'Link', name: 'Membership', href: `${base}/c/${handle}/membership`, rel: 'payment', mediaType: 'text/html' }];
}

function avatarImage(base: string, avatarKey: string | null): Image | null {
  if (!avatarKey?.startsWith('avatars/')) return null;
  const ext = avatarKey.slice(avatarKey.lastIndexOf('.') + 1);
  return new Image({ url: new URL(`${base}/media/avatars/${avatarKey.slice('avatars/'.length)}`), mediaType: AVATAR_TYPES[ext] ?? null });
}

/**
 * Registers the actors with Fedify: each channel is a `Group` (what PeerTube makes of a channel), the site
 * owner a `Person`, both with an RSA key (HTTP Signatures) and an Ed25519 key (proofs) generated once.
 * WebFinger maps `acct:{handle}@{host}` to channels; the followers collection lists a channel's followers.
 */
export function registerActors(federation: Federation<void>, deps: AppDeps): void {
  const base = deps.config.publicUrl;
  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier);
      if (!actor) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        inbox: ctx.getInboxUri(identifier),
        outbox: new URL(`${base}/ap/${identifier}/outbox`),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((k) => k.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
      };
      if (actor.kind === 'owner') {
        return new Person({ ...common, preferredUsername: 'owner', name: actor.name, url: new URL(`${base}/`) });
      }
      // PeerTube's own server actor is an Application (actor.ts isActorTypeValid accepts it).
      if (actor.kind === 'instance') {
        return new Application({ ...common, preferredUsername: INSTANCE_USERNAME, name: actor.name, url: new URL(`${base}/`) });
      }
      if (actor.kind === 'person') {
        return new Person({ ...common, preferredUsername: identifier.slice('a/'.length), name: actor.name, url: new URL(`${base}/`) });
      }
      const ch = actor.channel;
      return new Group({
        ...common,
        preferredUsername: ch.handle,
        name: ch.name,
        summary: ch.description || null,
        icon: avatarImage(base, ch.avatar_key),
        url: new URL(`${base}/c/${ch.handle}`),
        attribution: ctx.getActorUri(OWNER_IDENTIFIER),
        // `alsoKnownAs` and `movedTo` of a channel that came from, or moved to, another site (move.ts).
        ...(await actorMoveFields(deps.db, ch.id)),
      });
    })
    // WebFinger resolves every actor (D12): channels by handle, and the owner's Person as `owner` unless a
    // channel has that handle.
    .mapHandle(async (_ctx, username) => {
      const handle = username.toLowerCase();
      // A commenter's Person (`u-{account id}`): Mastodon checks an author's handle by WebFinger.
      if (PERSON.test(`a/${handle}`)) return (await findLocalActor(deps.db, `a/${handle}`)) ? `a/${handle}` : null;
      if (!/^[a-z0-9_]{2,30}$/.test(handle)) return null;
      if (await findChannelByHandle(deps.db, handle)) return channelIdentifier(handle);
      if (handle === INSTANCE_USERNAME) return (await findLocalActor(deps.db, INSTANCE_IDENTIFIER)) ? INSTANCE_IDENTIFIER : null;
      return handle === 'owner' && (await findLocalActor(deps.db, OWNER_IDENTIFIER)) ? OWNER_IDENTIFIER : null;
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier);
      return actor ? actorKeyPairs(deps.db, keyOwnerOf(actor)) : [];
    });

  federation
    .setFollowersDispatcher(identifierPath('/ap/{+identifier}/followers'), async (_ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier);
      if (!actor) return null;
      if (actor.kind === 'owner' || actor.kind === 'person') return { items: [] };
      const rows = actor.kind === 'instance' ? await q.listInstanceFollowers(deps.db) : await q.listFollowers(deps.db, actor.channel.id);
      const items: Recipient[] = rows.map((r) => ({
        id: new URL(r.actor_uri),
        inboxId: new URL(r.inbox_uri),
        endpoints: r.shared_inbox_uri ? { sharedInbox: new URL(r.shared_inbox_uri) } : null,
      }));
      return { items };
    })
    .setCounter(async (_ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier);
      if (actor?.kind === 'instance') return (await q.listInstanceFollowers(deps.db)).length;
      return actor?.kind === 'channel' ? q.countFollowers(deps.db, actor.channel.id) : 0;
    });

  // The outbox (a paged list of the channel's Create activities) is served by routes.ts: Fedify 2's
  // outbox route cannot hold an identifier with a slash.
}
