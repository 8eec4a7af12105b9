/**
 * Mentions in comments: `@handle` names a channel of this site (channels are the only handles here:
 * accounts have none), `@user@host` a fediverse account. Both become links in the rendered comment
 * (outside code and existing links); a local channel mentioned in a shown comment is told through its
 * notifications (`comment.mentioned`), and the comment's federated Note carries a Mention tag for each.
 */
import { findChannelByHandle } from '../channels/index.js';
import type { Queryable } from '../core/db/index.js';
import { renderCommentMarkdown } from './markdown.js';

export interface Mentions {
  /** Handles of this site's channels. */
  local: string[];
  /** Fediverse accounts, `user@host`. */
  remote: { user: string; host: string }[];
}

/** At most this many mentions per comment are linked and tagged (a comment is not a mailing list). */
const MAX_MENTIONS = 10;
const MENTION = /(^|[^\w@/.:-])@([A-Za-z0-9_]{1,100})(?:@([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d{1,5})?))?(?![\w@])/gi;

/** The `@handle` and `@user@host` in a text (code excluded by the caller), in order, each once. */
function scan(text: string, ownHost: string): { user: string; host: string | null }[] {
  const found: { user: string; host: string | null }[] = [];
  for (const m of text.matchAll(MENTION)) {
    const host = m[3]?.toLowerCase() ?? null;
    const local = host === null || host === ownHost;
    const user = local ? m[2]!.toLowerCase() : m[2]!;
    if (!found.some((f) => f.user === user && f.host === (local ? null : host))) found.push({ user, host: local ? null : host });
  }
  return found;
}

/** The text segments of sanitized HTML outside `<a>`, `<code>` and `<pre>`, rewritten by `fn`. */
function mapOutsideLinksAndCode(html: string, fn: (text: string) => string): string {
  let depth = 0;
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)(a|code|pre)\b/i.exec(part);
      if (tag) depth += tag[1] ? -1 : 1;
      return part.startsWith('<') || depth > 0 ? part : fn(part);
    })
    .join('');
}

/**
 * Renders a comment's Markdown with its mentions linked: a channel of this site to its page, a fediverse
 * account to `https://host/@user` (where Mastodon and PeerTube answer). Unknown local handles stay text.
 */
export async function renderCommentWithMentions(db: Queryable, markdown: string, ownHost: string): Promise<{ html: string; mentions: Mentions }> {
  // Markdown links `user@host` as an e-mail address: a `@` before it makes it a mention again.
  const html = renderCommentMarkdown(markdown).replace(
    /@<a href="mailto:([A-Za-z0-9_]{1,100})@([a-z0-9.-]{1,253})"[^>]*>\1@\2<\/a>(:\d{1,5})?/gi,
    (_, user: string, host: string, port: string | undefined) => `@${user}@${host}${port ?? ''}`,
  );
  const mentions: Mentions = { local: [], remote: [] };
  const candidates: { user: string; host: string | null }[] = [];
  mapOutsideLinksAndCode(html, (text) => {
    for (const c of scan(text, ownHost)) if (!candidates.some((k) => k.user === c.user && k.host === c.host)) candidates.push(c);
    return text;
  });
  for (const c of candidates.slice(0, MAX_MENTIONS)) {
    if (c.host) mentions.remote.push({ user: c.user, host: c.host });
    else if (/^[a-z0-9_]{2,30}$/.test(c.user) && (await findChannelByHandle(db, c.user))) mentions.local.push(c.user);
  }
  const linked = mapOutsideLinksAndCode(html, (text) =>
    text.replace(MENTION, (whole, before: string, user: string, host: string | undefined) => {
      const h = host?.toLowerCase();
      if (h && h !== ownHost && mentions.remote.some((r) => r.user === user && r.host === h)) {
        return `${before}<a href="https://${h}/@${user}" class="mention" rel="nofollow noopener">@${user}@${h}</a>`;
      }
      const local = user.toLowerCase();
      if ((!h || h === ownHost) && mentions.local.includes(local)) return `${before}<a href="/c/${local}" class="mention">@${local}</a>`;
      return whole;
    }),
  );
  return { html: linked, mentions };
}

/** The mentions of an already rendered comment (its links with class "mention"), for federation and notices. */
export function mentionsOf(html: string): Mentions {
  const mentions: Mentions = { local: [], remote: [] };
  for (const m of html.matchAll(/<a href="(?:https:\/\/([^/"]+)\/@([^"]+)|\/c\/([a-z0-9_]+))" class="mention"/g)) {
    if (m[3]) mentions.local.push(m[3]);
    else mentions.remote.push({ user: m[2]!, host: m[1]! });
  }
  return mentions;
}
