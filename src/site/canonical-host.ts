import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../core/http/context.js';

export interface CanonicalHostOptions {
  /** PUBLIC_URL: the address fans use, and the one cookies, CSRF tokens and redirects belong to. */
  publicUrl: string;
  /** Behind a reverse proxy: the browser's address is in X-Forwarded-Host (and Host is the proxy's own). */
  trustProxy: boolean;
}

/**
 * Paths reached by machines that address the server as they were told (load balancers probe by IP,
 * WebFinger and NodeInfo by whatever host they were given), which a redirect would only break.
 */
const EXEMPT = /^\/(healthz$|\.well-known\/)/;

/**
 * One address per site. A browser that reached the site by another one (127.0.0.1 while PUBLIC_URL
 * says localhost, a LAN address, a second domain) is sent to the same path on PUBLIC_URL's host with one
 * 308 before anything else runs: otherwise its cookies live in another jar (magic links log it in
 * elsewhere) and the absolute redirects to PUBLIC_URL (checkouts) are blocked by `form-action 'self'`.
 *
 * Only GET and HEAD are redirected: a form posted on another host fails the CSRF check anyway, and
 * signed deliveries (ActivityPub inboxes, payment webhooks) must never be bounced. Behind a proxy
 * (`trustProxy`), the address is read from X-Forwarded-Host and nothing happens without it, so a proxy
 * that rewrites Host cannot send browsers into a loop.
 *
 * @example
 * app.use('*', canonicalHost({ publicUrl: 'http://localhost:3000', trustProxy: false }));
 * // GET http://127.0.0.1:3000/c/camille?page=2 → 308 Location: http://localhost:3000/c/camille?page=2
 */
export function canonicalHost({ publicUrl, trustProxy }: CanonicalHostOptions): MiddlewareHandler<AppEnv> {
  const canonical = new URL(publicUrl);
  const canonicalHostName = canonical.host.toLowerCase();
  return async function canonicalHostRedirect(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const url = new URL(c.req.url);
    if (EXEMPT.test(url.pathname)) return next();
    const reached = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : c.req.header('host');
    if (!reached || reached.toLowerCase() === canonicalHostName) return next();
    const target = new URL(url.pathname + url.search, canonical);
    return c.redirect(target.toString(), 308);
  };
}
