import type { Queryable } from '../core/db/index.js';
import type { Locale } from '../core/i18n/index.js';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  site_role: 'owner' | 'member';
  language: Locale | null;
  email_verified_at: Date | null;
}

const USER_COLUMNS = 'id, email, display_name, password_hash, site_role, language, email_verified_at';

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0];
}

/** The id of the account with this address, if any (for a channel's block by address: never shown to anyone). */
export async function accountIdOfEmail(db: Queryable, email: string): Promise<string | undefined> {
  return (await db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email.toLowerCase()]))[0]?.id;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function insertUser(
  db: Queryable,
  user: { email: string; displayName: string; passwordHash: string | null; siteRole: 'owner' | 'member'; language: Locale | null; verifiedAt: Date | null },
): Promise<UserRow> {
  const rows = await db.query<UserRow>(
    `INSERT INTO users (email, display_name, password_hash, site_role, language, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
    [user.email, user.displayName, user.passwordHash, user.siteRole, user.language, user.verifiedAt],
  );
  return rows[0]!;
}

export async function markEmailVerified(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.query('UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $1', [userId, at]);
}

export async function updateProfile(db: Queryable, userId: string, displayName: string, language: Locale): Promise<void> {
  await db.query('UPDATE users SET display_name = $2, language = $3 WHERE id = $1', [userId, displayName, language]);
}

export async function updateLanguage(db: Queryable, userId: string, language: Locale): Promise<void> {
  await db.query('UPDATE users SET language = $2 WHERE id = $1', [userId, language]);
}

export async function updatePasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

export async function insertSession(db: Queryable, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt]);
}

/** The user behind a live session, or undefined when the session is unknown or expired. */
export async function findSessionUser(db: Queryable, tokenHash: string, now: Date): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Ends every other session of a user (after a password change). */
export async function deleteOtherSessions(db: Queryable, userId: string, keepTokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [userId, keepTokenHash]);
}

export interface MagicLinkRow {
  email: string;
  display_name: string | null;
  password_hash: string | null;
  language: Locale | null;
}

export async function insertMagicLink(
  db: Queryable,
  link: { tokenHash: string; email: string; displayName: string | null; passwordHash: string | null; language: Locale | null; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO magic_links (token_hash, email, display_name, password_hash, language, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [link.tokenHash, link.email, link.displayName, link.passwordHash, link.language, link.expiresAt],
  );
}

/**
 * Marks a link used and returns it, in one statement: a link works once, even when clicked twice at
 * once. Links to the same address sent before it stop working too: once a newer link was used, an
 * older one lying in the mailbox opens nothing.
 */
export async function consumeMagicLink(db: Queryable, tokenHash: string, now: Date): Promise<MagicLinkRow | undefined> {
  const rows = await db.query<MagicLinkRow & { created_at: Date }>(
    `UPDATE magic_links SET used_at = $2
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
      RETURNING email, display_name, password_hash, language, created_at`,
    [tokenHash, now],
  );
  const link = rows[0];
  if (!link) return undefined;
  await db.query('UPDATE magic_links SET used_at = $3 WHERE email = $1 AND used_at IS NULL AND created_at <= $2', [link.email, link.created_at, now]);
  const { created_at: _created, ...row } = link;
  return row;
}

/** Removes expired sessions and links. */
export async function pruneExpired(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  await db.query('DELETE FROM magic_links WHERE expires_at <= $1', [new Date(now.getTime() - 86_400_000)]);
}

/** How to reach an account: its address, name and language (other capabilities write to their fans with it). */
export interface UserContact {
  id: string;
  email: string;
  display_name: string;
  language: Locale | null;
}

/** The contacts of the given accounts (unknown ids are left out). */
export async function contactsOf(db: Queryable, userIds: readonly string[]): Promise<UserContact[]> {
  if (userIds.length === 0) return [];
  return db.query<UserContact>('SELECT id, email, display_name, language FROM users WHERE id = ANY($1::uuid[])', [userIds]);
}
