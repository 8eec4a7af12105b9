import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './core/deps.js';
import { AREA_POLICIES, areaMiddleware, mountWithChain } from './core/http/areas.js';
import type { AppEnv } from './core/http/context.js';
import type { Area } from './core/module.js';
import { cookiePolicy } from './core/http/cookies.js';
import { csrfProtection, existingCsrfToken, visitorCsrf } from './core/http/csrf.js';
import { createErrorHandler, notFoundHandler } from './core/http/error-handler.js';
import { compression } from './core/http/compression.js';
import { localeMiddleware, requestLocale } from './core/http/locale.js';
import { createPageCache, type PageCache } from './core/http/page-cache.js';
import { pathForLog, urlGuard } from './core/http/url-guard.js';
import type { Site } from './site.js';

/** Largest form body accepted (an avatar upload plus fields). Video uploads stream through tus instead. */
export const MAX_FORM_BYTES = 3 * 1024 * 1024;

/** Paths that work before the site is set up. */
const OPEN_BEFORE_SETUP = /^\/(setup|healthz|assets\/|language$|favicon\.ico$|manifest\.webmanifest$)/;

/**
 * Builds the web application from the site's capability list: core middleware first (log, security
 * headers, each capability's request middleware, language, the address's boundary check, setup gate), then every route group mounted
 * with the guard, CSRF check, body limit and error format its area implies. It imports no capability.
 */
