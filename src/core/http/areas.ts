import type { Context, Hono, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Area, RouteMount } from '../module.js';
import type { AppContext, AppEnv } from './context.js';
import { ForbiddenError, PayloadTooLargeError, UnauthorizedError } from './errors.js';

/** What an area implies; the one table from which guards, CSRF, framing and error format follow. */
export interface AreaPolicy {
  /** Unsafe requests must carry the CSRF token (areas called by other servers sign their requests instead). */
  csrf: boolean;
  /** Who may enter: anyone, a signed-in user, or the Studio's people. */
  guard: 'none' | 'user' | 'studio';
  /** Other sites may frame or load the responses (embed player, media, feeds). */
  framable: boolean;
  /** Errors are answered as `{error:{code,message}}` rather than a page. */
  jsonErrors: boolean;
  /** What anonymous visitors see here may be served from the page cache (core/http/page-cache.ts). */
  pageCache: boolean;
}

export const AREA_POLICIES: Readonly<Record<Area, AreaPolicy>> = {
  public: { csrf: true, guard: 'none', framable: false, jsonErrors: false, pageCache: true },
  account: { csrf: true, guard: 'user', framable: false, jsonErrors: false, pageCache: false },
  studio: { csrf: true, guard: 'studio', framable: false, jsonErrors: false, pageCache: false },
  api: { csrf: true, guard: 'none', framable: false, jsonErrors: true, pageCache: false },
  federation: { csrf: false, guard: 'none', framable: false, jsonErrors: true, pageCache: false },
  webhook: { csrf: false, guard: 'none', framable: false, jsonErrors: true, pageCache: false },
  feed: { csrf: false, guard: 'none', framable: true, jsonErrors: false, pageCache: false },
  embed: { csrf: true, guard: 'none', framable: true, jsonErrors: false, pageCache: true },
  media: { csrf: false, guard: 'none', framable: true, jsonErrors: false, pageCache: false },
};

export interface AreaMiddlewareOptions {
  maxFormBytes: number;
  csrf: MiddlewareHandler<AppEnv>;
  /** Serves anonymous pages from memory (areas whose policy allows it). */
  pageCache?: MiddlewareHandler<AppEnv>;
  studioAccess(c: AppContext): Promise<boolean>;
}

/** The middleware chain a route group runs before its handlers, derived from its area. */
export function areaMiddleware(mount: RouteMount, options: AreaMiddlewareOptions): MiddlewareHandler<AppEnv>[] {
  const policy = AREA_POLICIES[mount.area];
  const chain: MiddlewareHandler<AppEnv>[] = [
    async (c, next) => {
      c.set('area', mount.area);
      c.set('jsonErrors', policy.jsonErrors || mount.jsonErrors === true);
      if (!policy.csrf) c.set('csrfToken', '');
      await next();
    },
  ];
  if (!mount.streamsBody) {
    chain.push(
      bodyLimit({
        maxSize: options.maxFormBytes,
        onError: () => {
          throw new PayloadTooLargeError(options.maxFormBytes);
        },
      }),
    );
  }
  if (policy.csrf) chain.push(options.csrf);
  if (policy.pageCache && options.pageCache) chain.push(options.pageCache);
  if (policy.guard !== 'none') {
    chain.push(async (c, next) => {
      if (!c.var.user) throw new UnauthorizedError();
      if (policy.guard === 'studio' && !(await options.studioAccess(c))) throw new ForbiddenError('studio.forbidden');
      await next();
    });
  }
  return chain;
}

/**
 * Mounts `sub` at `path` with `chain` run before each of its handlers, once per request. Unlike
 * `sub.use('*', …)` (which Hono flattens into a site-wide `path/*` middleware, running for other groups'
 * routes under the same prefix), the chain runs only for the routes `sub` itself declares.
 */
export function mountWithChain(app: Hono<AppEnv>, path: string, sub: Hono<AppEnv>, chain: MiddlewareHandler<AppEnv>[]): void {
  const entered = new WeakSet<Context>();
  const prefix = path === '/' ? '' : path.replace(/\/+$/, '');
  for (const route of sub.routes) {
    const handler = route.handler as (c: Context<AppEnv>, next: Next) => Promise<Response | void> | Response | void;
    const wrapped = async (c: Context<AppEnv>, next: Next): Promise<Response | void> => {
      if (entered.has(c)) return handler(c, next);
      entered.add(c);
      const dispatch = async (i: number): Promise<Response | void> => {
        if (i === chain.length) return handler(c, next);
        let out: Response | void = undefined;
        const early = await chain[i]!(c, async () => {
          out = await dispatch(i + 1);
          // As Hono's own compose: set once. Setting c.res again re-wraps the answer (new Response(body, res)),
          // which turns a buffer body into a stream copied chunk by chunk, once per middleware of the chain.
          if (out instanceof Response && !c.finalized) c.res = out;
        });
        // What the chain left in c.res: a middleware may have replaced the answer after its handler ran.
        return early instanceof Response ? early : out === undefined ? out : c.res;
      };
      return dispatch(0);
    };
    const full = `${prefix}${route.path === '/' && prefix ? '' : route.path}`;
    app.on(route.method, full || '/', wrapped);
  }
}
