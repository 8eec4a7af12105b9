/**
 * Following a channel, the three ways into one list: a local account (one click), an e-mail address
 * alone (double opt-in: explicit consent, then a confirm link), or a fediverse account (remote follow,
 * sent to the fan's own instance; the follower then lives in federation's list).
 */
import { contactsOf } from '../accounts/index.js';
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { ForbiddenError } from '../core/http/errors.js';
import { isAccountBlocked, isEmailBlocked } from './blocks.js';
import type { CurrentUser } from '../core/http/context.js';
import { hitRateLimit } from '../core/http/rate-limit.js';
import type { Locale } from '../core/i18n/index.js';
import * as fq from './follower-queries.js';
import { confirmFollowMail } from './mail.js';
import { isSuppressed } from './suppressions.js';
import { signLink } from './tokens.js';

/** Follow attempts per client address and per e-mail address in a quarter of an hour. */
const FOLLOW_LIMIT = { perClient: 20, perAddress: 3, windowSeconds: 900 };

/** A signed-in fan follows the channel; publishes `follower.added` when they were not following. */
export async function followAsAccount(deps: AppDeps, channel: ChannelRow, user: CurrentUser, locale: Locale): Promise<void> {
  if (await isAccountBlocked(deps.db, channel.id, user)) throw new ForbiddenError('community.blocked');
  await deps.db.transaction(async (tx) => {
    const { row, added } = await fq.upsertAccountFollower(tx, { channelId: channel.id, userId: user.id, language: user.language ?? locale, now: deps.clock.now() });
    if (added) await deps.events.publish(tx, 'follower.added', { channelId: channel.id, follower: row.id, kind: 'account' });
  });
}

/** A signed-in fan stops following. */
export async function unfollowAsAccount(deps: AppDeps, channel: ChannelRow, user: CurrentUser): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await fq.findAccountFollower(tx, channel.id, user.id);
    if (row && (await fq.unsubscribeFollower(tx, row.id, deps.clock.now()))) {
      await deps.events.publish(tx, 'follower.removed', { channelId: channel.id, follower: row.id, kind: 'account' });
    }
  });
}

/**
 * Records an address that asked to follow (with its consent) and sends the confirm e-mail. Whatever the
 * address's state, the answer is the same ("check your inbox"), so the form tells nobody who follows.
 */
export async function followByEmail(deps: AppDeps, channel: ChannelRow, input: { email: string; language: Locale; client: string }): Promise<void> {
  const now = deps.clock.now();
  await hitRateLimit(deps.db, { bucket: `follow:ip:${input.client}`, limit: FOLLOW_LIMIT.perClient, windowSeconds: FOLLOW_LIMIT.windowSeconds, now });
  await hitRateLimit(deps.db, { bucket: `follow:email:${input.email}`, limit: FOLLOW_LIMIT.perAddress, windowSeconds: FOLLOW_LIMIT.windowSeconds, now });
  // A blocked address is answered like any other (so the form tells nobody who is blocked), and not recorded.
  if (await isEmailBlocked(deps.db, channel.id, input.email)) return;
  const row = await fq.upsertEmailFollower(deps.db, { channelId: channel.id, email: input.email, language: input.language, now });
  // An address that bounced or complained gets no e-mail, not even this one (the answer stays the same).
  if (row.status !== 'unconfirmed' || (await isSuppressed(deps.db, input.email))) return;
  const confirmUrl = `${deps.config.publicUrl}/follow/confirm/${signLink(deps.signingSecret, { purpose: 'confirm', followerId: row.id })}`;
  await deps.mailer.send(confirmFollowMail({ to: input.email, language: row.language, channelName: channel.name, confirmUrl }));
}

/** Follows the confirm link; true when it confirmed now (false: already confirmed, or left since). */
export async function confirmEmailFollower(deps: AppDeps, followerId: string): Promise<fq.FollowerRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const row = await fq.findFollower(tx, followerId);
    if (!row) return undefined;
    if (await fq.confirmFollower(tx, row.id, deps.clock.now())) {
      await deps.events.publish(tx, 'follower.added', { channelId: row.channel_id, follower: row.id, kind: 'email' });
    }
    return fq.findFollower(tx, followerId);
  });
}

/** Stops every e-mail to a follower (the link in each e-mail, RFC 8058's one-click POST). Idempotent. */
export async function unsubscribeFollowerById(deps: AppDeps, followerId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await fq.findFollower(tx, followerId);
    if (row && (await fq.unsubscribeFollower(tx, row.id, deps.clock.now()))) {
      await deps.events.publish(tx, 'follower.removed', { channelId: row.channel_id, follower: row.id, kind: row.kind });
    }
  });
}

/** A member who does not follow stops members' e-mails: recorded as an account follow that was left. */
export async function unsubscribeMember(deps: AppDeps, channelId: string, userId: string): Promise<void> {
  const now = deps.clock.now();
  if ((await contactsOf(deps.db, [userId])).length === 0) return; // the account is gone: nothing is sent to it anyway
  await deps.db.transaction(async (tx) => {
    const { row } = await fq.upsertAccountFollower(tx, { channelId, userId, language: 'en', now });
    await fq.unsubscribeFollower(tx, row.id, now);
  });
}
