import type { Queryable } from '../../core/db/index.js';

export interface TipSettings {
  currency: string;
  minimum: number;
  lightningAddress: string | null;
}

/** The channel's tip settings, with the video's own minimum when it has one. */
export async function tipSettings(q: Queryable, channelId: string, videoId?: string): Promise<TipSettings> {
  const rows = await q.query<{ currency: string; tip_minimum: number; lightning_address: string | null; video_minimum: number | null }>(
    `SELECT c.currency, c.tip_minimum, c.lightning_address, v.tip_minimum AS video_minimum
       FROM channels c LEFT JOIN videos v ON v.id = $2 AND v.channel_id = c.id WHERE c.id = $1`,
    [channelId, videoId ?? null],
  );
  const row = rows[0]!;
  return { currency: row.currency, minimum: row.video_minimum ?? row.tip_minimum, lightningAddress: row.lightning_address };
}

export async function saveTipSettings(q: Queryable, channelId: string, s: TipSettings): Promise<void> {
  await q.query('UPDATE channels SET currency = $2, tip_minimum = $3, lightning_address = $4, updated_at = now() WHERE id = $1', [channelId, s.currency, s.minimum, s.lightningAddress]);
}

export async function insertTip(q: Queryable, t: { paymentId: string; videoId: string | null; message: string | null; anonymous: boolean; displayName: string | null }): Promise<void> {
  await q.query(
    `INSERT INTO tips (payment_id, video_id, message, anonymous, display_name) VALUES ($1, $2, $3, $4, $5)`,
    [t.paymentId, t.videoId, t.message, t.anonymous, t.displayName],
  );
}

/** Once paid, a tip's message waits for moderation. */
export async function tipExists(q: Queryable, paymentId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM tips WHERE payment_id = $1', [paymentId])).length > 0;
}

export async function holdMessageForModeration(q: Queryable, paymentId: string): Promise<void> {
  await q.query(`UPDATE tips SET message_status = 'held' WHERE payment_id = $1 AND message IS NOT NULL AND message_status = 'none'`, [paymentId]);
}

export interface TipMessageRow {
  payment_id: string;
  message: string;
  name: string | null;
  amount: number;
  currency: string;
  created_at: Date;
  video_title: string | null;
}

export async function approvedMessages(q: Queryable, videoId: string): Promise<TipMessageRow[]> {
  return q.query<TipMessageRow>(
    `SELECT t.payment_id, t.message, CASE WHEN t.anonymous THEN NULL ELSE t.display_name END AS name, p.amount, p.currency, p.created_at, NULL AS video_title
       FROM tips t JOIN payments p ON p.id = t.payment_id
      WHERE t.video_id = $1 AND t.message_status = 'approved' AND p.status = 'succeeded'
      ORDER BY p.created_at DESC LIMIT 50`,
    [videoId],
  );
}

/** Tip messages waiting for a decision (held), oldest first. */
export async function heldMessages(q: Queryable, channelId: string): Promise<TipMessageRow[]> {
  return q.query<TipMessageRow>(
    `SELECT t.payment_id, t.message, CASE WHEN t.anonymous THEN NULL ELSE t.display_name END AS name, p.amount, p.currency, p.created_at, v.title AS video_title
       FROM tips t JOIN payments p ON p.id = t.payment_id LEFT JOIN videos v ON v.id = t.video_id
      WHERE p.channel_id = $1 AND t.message_status = 'held' ORDER BY p.created_at LIMIT 200`,
    [channelId],
  );
}

export async function moderateMessage(q: Queryable, channelId: string, paymentId: string, decision: 'approved' | 'rejected'): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(paymentId)) return false;
  const rows = await q.query(
    `UPDATE tips t SET message_status = $3 FROM payments p
      WHERE t.payment_id = p.id AND p.channel_id = $1 AND t.payment_id = $2 AND t.message_status = 'held' RETURNING t.payment_id`,
    [channelId, paymentId, decision],
  );
  return rows.length > 0;
}

/** A paid tip as a notification tells it: how much, from whom (unless anonymous), whether its message waits for moderation. */
export interface TipSummary {
  amount: number;
  currency: string;
  /** The name the fan gave, or null when anonymous or unnamed. */
  from: string | null;
  messageHeld: boolean;
  videoTitle: string | null;
}

export async function findTipSummary(q: Queryable, paymentId: string): Promise<TipSummary | undefined> {
  const rows = await q.query<TipSummary>(
    `SELECT p.amount, p.currency, CASE WHEN t.anonymous THEN NULL ELSE t.display_name END AS "from",
            t.message_status = 'held' AS "messageHeld", v.title AS "videoTitle"
       FROM tips t JOIN payments p ON p.id = t.payment_id LEFT JOIN videos v ON v.id = t.video_id
      WHERE t.payment_id = $1`,
    [paymentId],
  );
  return rows[0];
}

export interface FanTipRow {
  payment_id: string;
  amount: number;
  currency: string;
  status: string;
  created_at: Date;
  channel_name: string;
  channel_handle: string;
  video_title: string | null;
  video_short_id: string | null;
  message: string | null;
}

/** The tips a fan paid (or that were paid then refunded), newest first: what "My tips" lists. */
export async function fanTips(q: Queryable, userId: string, limit = 200): Promise<FanTipRow[]> {
  return q.query<FanTipRow>(
    `SELECT p.id AS payment_id, p.amount, p.currency, p.status, p.created_at, c.name AS channel_name, c.handle AS channel_handle,
            v.title AS video_title, v.short_id AS video_short_id, t.message
       FROM tips t JOIN payments p ON p.id = t.payment_id JOIN channels c ON c.id = p.channel_id LEFT JOIN videos v ON v.id = t.video_id
      WHERE p.user_id = $1 AND p.status IN ('succeeded', 'refunded', 'disputed')
      ORDER BY p.created_at DESC LIMIT $2`,
    [userId, limit],
  );
}
