import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { findMoveByHandle, findMoveOfVideo, siteHasMoves, wantsActivityJson, type MoveRow } from '../federation/index.js';

/** Whether the new channel's page is a Fanfare channel page (`/c/{handle}`): then paths below it match ours. */
function fanfarePage(move: MoveRow): URL | undefined {
  const url = new URL(move.target_page_url);
  return /^\/c\/[a-z0-9_]{2,30}$/.test(url.pathname) ? url : undefined;
}

/**
 * While the old site still runs, a moved channel's addresses answer 301 to the new site: its page and
 * everything under it (feeds, posts, membership) to the same path under the new channel's page, its
 * watch pages to the same `/v/{id}` on the new site (an imported channel keeps its videos' ids), and an
 * ActivityPub client asking for the channel page gets the new actor. When the new channel is not a
 * Fanfare one, everything goes to its page.
 *
 * The ActivityPub actor document `/ap/c/{handle}` itself keeps being served, with `movedTo`: the `Move`
 * and every activity still queued from the old channel are verified against the key in that document,
 * as Mastodon keeps a moved account's actor. A browser opening it is sent to the new channel's page.
 */
export function movedChannelRedirects(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const anyMoves = knownToHaveMoves(deps);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // A write in this process (the Studio's move form among them) is seen at once.
      await next();
      if (c.res.status < 400) anyMoves.forget();
      return;
    }
    const m = /^\/(c|v|ap\/c)\/([A-Za-z0-9_-]{2,30})(\/[^]*)?$/.exec(c.req.path);
    if (!m || !(await anyMoves())) return next();
    const [, kind, id, rest = ''] = m;
    const search = new URL(c.req.url).search;
    const ap = wantsActivityJson(c.req.header('accept'));
    if (kind === 'v') {
      const move = await findMoveOfVideo(deps.db, id!);
      if (!move || ap) return next();
      const page = fanfarePage(move);
      return c.redirect(page ? `${page.origin}/v/${id}${rest}${search}` : move.target_page_url, 301);
    }
    const move = await findMoveByHandle(deps.db, id!.toLowerCase());
    if (!move) return next();
    if (kind === 'ap/c') return rest === '' && !ap ? c.redirect(move.target_page_url, 301) : next();
    if (ap && rest === '') return c.redirect(move.target_actor_uri, 301);
    const page = fanfarePage(move);
    return c.redirect(page ? `${page.href}${rest}${search}` : move.target_page_url, 301);
  };
}

/**
 * Whether this site has any moved channel, asked at most once a second (as the page cache polls), and again
 * after any write in this process: almost every site has none, and every watch and channel page passes here
 * before the page cache, so without this each anonymous page view cost a query. Another process's move is
 * seen within the second. With the page cache off (PAGE_CACHE_SECONDS=0, as in tests) every request asks.
 */
function knownToHaveMoves(deps: AppDeps): { (): Promise<boolean>; forget(): void } {
  const ttlMs = deps.config.pageCacheSeconds > 0 ? 1000 : 0;
  let known: { value: boolean; until: number } | undefined;
  const ask = async () => {
    const now = performance.now();
    if (known && known.until > now) return known.value;
    const value = await siteHasMoves(deps.db);
    known = { value, until: now + ttlMs };
    return value;
  };
  return Object.assign(ask, { forget: () => void (known = undefined) });
}
