// The notifications tables (migration 019): nothing else. What this module does not query is anything
// another capability owns; it learns of tips, members and videos through their index.ts.
import type { Queryable } from '../core/db/index.js';

export type NotificationKind = 'tip' | 'tip_held' | 'member_joined' | 'member_cancelled' | 'member_past_due' | 'member_ended' | 'follower' | 'video_ready' | 'video_failed' | 'comment_held' | 'comment_mentioned' | 'content_reported' | 'campaign_successful' | 'campaign_failed' | 'campaign_cancelled';
export type EmailMode = 'immediate' | 'digest' | 'off';

export interface NotificationRow {
  id: string;
  channel_id: string;
  kind: NotificationKind;
  params: Record<string, string | number | null>;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
  emailed_at: Date | null;
}

const COLUMNS = 'id, channel_id, kind, params, link, created_at, read_at, emailed_at';

/** Records a notification once per `dedupeKey`; returns its id, or undefined when it was already there. */
export async function insertNotification(
  db: Queryable,
  n: { channelId: string; kind: NotificationKind; params: NotificationRow['params']; link: string | null; dedupeKey: string; at: Date },
): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO notifications (channel_id, kind, params, link, dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [n.channelId, n.kind, JSON.stringify(n.params), n.link, n.dedupeKey.slice(0, 300), n.at],
  );
  return rows[0]?.id;
}

export async function findNotification(db: Queryable, id: string): Promise<NotificationRow | undefined> {
  return (await db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notifications WHERE id = $1`, [id]))[0];
}

/** The newest notifications of these channels. */
export async function listNotifications(db: Queryable, channelIds: readonly string[], limit: number): Promise<NotificationRow[]> {
  if (channelIds.length === 0) return [];
  return db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notifications WHERE channel_id = ANY($1::uuid[]) ORDER BY created_at DESC, id LIMIT $2`, [channelIds, limit]);
}

export async function countUnread(db: Queryable, channelIds: readonly string[]): Promise<number> {
  if (channelIds.length === 0) return 0;
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE channel_id = ANY($1::uuid[]) AND read_at IS NULL', [channelIds]);
  return rows[0]!.n;
}

export async function markAllRead(db: Queryable, channelIds: readonly string[], at: Date): Promise<void> {
  if (channelIds.length === 0) return;
  await db.query('UPDATE notifications SET read_at = $2 WHERE channel_id = ANY($1::uuid[]) AND read_at IS NULL', [channelIds, at]);
}

export async function markEmailed(db: Queryable, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE notifications SET emailed_at = $2 WHERE id = ANY($1::uuid[]) AND emailed_at IS NULL', [ids, at]);
}

/** The e-mail choice of a channel's team (at once, unless they chose otherwise). */
export async function emailMode(db: Queryable, channelId: string): Promise<EmailMode> {
  const rows = await db.query<{ email: EmailMode }>('SELECT email FROM notification_settings WHERE channel_id = $1', [channelId]);
  return rows[0]?.email ?? 'immediate';
}

export async function setEmailMode(db: Queryable, channelId: string, mode: EmailMode): Promise<void> {
  await db.query(
    `INSERT INTO notification_settings (channel_id, email) VALUES ($1, $2) ON CONFLICT (channel_id) DO UPDATE SET email = EXCLUDED.email`,
    [channelId, mode],
  );
}

/** Channels on the daily digest whose last digest is a day old (or never sent) and that have something unsent. */
export async function channelsDueForDigest(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query<{ channel_id: string }>(
    `SELECT s.channel_id FROM notification_settings s
      WHERE s.email = 'digest' AND (s.last_digest_at IS NULL OR s.last_digest_at <= $1::timestamptz - interval '1 day')
        AND EXISTS (SELECT 1 FROM notifications n WHERE n.channel_id = s.channel_id AND n.emailed_at IS NULL)`,
    [now],
  );
  return rows.map((r) => r.channel_id);
}

/** The notifications a digest holds: everything not e-mailed yet, oldest first. */
export async function unsentNotifications(db: Queryable, channelId: string): Promise<NotificationRow[]> {
  return db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notifications WHERE channel_id = $1 AND emailed_at IS NULL ORDER BY created_at LIMIT 500`, [channelId]);
}

export async function markDigestSent(db: Queryable, channelId: string, at: Date): Promise<void> {
  await db.query('UPDATE notification_settings SET last_digest_at = $2 WHERE channel_id = $1', [channelId, at]);
}
