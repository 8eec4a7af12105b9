import type { AppDeps } from '../core/deps.js';
import { isUniqueViolation, type Queryable } from '../core/db/index.js';
import type { CurrentUser } from '../core/http/context.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/http/errors.js';
import { hashToken, randomToken } from '../core/crypto.js';
import { isLocale, translator, type Locale } from '../core/i18n/index.js';
import type { AvatarCheck } from './avatar.js';
import * as q from './queries.js';

export type { ChannelRow, ChannelRole, TeamInvitationRow, TeamMemberRow } from './queries.js';
export { countChannels, findChannelByHandle, findChannelById, listChannels, listChannelsForUser, listTeam } from './queries.js';

/** The user's right on a channel: the site owner is admin everywhere. */
export async function roleOnChannel(db: Queryable, user: CurrentUser | null, channelId: string): Promise<q.ChannelRole | undefined> {
  if (!user) return undefined;
  if (user.siteRole === 'owner') return 'admin';
  return q.findRole(db, channelId, user.id);
}

/** The Studio is for the owner and anyone with a role on a channel. */
export async function canUseStudio(db: Queryable, user: CurrentUser | null): Promise<boolean> {
  if (!user) return false;
  if (user.siteRole === 'owner') return true;
  return (await q.countRolesForUser(db, user.id)) > 0;
}

/** Finds a channel the user may administer, or throws 404/403. */
export async function channelForAdmin(db: Queryable, user: CurrentUser | null, handle: string): Promise<q.ChannelRow> {
  const channel = await q.findChannelByHandle(db, handle.toLowerCase());
  if (!channel) throw new NotFoundError('channel.not_found');
  if ((await roleOnChannel(db, user, channel.id)) !== 'admin') throw new ForbiddenError();
  return channel;
}

export interface NewChannel {
  handle: string;
  name: string;
  description: string;
  language: Locale;
  avatar?: Extract<AvatarCheck, { ok: true }>;
}

/**
 * Stores the avatar, then runs `work` (which inserts rows). If `work` fails the avatar file is removed,
 * so a refused form leaves nothing on disk.
 */
export async function withAvatar<T>(deps: AppDeps, avatar: NewChannel['avatar'], work: (avatarKey: string | null) => Promise<T>): Promise<T> {
  if (avatar) await deps.storage.put(avatar.key, avatar.bytes);
  try {
    return await work(avatar?.key ?? null);
  } catch (error) {
    if (avatar) await deps.storage.delete(avatar.key);
    throw error;
  }
}

/** Inserts a channel and makes `adminUserId` its admin. A taken handle is a field error, not a crash. */
export async function insertChannelWithAdmin(db: Queryable, channel: NewChannel, avatarKey: string | null, adminUserId: string): Promise<q.ChannelRow> {
  try {
    const row = await q.insertChannel(db, { ...channel, avatarKey });
    await q.upsertRole(db, row.id, adminUserId, 'admin');
    return row;
  } catch (error) {
    if (isUniqueViolation(error, 'channels_handle_key')) throw new ValidationError({ handle: 'channel.handle_taken' });
    throw error;
  }
}

export function createChannel(deps: AppDeps, channel: NewChannel, adminUserId: string): Promise<q.ChannelRow> {
  return withAvatar(deps, channel.avatar, (avatarKey) =>
    deps.db.transaction((tx) => insertChannelWithAdmin(tx, channel, avatarKey, adminUserId)),
  );
}

/** Saves channel settings; a new avatar replaces the old file only once the row is saved. */
export async function updateChannelSettings(
  deps: AppDeps,
  channel: q.ChannelRow,
  fields: { name: string; description: string; language: Locale; avatar?: NewChannel['avatar'] },
): Promise<void> {
  await withAvatar(deps, fields.avatar, (avatarKey) =>
    q.updateChannel(deps.db, channel.id, { ...fields, avatarKey: avatarKey ?? channel.avatar_key }),
  );
  if (fields.avatar && channel.avatar_key) await deps.storage.delete(channel.avatar_key);
}

/** How long a team invitation can be accepted. */
const INVITATION_TTL_MS = 7 * 86_400_000;

/**
 * Invites an address onto the team: the same e-mail, the same answer and the same pending line on the
 * team page whether or not the address has an account, so the form tells the admin nothing about who
 * is registered. The role is given when the address's owner accepts, signed in with that address.
 */
export async function inviteTeamMember(deps: AppDeps, channel: q.ChannelRow, email: string, role: q.ChannelRole): Promise<void> {
  const token = randomToken();
  const now = deps.clock.now();
  await q.insertInvitation(deps.db, { tokenHash: hashToken(token), channelId: channel.id, email, role, now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) });
  const language = (await deps.db.query<{ language: Locale | null }>('SELECT language FROM users WHERE email = $1', [email]))[0]?.language ?? channel.language;
  const t = translator(isLocale(language) ? language : deps.config.defaultLanguage);
  await deps.mailer.send({
    to: email,
    subject: t('channel.invitation_subject', { channel: channel.name }),
    text: t('channel.invitation_body', { channel: channel.name, role, link: `${deps.config.publicUrl}/team-invitations/${token}`, days: INVITATION_TTL_MS / 86_400_000 }),
  });
}

/** A pending invitation by its token, with its channel; undefined when unknown, used or expired. */
export async function findTeamInvitation(deps: AppDeps, token: string): Promise<{ invitation: q.TeamInvitationRow; channel: q.ChannelRow } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const invitation = await q.findInvitation(deps.db, hashToken(token), deps.clock.now());
  const channel = invitation ? await q.findChannelById(deps.db, invitation.channel_id) : undefined;
  return invitation && channel ? { invitation, channel } : undefined;
}

/** Accepts an invitation for the signed-in user, whose address must be the invited one. */
export async function acceptTeamInvitation(deps: AppDeps, token: string, user: CurrentUser): Promise<q.ChannelRow> {
  const found = await findTeamInvitation(deps, token);
  if (!found) throw new NotFoundError('channel.invitation_invalid');
  if (found.invitation.email !== user.email.toLowerCase()) throw new ForbiddenError('channel.invitation_other_address');
  await deps.db.transaction(async (tx) => {
    if (!(await q.acceptInvitation(tx, hashToken(token), deps.clock.now()))) throw new NotFoundError('channel.invitation_invalid');
    await q.upsertRole(tx, found.channel.id, user.id, found.invitation.role);
  });
  return found.channel;
}

/** The invitations of a channel still waiting for an answer. */
export const listTeamInvitations = (deps: AppDeps, channelId: string) => q.listInvitations(deps.db, channelId, deps.clock.now());

/** Gives an existing account a role on the channel (first-run setup and scripts; the Studio invites). */
export async function addTeamMember(db: Queryable, channelId: string, email: string, role: q.ChannelRole): Promise<void> {
  const rows = await db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  const user = rows[0];
  if (!user) throw new ValidationError({ email: 'channel.team_no_account' });
  await q.upsertRole(db, channelId, user.id, role);
}

/** Removes a role; the last admin of a channel cannot be removed (the owner can still manage it). */
export async function removeTeamMember(db: Queryable, channelId: string, userId: string): Promise<void> {
  const team = await q.listTeam(db, channelId);
  const target = team.find((m) => m.user_id === userId);
  if (!target) throw new NotFoundError();
  if (target.role === 'admin' && team.filter((m) => m.role === 'admin').length === 1) {
    throw new ConflictError('channel.team_last_admin', 'last_admin');
  }
  await q.deleteRole(db, channelId, userId);
}
