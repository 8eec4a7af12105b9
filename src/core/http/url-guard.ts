import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.js';
import { BadRequestError, NotFoundError } from './errors.js';
import { hasControlCharacters } from './text.js';

/** Longest path any route names (ids, handles and HLS file names are far shorter); longer names nothing. */
export const MAX_PATH_LENGTH = 1024;
/** Longest query string a page reads (a search, a `back` address, a magic-link token). */
export const MAX_QUERY_LENGTH = 4096;
/** How much of a path a log line keeps: enough to recognise it, never a 5,000-character line per request. */
const LOGGED_PATH_LENGTH = 200;

/** The request's path for a log line, cut to a readable length. */
export function pathForLog(url: string): string {
  const path = new URL(url).pathname;
  return path.length > LOGGED_PATH_LENGTH ? `${path.slice(0, LOGGED_PATH_LENGTH)}…(${path.length} chars)` : path;
}

function decoded(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * The site-wide boundary for what the address carries, before any route reads it: a path with control
 * characters (`/ap/videos/%00`), malformed escapes or of absurd length names nothing (404); a query
 * string with control characters in a name or value (`/search?q=%00`) or of absurd length is refused
 * with a translated 400. Forms and JSON bodies are checked where they are read (form.ts, text.ts).
 */
export function urlGuard() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.length > MAX_PATH_LENGTH) throw new NotFoundError();
    const path = decoded(url.pathname);
    if (path === undefined || hasControlCharacters(path, 'line')) throw new NotFoundError();
    if (url.search.length > MAX_QUERY_LENGTH) throw new BadRequestError('error.query_too_long');
    for (const [name, value] of url.searchParams) {
      if (hasControlCharacters(name, 'line') || hasControlCharacters(value, 'line')) throw new BadRequestError('error.address_control_characters');
    }
    await next();
  });
}
