import { deleteCookie, getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import type { CookiePolicy } from '../core/http/cookies.js';
import { userForSession } from './service.js';

/** Puts the signed-in user (or null) on the context. Sessions live in the database, so they survive restarts. */
export function sessionMiddleware(deps: AppDeps, cookies: CookiePolicy) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('user', null);
    c.set('sessionTokenHash', null);
    const token = getCookie(c, cookies.session);
    if (token) {
      const found = await userForSession(deps, token);
      if (found) {
        c.set('user', found.user);
        c.set('sessionTokenHash', found.tokenHash);
      } else {
        deleteCookie(c, cookies.session, cookies.options());
      }
    }
    await next();
  });
}
