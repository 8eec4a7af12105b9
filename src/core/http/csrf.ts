import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { hmac, randomToken, safeEqual } from '../crypto.js';
import type { AppEnv } from './context.js';
import type { CookiePolicy } from './cookies.js';
import { ForbiddenError } from './errors.js';
import { readForm } from './form.js';
import { setAnswerCookie } from './response-headers.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const NONCE = /^[A-Za-z0-9_-]{32,64}$/;

/**
 * The token of a nonce, bound to the session the browser holds (none for a visitor): a token taken
 * before login, or from another session, is refused once the session changes. Only a session the site
 * recognised counts (`sessionTokenHash`, set by the session middleware): a stale or foreign session
 * cookie — which that middleware deletes in the same answer — makes the browser a visitor, so the form
 * it was shown still works once the cookie is gone.
 */
function tokenFor(c: Context<AppEnv>, options: { secret: string; cookies: CookiePolicy }, nonce: string): string {
  return hmac(options.secret, `csrf:${nonce}:${c.get('sessionTokenHash') ?? ''}`);
}

/**
 * Gives the browser a new nonce: called whenever its session starts or ends (login, logout), so every
 * token issued before is void, whatever else changed.
 */
export function rotateCsrfNonce(c: Context, cookies: CookiePolicy): void {
  setCookie(c, cookies.csrf, randomToken(), cookies.options(NONCE_MAX_AGE_SECONDS));
}

const NONCE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

/** The nonce the browser holds, or a new one (`fresh`) when it holds none that is usable. */
function heldOrNewNonce(c: Context, cookies: CookiePolicy): { nonce: string; fresh: boolean } {
  const held = getCookie(c, cookies.csrf);
  return held && NONCE.test(held) ? { nonce: held, fresh: false } : { nonce: randomToken(), fresh: true };
}

/** Sends a new nonce with the answer already made (see `setAnswerCookie`). */
function giveNonce(c: Context, cookies: CookiePolicy, nonce: string): void {
  setAnswerCookie(c, cookies.csrf, nonce, cookies.options(NONCE_MAX_AGE_SECONDS));
}

/**
 * CSRF protection on every state-changing request: a random nonce in an HttpOnly cookie (set with the first
 * HTML page, never on assets or API answers), and a token
 * that is its HMAC under the site secret together with the session, sent back as the `_csrf` form field
 * or the `X-CSRF-Token` header. A cookie planted by a sibling domain is useless without the secret; a
 * token is worth nothing in another session, and login and logout rotate the nonce. A cross-site Origin
 * is refused outright.
 */
export function csrfProtection(options: { secret: string; cookies: CookiePolicy; publicUrl: string }) {
  const siteOrigin = new URL(options.publicUrl).origin;
  return createMiddleware<AppEnv>(async (c, next) => {
    const { nonce, fresh } = heldOrNewNonce(c, options.cookies);
    const expected = tokenFor(c, options, nonce);
    c.set('csrfToken', expected);
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin && origin !== 'null' && origin !== siteOrigin && origin !== new URL(c.req.url).origin) {
        throw new ForbiddenError('error.csrf', 'csrf_failed');
      }
      if (fresh) throw new ForbiddenError('error.csrf', 'csrf_failed');
      let provided = c.req.header('x-csrf-token');
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      const isForm = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
      if (!provided && isForm) {
        const field = (await readForm(c))['_csrf'];
        provided = typeof field === 'string' ? field : undefined;
      }
      if (!provided || !safeEqual(provided, expected)) throw new ForbiddenError('error.csrf', 'csrf_failed');
    }
    await next();
    // The nonce cookie goes only with a page (every page carries a form: at least the language switch);
    // scripts, styles, JSON and redirects stay free of Set-Cookie, so caches and CDNs may keep them.
    if (fresh && rendersPage(c.res)) giveNonce(c, options.cookies, nonce);
  });
}

/**
 * A visitor's token (no session: the page cache only answers those) and, when the browser holds no usable
 * nonce, the new one to set with the page: what `csrfProtection` does for a GET, for the page cache's
 * answers served before the route's middleware runs.
 */
export function visitorCsrf(c: Context<AppEnv>, options: { secret: string; cookies: CookiePolicy }): { token: string; set?: () => void } {
  const { nonce, fresh } = heldOrNewNonce(c, options.cookies);
  return { token: tokenFor(c, options, nonce), set: fresh ? () => giveNonce(c, options.cookies, nonce) : undefined };
}

function rendersPage(res: Response): boolean {
  return (res.headers.get('content-type') ?? '').startsWith('text/html');
}

/**
 * The token for the nonce the browser already holds, without issuing one: for pages rendered outside a
 * CSRF-checked area (the not-found page), so their forms (log out, language) still work.
 */
export function existingCsrfToken(c: Context<AppEnv>, options: { secret: string; cookies: CookiePolicy }): string {
  const nonce = getCookie(c, options.cookies.csrf);
  return nonce && NONCE.test(nonce) ? tokenFor(c, options, nonce) : '';
}
