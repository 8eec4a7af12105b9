import type { AppDeps } from '../core/deps.js';
import { isUniqueViolation, type Queryable } from '../core/db/index.js';
import type { CurrentUser } from '../core/http/context.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/http/errors.js';
import type { Locale } from '../core/i18n/index.js';
import type { AvatarCheck } from './avatar.js';
import * as q from './queries.js';

export type { ChannelRow, ChannelRole, TeamMemberRow } from './queries.js';
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

/** Gives an existing account a role on the channel. */
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
