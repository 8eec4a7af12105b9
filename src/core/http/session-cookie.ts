import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { CookiePolicy } from './cookies.js';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, lasting as long as the session. */
export function setSessionCookie(c: Context, cookies: CookiePolicy, token: string, ttlDays: number): void {
  setCookie(c, cookies.session, token, cookies.options(ttlDays * 86_400));
}

export function clearSessionCookie(c: Context, cookies: CookiePolicy): void {
  deleteCookie(c, cookies.session, cookies.options());
}
