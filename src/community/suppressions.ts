/**
 * Addresses the site writes to no more: they bounced (a 5xx at send time, or a delivery status
 * notification) or their owner complained (an abuse report through a feedback loop). The list is the
 * site's, not a channel's: an address that bounces bounces for every channel. Mailings leave these
 * addresses out when they are queued (`insertDeliveries`), and what was still queued for them stops.
 */
import { createHmac } from 'node:crypto';
import type { Queryable } from '../core/db/index.js';
import { safeEqual } from '../core/crypto.js';

export type SuppressionReason = 'bounced' | 'complained';

export interface SuppressionRow {
  email: string;
  reason: SuppressionReason;
  detail: string;
  at: Date;
}

/**
 * Records that an address bounced or complained, ends the e-mail follows of it (bounced: `bounced`;
 * complained: `unsubscribed`, the fan asked to stop through their mail client) and marks what was still
 * queued for it. True when the address was not suppressed before.
 */
export async function suppressAddress(db: Queryable, s: { email: string; reason: SuppressionReason; detail: string; at: Date }): Promise<boolean> {
  const email = s.email.toLowerCase();
  const before = await db.query('SELECT 1 FROM community_suppressions WHERE email = $1', [email]);
  await db.query(
    `INSERT INTO community_suppressions (email, reason, detail, at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO UPDATE SET reason = $2, detail = $3, at = $4`,
    [email, s.reason, s.detail.slice(0, 200), s.at],
  );
  await db.query(
    `UPDATE community_followers SET status = $2, updated_at = $3 WHERE email = $1 AND status IN ('unconfirmed', 'active')`,
    [email, s.reason === 'bounced' ? 'bounced' : 'unsubscribed', s.at],
  );
  await db.query(`UPDATE community_deliveries SET status = 'bounced', last_error = $2 WHERE email = $1 AND status = 'queued'`, [email, `${s.reason} ${s.detail}`.slice(0, 1000)]);
  return before.length === 0;
}

export async function isSuppressed(db: Queryable, email: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM community_suppressions WHERE email = $1', [email.toLowerCase()])).length > 0;
}

/** The suppressed addresses a channel wrote to or that follow it (the Studio's list), newest first. */
export async function channelSuppressions(db: Queryable, channelId: string, limit = 200): Promise<SuppressionRow[]> {
  return db.query<SuppressionRow>(
    `SELECT s.email, s.reason, s.detail, s.at FROM community_suppressions s
      WHERE EXISTS (SELECT 1 FROM community_followers f WHERE f.channel_id = $1 AND f.email = s.email)
         OR EXISTS (SELECT 1 FROM community_deliveries d JOIN community_mailings m ON m.id = d.mailing_id WHERE m.channel_id = $1 AND d.email = s.email)
      ORDER BY s.at DESC LIMIT $2`,
    [channelId, limit],
  );
}

/** The VERP tag of a recipient: 20 hex digits of an HMAC of the address (a bounce names only addresses we wrote to). */
export function verpTag(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`community-bounce:${email.toLowerCase()}`).digest('hex').slice(0, 20);
}

/** The envelope sender of a message to `email`: `bounces+<tag>@domain` from BOUNCE_ADDRESS `bounces@domain`. */
export function returnPathFor(secret: string, bounceAddress: string, email: string): string {
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${verpTag(secret, email)}@${bounceAddress.slice(at + 1)}`;
}

/** The VERP tag in an address written to (`bounces+<tag>@domain`), if it is one of ours. */
export function tagOfReturnPath(bounceAddress: string, address: string): string | undefined {
  const at = bounceAddress.lastIndexOf('@');
  const local = bounceAddress.slice(0, at);
  const domain = bounceAddress.slice(at + 1);
  const m = /^([^@+\s]+)\+([0-9a-f]{20})@([^@\s>]+)$/i.exec(address.trim());
  return m && m[1]!.toLowerCase() === local && m[3]!.toLowerCase() === domain ? m[2]!.toLowerCase() : undefined;
}

export function tagMatches(secret: string, tag: string, email: string): boolean {
  return safeEqual(verpTag(secret, email), tag);
}
