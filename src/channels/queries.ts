import type { Queryable } from '../core/db/index.js';
import type { Locale } from '../core/i18n/index.js';

export interface ChannelRow {
  id: string;
  handle: string;
  name: string;
  description: string;
  language: Locale;
  avatar_key: string | null;
  created_at: Date;
}

export type ChannelRole = 'admin' | 'editor';

const COLUMNS = 'id, handle, name, description, language, avatar_key, created_at';

export async function insertChannel(
  db: Queryable,
  channel: { handle: string; name: string; description: string; language: Locale; avatarKey: string | null },
): Promise<ChannelRow> {
  const rows = await db.query<ChannelRow>(
    `INSERT INTO channels (handle, name, description, language, avatar_key)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [channel.handle, channel.name, channel.description, channel.language, channel.avatarKey],
  );
  return rows[0]!;
}

export async function updateChannel(
  db: Queryable,
  id: string,
  fields: { name: string; description: string; language: Locale; avatarKey: string | null },
): Promise<void> {
  await db.query(
    `UPDATE channels SET name = $2, description = $3, language = $4, avatar_key = $5, updated_at = now() WHERE id = $1`,
    [id, fields.name, fields.description, fields.language, fields.avatarKey],
  );
}

export async function findChannelByHandle(db: Queryable, handle: string): Promise<ChannelRow | undefined> {
  // Only what a handle can be (channelFields.handle): anything else, a NUL byte included, names no channel.
  if (!/^[a-z0-9_]{2,30}$/.test(handle)) return undefined;
  const rows = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE handle = $1`, [handle]);
  return rows[0];
}

export async function findChannelById(db: Queryable, id: string): Promise<ChannelRow | undefined> {
  const rows = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  return rows[0];
}

export async function countChannels(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM channels');
  return rows[0]!.n;
}

export async function listChannels(db: Queryable): Promise<ChannelRow[]> {
  return db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels ORDER BY created_at, handle`);
}

/** Channels a user has a role on, with that role. */
export async function listChannelsForUser(db: Queryable, userId: string): Promise<(ChannelRow & { role: ChannelRole })[]> {
  return db.query(
    `SELECT ${COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}, r.role
       FROM channel_roles r JOIN channels c ON c.id = r.channel_id
      WHERE r.user_id = $1 ORDER BY c.created_at, c.handle`,
    [userId],
  );
}

export async function findRole(db: Queryable, channelId: string, userId: string): Promise<ChannelRole | undefined> {
  const rows = await db.query<{ role: ChannelRole }>(
    'SELECT role FROM channel_roles WHERE channel_id = $1 AND user_id = $2',
    [channelId, userId],
  );
  return rows[0]?.role;
}

export async function countRolesForUser(db: Queryable, userId: string): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM channel_roles WHERE user_id = $1', [userId]);
  return rows[0]!.n;
}

export async function upsertRole(db: Queryable, channelId: string, userId: string, role: ChannelRole): Promise<void> {
  await db.query(
    `INSERT INTO channel_roles (channel_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (channel_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [channelId, userId, role],
  );
}

export async function deleteRole(db: Queryable, channelId: string, userId: string): Promise<void> {
  await db.query('DELETE FROM channel_roles WHERE channel_id = $1 AND user_id = $2', [channelId, userId]);
}

export interface TeamMemberRow {
  user_id: string;
  email: string;
  display_name: string;
  role: ChannelRole;
}

export async function listTeam(db: Queryable, channelId: string): Promise<TeamMemberRow[]> {
  return db.query<TeamMemberRow>(
    `SELECT u.id AS user_id, u.email, u.display_name, r.role
       FROM channel_roles r JOIN users u ON u.id = r.user_id
      WHERE r.channel_id = $1 ORDER BY r.role, u.display_name`,
    [channelId],
  );
}

export interface TeamInvitationRow {
  channel_id: string;
  email: string;
  role: ChannelRole;
  created_at: Date;
  expires_at: Date;
}

export async function insertInvitation(db: Queryable, i: { tokenHash: string; channelId: string; email: string; role: ChannelRole; now: Date; expiresAt: Date }): Promise<void> {
  await db.query(
    'INSERT INTO team_invitations (token_hash, channel_id, email, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [i.tokenHash, i.channelId, i.email, i.role, i.now, i.expiresAt],
  );
}

/** A pending, unexpired invitation by its token's hash. */
export async function findInvitation(db: Queryable, tokenHash: string, now: Date): Promise<TeamInvitationRow | undefined> {
  const rows = await db.query<TeamInvitationRow>(
    'SELECT channel_id, email, role, created_at, expires_at FROM team_invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2',
    [tokenHash, now],
  );
  return rows[0];
}

/** Marks an invitation accepted, once; false when it was already (or is no longer valid). */
export async function acceptInvitation(db: Queryable, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db.query('UPDATE team_invitations SET accepted_at = $2 WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2 RETURNING token_hash', [tokenHash, now]);
  return rows.length > 0;
}

/** A channel's pending invitations, newest first, one per address (the latest). */
export async function listInvitations(db: Queryable, channelId: string, now: Date): Promise<TeamInvitationRow[]> {
  return db.query<TeamInvitationRow>(
    `SELECT DISTINCT ON (email) channel_id, email, role, created_at, expires_at FROM team_invitations
      WHERE channel_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY email, created_at DESC LIMIT 200`,
    [channelId, now],
  );
}
