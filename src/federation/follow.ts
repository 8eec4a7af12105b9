import { randomUUID } from 'node:crypto';
import { Follow, isActor, Undo, type Actor } from '@fedify/fedify';
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { BadRequestError, NotFoundError, ValidationError } from '../core/http/errors.js';
import { channelIdentifier } from './actors.js';
import type { FederationServices } from './federation.js';
import * as q from './queries.js';

/** A remote actor as given in the Studio: its URL, or `@user@host` (looked up by WebFinger, over https). */
export function parseFollowTarget(input: string): string | undefined {
  const text = input.trim();
  if (/^https?:\/\/[^\s]+$/i.test(text) && text.length <= 2000) return text;
  const handle = /^@?([^@\s/]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/i.exec(text);
  return handle ? `@${handle[1]}@${handle[2]}` : undefined;
}

async function lookUpActor(fed: FederationServices, identifier: string, target: string): Promise<Actor> {
  const ctx = fed.context();
  const documentLoader = await ctx.getDocumentLoader({ identifier });
  const found = await ctx.lookupObject(target, { documentLoader, contextLoader: documentLoader }).catch((cause: unknown) => {
    throw new BadRequestError('error.bad_request', { cause });
  });
  if (!isActor(found) || !found.id || !found.inboxId) throw new BadRequestError('error.bad_request');
  return found;
}

/**
 * Makes a local channel follow a remote actor (a PeerTube channel, a Mastodon account, another Fanfare
 * channel): looks the actor up, records the follow as pending, and sends a Follow through the queue. The
 * follow becomes accepted when the actor's Accept arrives. Following again re-sends the same Follow.
 */
export async function followRemoteActor(deps: AppDeps, fed: FederationServices, channel: ChannelRow, input: string): Promise<q.FollowingRow> {
  const target = parseFollowTarget(input);
  if (!target) throw new ValidationError({ uri: 'error.bad_request' });
  const identifier = channelIdentifier(channel.handle);
  const actor = await lookUpActor(fed, identifier, target);
  const ctx = fed.context();
  const me = ctx.getActorUri(identifier);
  if (actor.id!.href === me.href) throw new ValidationError({ uri: 'error.bad_request' });
  const existing = await q.findFollowing(deps.db, channel.id, actor.id!.href);
  const followId = existing?.follow_activity_uri ?? `${me.href}#follows/${randomUUID()}`;
  const row = await q.upsertFollowing(deps.db, {
    channelId: channel.id,
    actorUri: actor.id!.href,
    inboxUri: actor.inboxId!.href,
    sharedInboxUri: actor.endpoints?.sharedInbox?.href ?? null,
    followActivityUri: followId,
  });
  await ctx.sendActivity({ identifier }, actor, new Follow({ id: new URL(followId), actor: me, object: actor.id }));
  return row;
}

/** Stops following: sends Undo(Follow) to the actor and forgets the follow. */
export async function unfollowRemoteActor(deps: AppDeps, fed: FederationServices, channel: ChannelRow, actorUri: string): Promise<void> {
  const row = await q.findFollowing(deps.db, channel.id, actorUri);
  if (!row) throw new NotFoundError();
  const identifier = channelIdentifier(channel.handle);
  const ctx = fed.context();
  const me = ctx.getActorUri(identifier);
  const recipient = {
    id: new URL(row.actor_uri),
    inboxId: new URL(row.inbox_uri),
    endpoints: row.shared_inbox_uri ? { sharedInbox: new URL(row.shared_inbox_uri) } : null,
  };
  const follow = new Follow({ id: new URL(row.follow_activity_uri), actor: me, object: recipient.id });
  await ctx.sendActivity({ identifier }, recipient, new Undo({ id: new URL(`${me.href}#undo/${randomUUID()}`), actor: me, object: follow }));
  await q.deleteFollowing(deps.db, { channelId: channel.id, actorUri });
}
