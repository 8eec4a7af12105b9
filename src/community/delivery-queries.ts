/** The e-mailing tables (community_mailings, community_deliveries): one row per recipient and its state. */
import type { Queryable } from '../core/db/index.js';

/** What is e-mailed: a post, a new video, a campaign's launch (to followers who chose campaign updates). */
export type MailingKind = 'post' | 'video' | 'campaign';
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'bounced' | 'failed';

export interface MailingRow {
  id: string;
  channel_id: string;
  kind: MailingKind;
  subject_id: string;
}

export interface Recipient {
  email: string;
  followerId: string | null;
  userId: string | null;
  language: 'en' | 'fr';
}

export interface DeliveryRow {
  email: string;
  follower_id: string | null;
  user_id: string | null;
  language: 'en' | 'fr';
  status: DeliveryStatus;
  attempts: number;
}

/** Creates the mailing of a subject once; undefined when it already exists (the event came again). */
export async function insertMailing(db: Queryable, m: { channelId: string; kind: MailingKind; subjectId: string; now: Date }): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO community_mailings (channel_id, kind, subject_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, subject_id) DO NOTHING RETURNING id`,
    [m.channelId, m.kind, m.subjectId, m.now],
  );
  return rows[0]?.id;
}

/** Queues one delivery per recipient (an address listed twice is queued once; a suppressed address not at all). */
export async function insertDeliveries(db: Queryable, mailingId: string, recipients: readonly Recipient[]): Promise<void> {
  for (let i = 0; i < recipients.length; i += 1000) {
    const chunk = recipients.slice(i, i + 1000);
    await db.query(
      `INSERT INTO community_deliveries (mailing_id, email, follower_id, user_id, language)
       SELECT $1, r.email, r.follower_id, r.user_id, r.language
         FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[]) AS r (email, follower_id, user_id, language)
        WHERE NOT EXISTS (SELECT 1 FROM community_suppressions s WHERE s.email = r.email)
       ON CONFLICT (mailing_id, email) DO NOTHING`,
      [mailingId, chunk.map((r) => r.email), chunk.map((r) => r.followerId), chunk.map((r) => r.userId), chunk.map((r) => r.language)],
    );
  }
}

export async function findMailing(db: Queryable, id: string): Promise<MailingRow | undefined> {
  return (await db.query<MailingRow>('SELECT id, channel_id, kind, subject_id FROM community_mailings WHERE id = $1', [id]))[0];
}

/**
 * Takes the next `limit` deliveries to send, in address order, marking them `sending`, skipping `inFlight`
 * (the rows this run already holds). A row left `sending` by a killed worker is not in flight any more, so
 * it is taken again: if it was sent before the crash, it goes again with the same Message-ID; if it was
 * only claimed, it goes for the first time.
 */
export async function claimBatch(db: Queryable, mailingId: string, inFlight: readonly string[], limit: number): Promise<DeliveryRow[]> {
  const rows = await db.query<DeliveryRow>(
    `WITH next AS (
       SELECT email FROM community_deliveries
        WHERE mailing_id = $1 AND status IN ('queued', 'sending') AND email <> ALL($2::text[])
        ORDER BY email LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE community_deliveries d SET status = 'sending', attempts = d.attempts + 1
       FROM next WHERE d.mailing_id = $1 AND d.email = next.email
     RETURNING d.email, d.follower_id, d.user_id, d.language, d.status, d.attempts`,
    [mailingId, [...inFlight], limit],
  );
  return rows.sort((a, b) => (a.email < b.email ? -1 : 1));
}

export async function settleDelivery(db: Queryable, mailingId: string, email: string, outcome: { status: 'sent' | 'bounced' | 'failed' | 'queued'; error?: string; at: Date }): Promise<void> {
  await db.query(
    `UPDATE community_deliveries SET status = $3, last_error = $4, sent_at = CASE WHEN $3 = 'sent' THEN $5::timestamptz END
      WHERE mailing_id = $1 AND email = $2`,
    [mailingId, email, outcome.status, outcome.error?.slice(0, 1000) ?? null, outcome.at],
  );
}

/** Per-status counts of a mailing (the Studio's delivery counts). */
export async function deliveryCounts(db: Queryable, kind: MailingKind, subjectId: string): Promise<Record<DeliveryStatus, number>> {
  const rows = await db.query<{ status: DeliveryStatus; n: number }>(
    `SELECT d.status, count(*)::int AS n FROM community_deliveries d JOIN community_mailings m ON m.id = d.mailing_id
      WHERE m.kind = $1 AND m.subject_id = $2 GROUP BY d.status`,
    [kind, subjectId],
  );
  const out: Record<DeliveryStatus, number> = { queued: 0, sending: 0, sent: 0, bounced: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
