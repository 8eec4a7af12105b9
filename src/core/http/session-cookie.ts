import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { CookiePolicy } from './cookies.js';
import { rotateCsrfNonce } from './csrf.js';

/**
 * Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, lasting as long as the session.
 * A new session also gets a new CSRF nonce: no token from before the login works after it.
 */
export function setSessionCookie(c: Context, cookies: CookiePolicy, token: string, ttlDays: number): void {
  setCookie(c, cookies.session, token, cookies.options(ttlDays * 86_400));
  rotateCsrfNonce(c, cookies);
}

/** Ends the session in the browser, and rotates the CSRF nonce like a login does. */
export function clearSessionCookie(c: Context, cookies: CookiePolicy): void {
  deleteCookie(c, cookies.session, cookies.options());
  rotateCsrfNonce(c, cookies);
}
