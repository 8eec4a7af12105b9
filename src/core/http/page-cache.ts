import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Queryable } from '../db/index.js';
import type { EventBus } from '../events/index.js';
import type { JobHandler, JobHandlers } from '../jobs/index.js';
import type { Area } from '../module.js';
import type { AppEnv } from './context.js';
import type { CookiePolicy } from './cookies.js';

/** How often a process asks the database whether another process wrote (one tiny query at most that often). */
const POLL_MS = 1000;
const MAX_ENTRIES = 1000;
/** Pages larger than this are rendered each time (a long comment thread is rare and changes often). */
const MAX_ENTRY_CHARS = 512 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A kept page's bytes with the visitor's token between its parts. */
function withToken(parts: readonly Buffer<ArrayBuffer>[], token: string): Buffer<ArrayBuffer> {
  if (parts.length === 1) return parts[0]!;
  const between = Buffer.from(token);
  const chunks: Buffer<ArrayBuffer>[] = [];
  for (const [index, part] of parts.entries()) {
    if (index > 0) chunks.push(between);
    chunks.push(part);
  }
  return Buffer.concat(chunks);
}

/** Takes the next generation: every process drops its cached pages within a second. Runs in `q`'s transaction. */
export async function bumpPageGeneration(q: Queryable): Promise<void> {
  await q.query("SELECT nextval('page_cache_generation')");
}

interface Entry {
  /**
   * The HTML cut where the CSRF token goes (the only part of an anonymous page that differs per visitor),
   * encoded once: written as a string, the page was encoded to UTF-8 again for every visitor, a quarter of
   * the server's CPU in a profile of bench:pages (a page with one character beyond Latin-1 is a two-byte
   * string in V8, and every write transcodes it).
   */
  parts: Buffer<ArrayBuffer>[];
  status: number;
  headers: [string, string][];
  generation: number;
  until: number;
  /** The area of the route that rendered it: a hit served before routing answers with its headers (framing). */
  area: Area | undefined;
}

export interface PageCache {
  /** Serves an anonymous visitor's GET from memory, or renders it once and keeps it (public and embed areas). */
  middleware: MiddlewareHandler<AppEnv>;
  /**
   * Serves a page already in memory before routing and the route's middleware (language, address check,
   * setup gate, area chain, CSRF): what a hit costs is then little more than the HTTP server's own work.
   * A miss goes on to `middleware`, which renders and keeps the page.
   */
  front: MiddlewareHandler<AppEnv>;
  /** After a successful unsafe request: this process forgets at once, the others at their next poll. */
  invalidateOnWrite: MiddlewareHandler<AppEnv>;
  /** Drops every page of this process now. */
  clear(): void;
  /** `hits` counts every page served from memory; `earlyHits` those of them served by `front`. */
  stats(): { hits: number; earlyHits: number; misses: number; entries: number };
}

/**
 * The memory cache of what anonymous visitors see, per URL and language (the response says
 * `Vary: Accept-Language, Cookie`). Only a visitor with no session and no other cookie than the CSRF nonce
 * and the language choice is served from it; the page is rendered with a marker where the CSRF token goes,
 * and each visitor gets their own token spliced in. What invalidates it: every unsafe request that did not
 * fail, every domain event published and every job that finished (each takes the next value of the
 * `page_cache_generation` sequence, which every process polls at most once a second), and the TTL as a
 * backstop for writes made outside the site (a CLI command on the database). A hit takes no database
 * connection.
 */
