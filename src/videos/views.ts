import { createHmac } from 'node:crypto';
import type { Queryable } from '../core/db/index.js';
import type { AppDeps } from '../core/deps.js';

/**
 * View counts the PeerTube way, without tracking anyone: the player reports a view after 30 s of playback
 * (75 % of a video shorter than 40 s); the server counts it once per viewer per hour. The viewer is a keyed
 * hash of the hour, the address, the browser and the video, kept two hours at most; the address itself is
 * never written anywhere. Only the count per video and day stays.
 */
export const VIEW_AFTER_SECONDS = 30;
export const SHORT_VIDEO_SHARE = 0.75;

export async function recordView(deps: AppDeps, videoId: string, viewer: { ip: string; userAgent: string }): Promise<boolean> {
  const now = deps.clock.now();
  const hour = Math.floor(now.getTime() / 3_600_000);
  const mark = createHmac('sha256', deps.signingSecret).update(`view\n${hour}\n${viewer.ip}\n${viewer.userAgent.slice(0, 300)}\n${videoId}`).digest('base64url');
  return deps.db.transaction(async (tx) => {
    await tx.query(`DELETE FROM video_view_marks WHERE created_at < $1`, [new Date(now.getTime() - 2 * 3_600_000)]);
    const fresh = await tx.query(`INSERT INTO video_view_marks (mark, created_at) VALUES ($1, $2) ON CONFLICT (mark) DO NOTHING RETURNING mark`, [mark, now]);
    if (fresh.length === 0) return false;
    await tx.query(
      `INSERT INTO video_views (video_id, day, views) VALUES ($1, $2, 1)
       ON CONFLICT (video_id, day) DO UPDATE SET views = video_views.views + 1`,
      [videoId, now.toISOString().slice(0, 10)],
    );
    return true;
  });
}

export interface ViewStats {
  total: number;
  /** The last `days` days, oldest first, zeros included. */
  perDay: { day: string; views: number }[];
}

export async function viewStats(db: Queryable, videoId: string, today: Date, days = 30): Promise<ViewStats> {
  const since = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await db.query<{ day: string | Date; views: number }>(`SELECT day, views FROM video_views WHERE video_id = $1 ORDER BY day`, [videoId]);
  const byDay = new Map(rows.map((r) => [typeof r.day === 'string' ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10), Number(r.views)]));
  const perDay = Array.from({ length: days }, (_, i) => {
    const day = new Date(Date.parse(since) + i * 86_400_000).toISOString().slice(0, 10);
    return { day, views: byDay.get(day) ?? 0 };
  });
  return { total: [...byDay.values()].reduce((a, b) => a + b, 0), perDay };
}

/** Total views of each of a channel's videos, for the Studio's list. */
export async function viewTotals(db: Queryable, channelId: string): Promise<Map<string, number>> {
  const rows = await db.query<{ video_id: string; total: string | number }>(
    `SELECT w.video_id, SUM(w.views) AS total FROM video_views w JOIN videos v ON v.id = w.video_id WHERE v.channel_id = $1 GROUP BY w.video_id`,
    [channelId],
  );
  return new Map(rows.map((r) => [r.video_id, Number(r.total)]));
}
