/**
 * The links in community e-mails carry their own proof: an HMAC of what they act on with the site's
 * signing secret, so nothing is stored per link and a link cannot be made for someone else.
 */
import { hmac, safeEqual } from '../core/crypto.js';

/** What a link does: confirm a follow, or stop e-mails (to a follower, or to a member with no follow). */
export type LinkTarget = { purpose: 'confirm' | 'unsubscribe'; followerId: string } | { purpose: 'unsubscribe-member'; channelId: string; userId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PATTERN = new RegExp(`^(c|u|m)\\.(${UUID})(?:\\.(${UUID}))?\\.([A-Za-z0-9_-]{32})$`);
const PREFIX = { confirm: 'c', unsubscribe: 'u', 'unsubscribe-member': 'm' } as const;

function body(target: LinkTarget): string {
  return target.purpose === 'unsubscribe-member' ? `m.${target.channelId}.${target.userId}` : `${PREFIX[target.purpose]}.${target.followerId}`;
}

/** The token of a link: `<purpose>.<ids>.<signature>`. */
export function signLink(secret: string, target: LinkTarget): string {
  const text = body(target);
  return `${text}.${hmac(secret, `community-link:${text}`).slice(0, 32)}`;
}

/** The target of a token, or undefined when it is malformed or its signature does not match. */
export function readLink(secret: string, token: string): LinkTarget | undefined {
  const m = PATTERN.exec(token);
  if (!m) return undefined;
  const [, kind, first, second, signature] = m;
  const target: LinkTarget | undefined =
    kind === 'm' ? (second ? { purpose: 'unsubscribe-member', channelId: first!, userId: second } : undefined) : second ? undefined : { purpose: kind === 'c' ? 'confirm' : 'unsubscribe', followerId: first! };
  if (!target) return undefined;
  return safeEqual(hmac(secret, `community-link:${body(target)}`).slice(0, 32), signature!) ? target : undefined;
}
