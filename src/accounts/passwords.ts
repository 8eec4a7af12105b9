import argon2 from 'argon2';

/** argon2id with the library's defaults (OWASP-recommended memory and time costs). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. When the account has no hash we still verify against a dummy one, so the
 * answer takes as long whether or not the address has an account.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password-just-for-timing');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

/**
 * The hashing the sign-up uses, as one object so tests can count its calls: sign-up hashes a given
 * password whether or not the address has an account, so the work (and the time) tells nothing.
 */
export const passwordHashing = { hash: hashPassword };
