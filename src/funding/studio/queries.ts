// Reads the money pages need beyond memberships/queries.ts: the figures about a channel's members.
import type { Queryable } from '../../core/db/index.js';

/** The channel's usual currency (the one new tiers start in). */
export async function channelCurrency(db: Queryable, channelId: string): Promise<string | undefined> {
  const rows = await db.query<{ currency: string }>('SELECT currency FROM channels WHERE id = $1', [channelId]);
  return rows[0]?.currency;
}

/** Memberships of a tier that are not over (checkout started, paying, failing or cancelled but running). */
export async function countLiveMembershipsOfTier(db: Queryable, tierId: string): Promise<number> {
  const rows = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM memberships WHERE tier_id = $1 AND status <> 'expired'`, [tierId]);
  return rows[0]?.count ?? 0;
}

/**
 * How many memberships of the channel are in each status. Checkouts never paid count nowhere, even once
 * a new checkout closed them as expired: a membership is one once it had a paid period.
 */
export async function countMembershipsByStatus(db: Queryable, channelId: string): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; count: number }>(
    `SELECT status, count(*)::int AS count FROM memberships WHERE channel_id = $1 AND current_period_start IS NOT NULL GROUP BY status`,
    [channelId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

/** Per currency: twelve times the monthly recurring revenue, in minor units, and how many memberships make it. */
export interface RecurringRow {
  currency: string;
  /** Σ monthly price × 12 for monthly members + Σ yearly price for yearly ones: MRR × 12, exact. */
  twelfths: number;
  memberships: number;
}

/**
 * What active and past-due memberships bring each month, times twelve so it stays an exact integer.
 * A yearly member whose tier no longer offers a yearly price counts at twelve monthly prices.
 */
export async function recurringRevenue(db: Queryable, channelId: string): Promise<RecurringRow[]> {
  return db.query<RecurringRow>(
    `SELECT t.currency,
            sum(CASE WHEN m.billing_interval = 'year' THEN coalesce(t.yearly_price, t.monthly_price * 12) ELSE t.monthly_price * 12 END)::bigint AS twelfths,
            count(*)::int AS memberships
       FROM memberships m JOIN membership_tiers t ON t.id = m.tier_id
      WHERE m.channel_id = $1 AND m.status IN ('active', 'past_due')
      GROUP BY t.currency ORDER BY t.currency`,
    [channelId],
  );
}

/** The churn window's counts: members at its start, and how many of them ended inside it. */
export interface ChurnCounts {
  atStart: number;
  ended: number;
}

/**
 * Members at `from` are memberships that had started (a paid period exists and it was created at or
 * before `from`) and had not ended by then. Of those, `ended` counts the ones that expired in
 * [from, to). Abandoned checkouts never had a paid period, so they count nowhere.
 */
export async function churnCounts(db: Queryable, channelId: string, from: Date, to: Date): Promise<ChurnCounts> {
  const rows = await db.query<{ at_start: number; ended: number }>(
    `SELECT count(*)::int AS at_start,
            (count(*) FILTER (WHERE status = 'expired' AND ended_at >= $2 AND ended_at < $3))::int AS ended
       FROM memberships
      WHERE channel_id = $1 AND current_period_start IS NOT NULL AND created_at <= $2
        AND (ended_at IS NULL OR ended_at > $2)`,
    [channelId, from, to],
  );
  return { atStart: rows[0]?.at_start ?? 0, ended: rows[0]?.ended ?? 0 };
}
