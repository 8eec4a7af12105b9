/**
 * Remote follow (as Mastodon and PeerTube offer it): someone types their own handle `@me@their.instance`
 * on a channel page; this site looks the handle up by WebFinger (through the safe fetcher) and sends them
 * to their instance's subscribe template (`http://ostatus.org/schema/1.0/subscribe`), where they confirm.
 */
import type { FederationServices } from './federation.js';
import { limitedFetch, RemoteFetchError } from './remote-fetch.js';
import { SUBSCRIBE_REL } from './routes.js';

/** `@user@host` or `user@host` (host may carry a port), or undefined. */
export function parseHandle(input: string): { user: string; host: string } | undefined {
  const m = /^@?([A-Za-z0-9_.~-]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/i.exec(input.trim());
  return m ? { user: m[1]!, host: m[2]!.toLowerCase() } : undefined;
}

/**
 * Where to send someone who follows `targetUri` (a local actor) from `handle`: their instance's subscribe
 * page with the target filled in, or undefined when the handle is unknown there or offers no template.
 * Over https; over http too only when private addresses are allowed (local test instances).
 */
export async function remoteFollowUrl(fed: FederationServices, handle: { user: string; host: string }, targetUri: string): Promise<string | undefined> {
  const schemes = fed.settings.allowPrivateAddress ? ['https', 'http'] : ['https'];
  for (const scheme of schemes) {
    const url = `${scheme}://${handle.host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle.user}@${handle.host}`)}`;
    let jrd: { links?: { rel?: unknown; template?: unknown }[] };
    try {
      const { response, body } = await limitedFetch(url, { headers: { accept: 'application/jrd+json, application/json' } }, fed.limits);
      if (!response.ok) return undefined;
      jrd = JSON.parse(new TextDecoder().decode(body)) as typeof jrd;
    } catch (error) {
      // Local test instances speak plain http: any failure of the https attempt moves on to http there.
      if (error instanceof RemoteFetchError && scheme === 'https' && schemes.length > 1) continue;
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
    const template = jrd.links?.find((l) => l.rel === SUBSCRIBE_REL)?.template;
    if (typeof template !== 'string' || !template.includes('{uri}')) return undefined;
    const target = template.replace('{uri}', encodeURIComponent(targetUri));
    return /^https?:\/\//i.test(target) ? target : undefined;
  }
  return undefined;
}
