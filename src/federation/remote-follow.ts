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
  const links = await webFingerLinks(fed, handle);
  const template = links?.find((l) => l.rel === SUBSCRIBE_REL)?.template;
  if (typeof template !== 'string' || !template.includes('{uri}')) return undefined;
  const target = template.replace('{uri}', encodeURIComponent(targetUri));
  return /^https?:\/\//i.test(target) ? target : undefined;
}

type JrdLink = { rel?: unknown; type?: unknown; href?: unknown; template?: unknown };

/** The links of a handle's WebFinger answer, or undefined when the handle is unknown there (https; http too when private addresses are allowed). */
async function webFingerLinks(fed: FederationServices, handle: { user: string; host: string }): Promise<JrdLink[] | undefined> {
  const schemes = fed.settings.allowPrivateAddress ? ['https', 'http'] : ['https'];
  for (const scheme of schemes) {
    const url = `${scheme}://${handle.host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle.user}@${handle.host}`)}`;
    try {
      const { response, body } = await limitedFetch(url, { headers: { accept: 'application/jrd+json, application/json' } }, fed.limits);
      if (!response.ok) return undefined;
      const jrd = JSON.parse(new TextDecoder().decode(body)) as { links?: unknown };
      return Array.isArray(jrd.links) ? (jrd.links as JrdLink[]) : [];
    } catch (error) {
      // Local test instances speak plain http: any failure of the https attempt moves on to http there.
      if (error instanceof RemoteFetchError && scheme === 'https' && schemes.length > 1) continue;
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }
  return undefined;
}

const actorMemo = new Map<string, { uri: string | undefined; until: number }>();

/**
 * The ActivityPub actor of a fediverse handle (WebFinger's `self` link), for a Mention tag; undefined when
 * it cannot be found. Answers are kept an hour in this process (a Note is built on every fetch of it).
 */
export async function remoteActorUri(fed: FederationServices, handle: { user: string; host: string }): Promise<string | undefined> {
  const key = `${handle.user}@${handle.host}`;
  const memo = actorMemo.get(key);
  if (memo && memo.until > Date.now()) return memo.uri;
  const links = await webFingerLinks(fed, handle).catch(() => undefined);
  const self = links?.find((l) => l.rel === 'self' && typeof l.type === 'string' && /activity\+json|ld\+json/.test(l.type))?.href;
  const uri = typeof self === 'string' && /^https?:\/\//.test(self) ? self : undefined;
  if (actorMemo.size > 1000) actorMemo.clear();
  actorMemo.set(key, { uri, until: Date.now() + 3_600_000 });
  return uri;
}
