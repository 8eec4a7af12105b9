import type { AppDeps } from '../../core/deps.js';
import { canWatch } from '../../videos/access.js';
import { membershipAccess } from './access.js';

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

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
  const items = videos
    .filter((v) => canWatch(v, viewer, now))
    .map((v) => {
      const link = `${base}/v/${v.short_id}`;
      return `<item><title>${xmlEscape(v.title)}</title><link>${link}</link><guid isPermaLink="true">${link}</guid><pubDate>${(v.publish_at ?? v.created_at).toUTCString()}</pubDate><description>${xmlEscape(v.description.slice(0, 2000))}</description></item>`;
    });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${xmlEscape(channel.name)}</title><link>${base}/c/${channel.handle}</link><description>${xmlEscape(channel.description.slice(0, 2000))}</description>${items.join('')}</channel></rss>\n`;
}
