import type { AppDeps } from '../../core/deps.js';
import { renderRss } from '../../feeds/index.js';
import { canWatch, listPublicAndMembersVideos, renderMarkdown } from '../../videos/index.js';
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
  const videos = await listPublicAndMembersVideos(deps.db, channel.id, 100);
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