export function createApp(deps: AppDeps, site: Site): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cookies = cookiePolicy(deps.config.publicUrl);
  const csrfOptions = { secret: deps.signingSecret, cookies };
  const onError = createErrorHandler({
    log: deps.log,
    defaultLocale: deps.config.defaultLanguage,
    maxBodyBytes: MAX_FORM_BYTES,
    csrfToken: (c) => existingCsrfToken(c, csrfOptions),
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Path only: query strings can hold tokens (magic links).
    deps.log.info({ method: c.req.method, path: pathForLog(c.req.url), status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('*', compression());
  app.use('*', securityHeaders(deps.config.publicUrl, site.ctx.fill('site.connect-sources').flatMap((sources) => sources())));
  const csrf = csrfProtection({ ...csrfOptions, publicUrl: deps.config.publicUrl });
  const table: MountedRoute[] = [];
  // The page cache exists only for the groups mounted after the site-wide middleware (it needs the visitor's language).
  let pageCache: PageCache | undefined;
  const mount = (m: Site['modules'][number], route: NonNullable<Site['modules'][number]['routes']>[number]) => {
    const chain = areaMiddleware(route, { maxFormBytes: MAX_FORM_BYTES, csrf, pageCache: pageCache?.middleware, studioAccess: site.ctx.studioAccess });
    const sub = route.build(site.ctx);
    mountWithChain(app, route.path, sub, chain);
    const jsonErrors = AREA_POLICIES[route.area].jsonErrors || route.jsonErrors === true;
    for (const r of sub.routes) table.push({ method: r.method, path: joinPath(route.path, r.path), area: route.area, capability: m.name, jsonErrors });
  };
  // Groups that need nothing of the request's user or language answer before that middleware runs.
  for (const m of site.modules) for (const route of m.routes ?? []) if (route.beforeSiteMiddleware) mount(m, route);
  for (const m of site.modules) {
    const middleware = m.middleware?.(site.ctx);
    if (middleware) app.use('*', middleware);
  }
  // After the capabilities' middleware (the address's host, the session, moved channels), before the rest:
  // a page in memory needs neither the language's translator, nor the address check it passed when it was
  // rendered, nor the setup gate, routing or its area's chain.
  const cache = createPageCache({
    db: deps.db,
    cookies,
    ttlSeconds: deps.config.pageCacheSeconds,
    visitor: { locale: (c) => requestLocale(c, cookies, deps.config.defaultLanguage), csrf: (c) => visitorCsrf(c, csrfOptions) },
  });
  app.use('*', cache.front);
  app.use('*', localeMiddleware(cookies, deps.config.defaultLanguage));
  app.use('*', urlGuard());
  app.use('*', setupGate(deps));
  pageCache = cache;
  pageCaches.set(app, pageCache);
  app.use('*', pageCache.invalidateOnWrite);

  for (const m of site.modules) for (const route of m.routes ?? []) if (!route.beforeSiteMiddleware) mount(m, route);
  routeTables.set(app, table);

  app.onError(onError);
  app.notFound(notFoundHandler(onError));
  return app;
}

/** One route of the app, with the area and capability it was mounted from. */
export interface MountedRoute {
  method: string;
  path: string;
  area: Area;
  capability: string;
  /** Its errors are JSON (its area's, or its group's own choice, as upload endpoints): no login redirect. */
  jsonErrors: boolean;
}

const routeTables = new WeakMap<Hono<AppEnv>, readonly MountedRoute[]>();
const pageCaches = new WeakMap<Hono<AppEnv>, PageCache>();

/** The anonymous page cache of an app built by `createApp` (tests and benchmarks read its counters). */
export function pageCacheOf(app: Hono<AppEnv>): PageCache | undefined {
  return pageCaches.get(app);
}

/** The routes `createApp` mounted, in order: for the route-table and bad-input tests, and for reading. */
export function mountedRoutes(app: Hono<AppEnv>): readonly MountedRoute[] {
  return routeTables.get(app) ?? [];
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '/') return path;
  return path === '/' ? prefix : `${prefix.replace(/\/+$/, '')}${path}`;
}

/** CSP and friends, chosen after the route ran: framable areas (embed, media, feeds) may be framed or loaded cross-origin. */
function securityHeaders(publicUrl: string, connectSources: string[]) {
  // The site's own WebSocket origin is named: not every browser counts ws(s):// as 'self'.
  const site = new URL(publicUrl);
  const connectSrc = [...new Set(["'self'", `${site.protocol === 'https:' ? 'wss' : 'ws'}://${site.host}`, ...connectSources])];
  const csp = (frameAncestors: string[]) => ({
    defaultSrc: ["'self'"],
    connectSrc,
    imgSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'", 'blob:'],
    styleSrc: ["'self'"],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    formAction: ["'self'"],
    frameAncestors,
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  });
  const hsts = publicUrl.startsWith('https://') ? 'max-age=31536000; includeSubDomains' : false;
  const pageHeaders = secureHeaders({ contentSecurityPolicy: csp(["'none'"]), strictTransportSecurity: hsts });
  const framableHeaders = secureHeaders({ contentSecurityPolicy: csp(['*']), xFrameOptions: false, strictTransportSecurity: hsts, crossOriginResourcePolicy: false });
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const area = c.var.area;
    const headers = area && AREA_POLICIES[area].framable ? framableHeaders : pageHeaders;
    await headers(c, async () => {});
  });
}

/** How long a process trusts the site row it read (the row is written once, at setup). */
const SITE_ROW_TTL_MS = 10_000;

/**
 * Loads the site row; until the site is set up, every page leads to /setup. Once set up, the row is
 * kept for a few seconds rather than read on every request: every segment of every viewer passes here,
 * and on the embedded engine each query waits its turn on the one connection.
 */
function setupGate(deps: AppDeps) {
  let known: { site: { name: string }; until: number } | undefined;
  return createMiddleware<AppEnv>(async (c, next) => {
    const now = performance.now();
    if (!known || known.until < now) {
      const rows = await deps.db.query<{ name: string }>('SELECT name FROM site');
      known = rows[0] ? { site: rows[0], until: now + SITE_ROW_TTL_MS } : undefined;
    }
    c.set('site', known?.site ?? null);
    const path = new URL(c.req.url).pathname;
    if (!known && !OPEN_BEFORE_SETUP.test(path)) return c.redirect('/setup', 303);
    await next();
  });
}