export function createPageCache(options: {
  db: Queryable;
  cookies: CookiePolicy;
  ttlSeconds: number;
  now?: () => number;
  /** What `front` needs to answer before the site's middleware: the request's language and the visitor's CSRF token. */
  visitor?: { locale(c: Context<AppEnv>): string; csrf(c: Context<AppEnv>): { token: string; set?: () => void } };
}): PageCache {
  const now = options.now ?? (() => performance.now());
  const ttlMs = options.ttlSeconds * 1000;
  const marker = `csrf-${randomBytes(18).toString('base64url')}`;
  const allowedCookies = new Set([options.cookies.csrf, options.cookies.language]);
  const entries = new Map<string, Entry>();
  /**
   * The renders under way, per key. When a page expires or the generation moves, the 64 visitors asking
   * for it at that moment would each render it (64 renders queued on one event loop and one database
   * connection: the p99 of bench:pages was those stampedes); the first renders, the others wait for it.
   */
  const rendering = new Map<string, Promise<Entry | undefined>>();
  let generation = 0;
  let seen: string | undefined;
  let polledAt = -Infinity;
  let polling: Promise<void> | undefined;
  let hits = 0;
  let earlyHits = 0;
  let misses = 0;

  const clear = () => {
    generation++;
    entries.clear();
  };

  const poll = (force = false): Promise<void> => {
    if (!force && now() - polledAt < POLL_MS) return Promise.resolve();
    polling ??= (async () => {
      try {
        const rows = await options.db.query<{ last_value: string | number; is_called: boolean }>('SELECT last_value, is_called FROM page_cache_generation');
        const value = rows[0] ? `${rows[0].last_value}:${rows[0].is_called}` : '';
        if (seen !== undefined && value !== seen) clear();
        seen = value;
        polledAt = now();
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  };

  const anonymous = (cookieHeader: string | undefined): boolean => {
    if (!cookieHeader) return true;
    for (const pair of cookieHeader.split(';')) {
      const name = pair.split('=', 1)[0]!.trim();
      if (name && !allowedCookies.has(name)) return false;
    }
    return true;
  };

  /** A GET of a visitor with no session and no cookie but the nonce and the language, while the cache is on. */
  const anonymousGet = (c: Context<AppEnv>) => ttlMs !== 0 && c.req.method === 'GET' && !c.var.user && anonymous(c.req.header('cookie'));
  const current = (entry: Entry | undefined): entry is Entry => entry !== undefined && entry.generation === generation && entry.until > now();
  /** Answers with a kept page and the visitor's token. */
  const answer = (c: Context<AppEnv>, entry: Entry, token: string) => {
    hits++;
    c.res = new Response(withToken(entry.parts, token), { status: entry.status, headers: entry.headers });
  };

  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    if (!anonymousGet(c) || !c.var.csrfToken) return next();
    await poll();
    const key = `${c.var.locale}\n${c.req.url}`;
    const token = c.var.csrfToken;
    const found = entries.get(key);
    if (current(found)) {
      entries.delete(key);
      entries.set(key, found); // most recently used last
      return answer(c, found, token);
    }
    const underway = rendering.get(key);
    if (underway) {
      const rendered = await underway;
      if (rendered && rendered.generation === generation) return answer(c, rendered, token);
    }
    misses++;
    let settle!: (entry: Entry | undefined) => void;
    const leading = !rendering.has(key);
    if (leading) rendering.set(key, new Promise<Entry | undefined>((resolve) => (settle = resolve)));
    let stored: Entry | undefined;
    try {
      stored = await render(c, next, token);
      if (stored) {
        entries.set(key, stored);
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
    } finally {
      if (leading) {
        rendering.delete(key);
        settle(stored);
      }
    }
  });

  const front = createMiddleware<AppEnv>(async (c, next) => {
    const visitor = options.visitor;
    // An ActivityPub client asking for a channel or watch page gets its object, never the page (content
    // negotiation happens in the routes this skips); a request carrying credentials is nobody's anonymous page.
    if (!visitor || !anonymousGet(c) || c.req.header('accept')?.includes('json') || c.req.header('authorization')) return next();
    await poll();
    const found = entries.get(`${visitor.locale(c)}\n${c.req.url}`);
    if (!current(found)) return next();
    earlyHits++;
    const csrf = visitor.csrf(c);
    c.set('area', found.area);
    answer(c, found, csrf.token);
    csrf.set?.();
  });

  /** Renders with the marker for the token, answers with the visitor's token, and returns what may be kept. */
  async function render(c: Context<AppEnv>, next: Next, token: string): Promise<Entry | undefined> {
    const startedAt = generation;
    c.set('csrfToken', marker);
    try {
      await next();
    } finally {
      c.set('csrfToken', token);
    }
    const res = c.res;
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html') || !res.body) return undefined;
    const html = await res.text();
    const parts = html.split(marker);
    const headers = [...res.headers.entries()].filter(([name]) => name !== 'content-length');
    c.res = new Response(parts.join(token), { status: res.status, headers: res.headers });
    const cacheControl = res.headers.get('cache-control') ?? '';
    const storable =
      res.status === 200 && !res.headers.has('set-cookie') && !/private|no-store/.test(cacheControl) && html.length <= MAX_ENTRY_CHARS && startedAt === generation;
    return storable ? { parts: parts.map((part) => Buffer.from(part)), status: res.status, headers, generation, until: now() + ttlMs, area: c.var.area } : undefined;
  }

  const invalidateOnWrite = createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (SAFE_METHODS.has(c.req.method) || c.res.status >= 400) return;
    clear();
    await bumpPageGeneration(options.db);
    // Read our own bump now, so the next poll does not take it for another process's write.
    await (polling ?? Promise.resolve());
    await poll(true);
  });

  return { middleware, front, invalidateOnWrite, clear, stats: () => ({ hits, earlyHits, misses, entries: entries.size }) };
}

/** The bus, publishing as before and taking the next page generation in the same transaction. */
export function invalidatingEventBus(inner: EventBus): EventBus {
  return {
    async publish(q, event, payload, key) {
      await inner.publish(q, event, payload, key);
      await bumpPageGeneration(q);
    },
  };
}

/** The handlers, each taking the next page generation once its job succeeded (a job may change what pages show). */
export function invalidatingJobHandlers(handlers: JobHandlers, db: Queryable): JobHandlers {
  const out: Record<string, JobHandler> = {};
  for (const [type, handler] of Object.entries(handlers)) {
    out[type] = async (context) => {
      const result = await handler(context);
      await bumpPageGeneration(db);
      return result;
    };
  }
  return out;
}
