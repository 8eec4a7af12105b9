import type { AppDeps } from '../core/deps.js';
import { hashToken, randomToken } from '../core/crypto.js';
import type { Queryable } from '../core/db/index.js';
import type { CurrentUser } from '../core/http/context.js';
import { AppError } from '../core/http/errors.js';
import { hitRateLimit } from '../core/http/rate-limit.js';
import { translator, type Locale } from '../core/i18n/index.js';
import { hashPassword, passwordHashing, verifyPassword } from './passwords.js';
import * as q from './queries.js';

const RATE_WINDOW_SECONDS = 15 * 60;

export function toCurrentUser(row: q.UserRow): CurrentUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    siteRole: row.site_role,
    language: row.language,
    hasPassword: row.password_hash !== null,
  };
}

/** A client address may be a whole household or office behind NAT: it gets this many times the per-address limit. */
const IP_LIMIT_FACTOR = 5;

/** Counts an attempt against both the client address and the e-mail address. */
async function limitAttempts(deps: AppDeps, action: string, ip: string, email: string): Promise<void> {
  const now = deps.clock.now();
  const limit = deps.config.loginRateLimit;
  await hitRateLimit(deps.db, { bucket: `${action}:ip:${ip}`, limit: limit * IP_LIMIT_FACTOR, windowSeconds: RATE_WINDOW_SECONDS, now });
  await hitRateLimit(deps.db, { bucket: `${action}:email:${email}`, limit, windowSeconds: RATE_WINDOW_SECONDS, now });
}

/** Starts a session for `userId`; returns the bearer token for the cookie (only its hash is stored). */
export async function createSessionFor(deps: AppDeps, db: Queryable, userId: string): Promise<string> {
  const token = randomToken();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.config.sessionTtlDays * 86_400_000);
  await q.insertSession(db, hashToken(token), userId, expiresAt);
  return token;
}

export interface MagicLinkRequest {
  email: string;
  /** Present on sign-up: the name and optional password the account is created with. */
  displayName?: string;
  password?: string;
  language: Locale;
  ip: string;
}

/**
 * E-mails a one-time link that logs in, creating the account on first use. The answer, and the work
 * done for it, are the same whether or not the address has an account, so neither the page nor the
 * time it takes tells who is a member: a password given at sign-up is hashed (argon2) either way, and
 * only kept for a new account; the owner of an existing address is e-mailed a login link instead,
 * saying someone tried to sign up with it.
 */
export async function requestMagicLink(deps: AppDeps, request: MagicLinkRequest): Promise<void> {
  await limitAttempts(deps, 'magic-link', request.ip, request.email);
  const token = randomToken();
  const existing = await q.findUserByEmail(deps.db, request.email);
  const hashed = request.password ? await passwordHashing.hash(request.password) : null;
  const language = existing?.language ?? request.language;
  await q.insertMagicLink(deps.db, {
    tokenHash: hashToken(token),
    email: request.email,
    displayName: existing ? null : (request.displayName ?? defaultDisplayName(request.email)),
    passwordHash: existing ? null : hashed,
    language,
    expiresAt: new Date(deps.clock.now().getTime() + deps.config.magicLinkTtlMinutes * 60_000),
  });
  const t = translator(language);
  const link = `${deps.config.publicUrl}/auth/magic?token=${token}`;
  const signupOfExisting = existing && request.displayName !== undefined;
  await deps.mailer.send({
    to: request.email,
    subject: t(existing ? 'mail.magic.subject_login' : 'mail.magic.subject_signup', { site: await siteName(deps) }),
    text: t(signupOfExisting ? 'mail.magic.body_existing' : 'mail.magic.body', { link, minutes: deps.config.magicLinkTtlMinutes }),
  });
}

async function siteName(deps: AppDeps): Promise<string> {
  const rows = await deps.db.query<{ name: string }>('SELECT name FROM site');
  return rows[0]?.name ?? 'Fanfare';
}

function defaultDisplayName(email: string): string {
  return email.split('@')[0]!.slice(0, 80) || email.slice(0, 80);
}

/**
 * Uses a magic link: marks it spent, creates the account if this address has none, marks the address
 * verified, and opens a session — all in one transaction, so a failure leaves the link usable.
 */
export async function consumeMagicLink(deps: AppDeps, token: string): Promise<{ sessionToken: string; user: CurrentUser }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError(400, 'invalid_link', 'auth.link_invalid');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const link = await q.consumeMagicLink(tx, hashToken(token), now);
    if (!link) throw new AppError(400, 'invalid_link', 'auth.link_invalid');
    let user = await q.findUserByEmail(tx, link.email);
    if (!user) {
      user = await q.insertUser(tx, {
        email: link.email,
        displayName: link.display_name ?? defaultDisplayName(link.email),
        passwordHash: link.password_hash,
        siteRole: 'member',
        language: link.language,
        verifiedAt: now,
      });
    } else {
      await q.markEmailVerified(tx, user.id, now);
    }
    const sessionToken = await createSessionFor(deps, tx, user.id);
    return { sessionToken, user: toCurrentUser(user) };
  });
}

/** Logs in with a password. Unknown address, no password set, unverified address and wrong password all read alike. */
export async function loginWithPassword(
  deps: AppDeps,
  input: { email: string; password: string; ip: string },
): Promise<{ sessionToken: string; user: CurrentUser }> {
  await limitAttempts(deps, 'login', input.ip, input.email);
  const user = await q.findUserByEmail(deps.db, input.email);
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (!user || !ok || !user.email_verified_at) throw new AppError(401, 'bad_credentials', 'auth.bad_credentials');
  const sessionToken = await createSessionFor(deps, deps.db, user.id);
  return { sessionToken, user: toCurrentUser(user) };
}

/** Sets or changes a password; a change needs the current one. Other sessions end. */
export async function changePassword(
  deps: AppDeps,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionHash: string; ip: string },
): Promise<void> {
  const user = await q.findUserById(deps.db, input.userId);
  if (!user) throw new AppError(401, 'login_required', 'error.login_required');
  if (user.password_hash) {
    await hitRateLimit(deps.db, { bucket: `password:user:${user.id}`, limit: deps.config.loginRateLimit, windowSeconds: RATE_WINDOW_SECONDS, now: deps.clock.now() });
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw new AppError(422, 'bad_current_password', 'account.password_current_wrong');
    }
  }
  await q.updatePasswordHash(deps.db, user.id, await hashPassword(input.newPassword));
  await q.deleteOtherSessions(deps.db, user.id, input.keepSessionHash);
}

export async function userForSession(deps: AppDeps, token: string): Promise<{ user: CurrentUser; tokenHash: string } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const tokenHash = hashToken(token);
  const row = await q.findSessionUser(deps.db, tokenHash, deps.clock.now());
  return row ? { user: toCurrentUser(row), tokenHash } : undefined;
}

export const endSession = (deps: AppDeps, tokenHash: string) => q.deleteSession(deps.db, tokenHash);
export const saveProfile = (deps: AppDeps, userId: string, displayName: string, language: Locale) =>
  q.updateProfile(deps.db, userId, displayName, language);
export const saveLanguage = (deps: AppDeps, userId: string, language: Locale) => q.updateLanguage(deps.db, userId, language);
export { hashPassword } from './passwords.js';
export { findUserByEmail, insertUser } from './queries.js';
