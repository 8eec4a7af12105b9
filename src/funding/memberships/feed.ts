import type { AppDeps } from '../../core/deps.js';
import { renderRss } from '../../feeds/service.js';
import { canWatch } from '../../videos/access.js';
import { renderMarkdown } from '../../videos/markdown.js';
import { membershipAccess } from './access.js';

/**
 * The private RSS feed of a member (Castopod-style): the channel's public and members-only videos this
 * member may watch right now. The token is checked against a live membership on every fetch, so a
 * lapsed or revoked member's feed stops working. Undefined when the token opens nothing.
 */
export async function membersFeed(deps: AppDeps, channel: { id: string; name: string; handle: string; description: string }, tokenHash: string): Promise<string | undefined> {
  const rows = await deps.db.query<{ user_id: string }>(
    `SELECT user_id FROM memberships WHERE feed_token_hash = $1 AND channel_id = $2 AND status <> 'expired'`,
    [tokenHash, channel.id],
  );
  const now = deps.clock.now();
  const access = await membershipAccess(deps.db, rows[0]?.user_id, channel.id, now);
  if (!rows[0] || !access.isMember) return undefined;
  const videos = await deps.db.query<{ short_id: string; title: string; description: string; publish_at: Date | null; created_at: Date; status: 'ready'; visibility: 'public' | 'members'; }>(
    `SELECT short_id, title, description, publish_at, created_at, status, visibility FROM videos
      WHERE channel_id = $1 AND status = 'ready' AND visibility IN ('public', 'members') ORDER BY COALESCE(publish_at, created_at) DESC LIMIT 100`,
    [channel.id],
  );
  const base = deps.config.publicUrl;
  const viewer = { isTeam: false, isMember: true, earlyAccessDays: access.earlyAccessDays };
  // Rendered by the feeds capability's RSS writer, which escapes everything; no self link, as the URL holds the token.
  return renderRss({
    title: channel.name,
    link: `${base}/c/${channel.handle}`,
    description: channel.description.slice(0, 2000),
    items: videos
      .filter((v) => canWatch(v, viewer, now))
      .map((v) => ({
        title: v.title,
        link: `${base}/v/${v.short_id}`,
        guid: `${base}/v/${v.short_id}`,
        isPermaLink: true,
        pubDate: v.publish_at ?? v.created_at,
        description: renderMarkdown(v.description.slice(0, 2000)),
      })),
  });
}
