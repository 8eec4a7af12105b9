import type { AppContext } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';

/**
 * CORS headers of the media of publicly listed videos. PeerTube's player (hls.js on PeerTube's origin)
 * loads a remote video's playlists, init segments and segments with XHR and asks for byte ranges
 * (issue 10 D2), so it must be allowed to read them, the range it got and their length.
 */
export const MEDIA_CORS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'range',
  'access-control-expose-headers': 'content-length, content-range',
};

/** How long a browser may keep a preflight's answer. */
const PREFLIGHT_MAX_AGE = '86400';

/**
 * CORS for the handlers of `/media/v/:shortId/*`, wrapped around each (a wrapper rather than `app.use`, so
 * the route table lists the media routes only):
 * - a preflight (`OPTIONS`) is answered 204 with the CORS headers when the video is publicly listed,
 *   404 otherwise (nothing says a members-only video exists);
 * - a successful `GET`/`HEAD` of a publicly listed video gets the CORS headers; members-only, unlisted,
 *   draft and scheduled media keep their entitlement check and get none, so another site's scripts can
 *   never read them with a member's cookies.
 * `isPublic(shortId)` decides (the videos capability passes its "listed" rule); it is asked once per request
 * and only after the handler answered with a success, so refused requests cost nothing more.
 */
export function withPublicMediaCors<C extends AppContext>(isPublic: (shortId: string) => Promise<boolean>, handler: (c: C) => Response | Promise<Response>) {
  return async (c: C): Promise<Response> => {
    const shortId = (c.req.param as (name: string) => string | undefined)('shortId') ?? '';
    if (c.req.method === 'OPTIONS') {
      if (!(await isPublic(shortId))) throw new NotFoundError();
      return new Response(null, { status: 204, headers: { ...MEDIA_CORS, 'access-control-max-age': PREFLIGHT_MAX_AGE } });
    }
    const response = await handler(c);
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && response.status < 400 && (await isPublic(shortId))) {
      for (const [name, value] of Object.entries(MEDIA_CORS)) response.headers.set(name, value);
    }
    return response;
  };
}
