import { hmac, safeEqual } from '../../core/crypto.js';
import { ForbiddenError } from '../../core/http/errors.js';

/**
 * Signed, expiring download addresses: one per fan (unlock), per file, per bundle ZIP, per web seed and
 * per access page. The signature is an HMAC of what the address grants with the site's signing secret,
 * so a fan cannot turn theirs into another file, another fan's or a later expiry; nothing is stored.
 */
export type Grant =
  | { kind: 'file'; fileId: string; unlockId: string }
  | { kind: 'zip'; bundleId: string; unlockId: string }
  | { kind: 'seed'; bundleId: string; access: string; unlockId: string }
  | { kind: 'access'; bundleId: string; unlockId: string };

function subject(grant: Grant): string {
  switch (grant.kind) {
    case 'file':
      return `bundle-file:${grant.fileId}:${grant.unlockId}`;
    case 'zip':
      return `bundle-zip:${grant.bundleId}:${grant.unlockId}`;
    case 'seed':
      return `bundle-seed:${grant.bundleId}:${grant.access}:${grant.unlockId}`;
    case 'access':
      return `bundle-access:${grant.bundleId}:${grant.unlockId}`;
  }
}

/** The signature of `grant` until `expires` (seconds since the epoch). */
export function sign(secret: string, grant: Grant, expires: number): string {
  return hmac(secret, `${subject(grant)}:${expires}`).slice(0, 32);
}

/** Query string `u=…&e=…&s=…` granting `grant` until `expires`. */
export function signedQuery(secret: string, grant: Grant, expires: number): string {
  return `u=${grant.unlockId}&e=${expires}&s=${sign(secret, grant, expires)}`;
}

/**
 * Checks a signature and expiry. A tampered or unknown signature, or one past its time, is a 403 with a
 * message saying which (the fan can get fresh links from their library or access page).
 */
export function verify(secret: string, grant: Grant, expiresInput: string | undefined, signature: string | undefined, now: Date): void {
  const expires = Number(expiresInput);
  if (!signature || !Number.isSafeInteger(expires) || !safeEqual(sign(secret, grant, expires), signature)) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
  if (expires * 1000 < now.getTime()) throw new ForbiddenError('bundle.link_expired', 'link_expired');
}

/** Download links last a week; a web seed inside a torrent, which clients keep using, a year. */
export const LINK_SECONDS = 7 * 24 * 3600;
export const SEED_SECONDS = 365 * 24 * 3600;

/** Expiry (seconds since the epoch) `seconds` from `now`, rounded up to the hour so pages reloaded within the hour give identical links. */
export function expiryFrom(now: Date, seconds: number): number {
  return Math.ceil((now.getTime() / 1000 + seconds) / 3600) * 3600;
}
