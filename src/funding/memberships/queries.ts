import type { Queryable } from '../../core/db/index.js';
import { priceOf } from './periods.js';

export interface TierRow {
  id: string;
  channel_id: string;
  name: string;
  description: string;
  currency: string;
  monthly_price: number;
  yearly_price: number | null;
  members_only_videos: boolean;
  early_access_days: number;
  badge: boolean;
  rank: number;
  archived: boolean;
}

export type MembershipStatus = 'incomplete' | 'active' | 'past_due' | 'cancelled' | 'expired';
export type BillingInterval = 'month' | 'year';

export interface MembershipRow {
  id: string;
  channel_id: string;
  user_id: string;
  tier_id: string;
  billing_interval: BillingInterval;
  status: MembershipStatus;
  current_period_start: Date | null;
  current_period_end: Date | null;
  grace_until: Date | null;
  provider: string;
  customer_ref: string | null;
  payment_method_ref: string | null;
  renewal_failures: number;
  pending_tier_id: string | null;
  created_at: Date;
  cancelled_at: Date | null;
  ended_at: Date | null;
  /** Imported with a card this site's payment account cannot charge: no renewal until a method is confirmed. */
  payment_method_needed_since: Date | null;
}

const TIER_COLUMNS = 'id, channel_id, name, description, currency, monthly_price, yearly_price, members_only_videos, early_access_days, badge, rank, archived';
const MEMBERSHIP_COLUMNS = `id, channel_id, user_id, tier_id, billing_interval, status, current_period_start, current_period_end, grace_until,
  provider, customer_ref, payment_method_ref, renewal_failures, pending_tier_id, created_at, cancelled_at, ended_at, payment_method_needed_since`;

export async function listTiers(db: Queryable, channelId: string, includeArchived = false): Promise<TierRow[]> {
  return db.query<TierRow>(
    `SELECT ${TIER_COLUMNS} FROM membership_tiers WHERE channel_id = $1 ${includeArchived ? '' : 'AND NOT archived'} ORDER BY rank, monthly_price`,
    [channelId],
  );
}

export async function findTier(db: Queryable, id: string): Promise<TierRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return (await db.query<TierRow>(`SELECT ${TIER_COLUMNS} FROM membership_tiers WHERE id = $1`, [id]))[0];
}

export interface TierFields {
  name: string;
  description: string;
  currency: string;
  monthlyPrice: number;
  yearlyPrice: number | null;
  membersOnlyVideos: boolean;
  earlyAccessDays: number;
  badge: boolean;
  rank: number;
}

export async function insertTier(db: Queryable, channelId: string, f: TierFields): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO membership_tiers (channel_id, name, description, currency, monthly_price, yearly_price, members_only_videos, early_access_days, badge, rank)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [channelId, f.name, f.description, f.currency, f.monthlyPrice, f.yearlyPrice, f.membersOnlyVideos, f.earlyAccessDays, f.badge, f.rank],
  );
  return rows[0]!.id;
}

export async function updateTier(db: Queryable, id: string, f: TierFields): Promise<void> {
  await db.query(
    `UPDATE membership_tiers SET name = $2, description = $3, currency = $4, monthly_price = $5, yearly_price = $6,
            members_only_videos = $7, early_access_days = $8, badge = $9, rank = $10 WHERE id = $1`,
    [id, f.name, f.description, f.currency, f.monthlyPrice, f.yearlyPrice, f.membersOnlyVideos, f.earlyAccessDays, f.badge, f.rank],
  );
}

export async function setTierArchived(db: Queryable, id: string, archived: boolean): Promise<void> {
  await db.query('UPDATE membership_tiers SET archived = $2 WHERE id = $1', [id, archived]);
}

/**
 * Serializes, until the transaction ends, everything that changes which membership of a channel a fan
 * has live (joining, a paid checkout): concurrent joins then never both insert a live row.
 */
export async function lockFanMemberships(tx: Queryable, channelId: string, userId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`memberships:${channelId}:${userId}`]);
}

/** The fan's current (not expired) membership of a channel, if any. */
export async function liveMembership(db: Queryable, channelId: string, userId: string): Promise<MembershipRow | undefined> {
  const rows = await db.query<MembershipRow>(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE channel_id = $1 AND user_id = $2 AND status <> 'expired'`,
    [channelId, userId],
  );
  return rows[0];
}

export async function findMembership(db: Queryable, id: string): Promise<MembershipRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return (await db.query<MembershipRow>(`SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE id = $1`, [id]))[0];
}

export interface MemberListRow extends MembershipRow {
  email: string;
  display_name: string;
  tier_name: string;
  /** What one period costs (priceOf), null when the tier no longer has a price for the interval. */
  price: number | null;
  currency: string;
}

/** Everyone who is or was a member (had a paid period: abandoned checkouts never were), newest first, with what they pay. */
export async function listMembers(db: Queryable, channelId: string): Promise<MemberListRow[]> {
  const rows = await db.query<Omit<MemberListRow, 'price'> & Pick<TierRow, 'monthly_price' | 'yearly_price'>>(
    `SELECT ${MEMBERSHIP_COLUMNS.split(',').map((c) => `m.${c.trim()}`).join(', ')}, u.email, u.display_name, t.name AS tier_name,
            t.monthly_price, t.yearly_price, t.currency
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN membership_tiers t ON t.id = m.tier_id
      WHERE m.channel_id = $1 AND m.current_period_start IS NOT NULL
      ORDER BY m.created_at DESC LIMIT 5000`,
    [channelId],
  );
  return rows.map(({ monthly_price, yearly_price, ...row }) => ({ ...row, price: priceOf({ monthly_price, yearly_price }, row.billing_interval) ?? null }));
}

/** A membership as a notification tells it: who, which tier, and whether it ever had a paid period. */
export interface MembershipSummary {
  status: MembershipStatus;
  fan: string;
  tier: string;
  /** False for a checkout never paid: it never was a membership. */
  paid: boolean;
  currentPeriodEnd: Date | null;
}

export async function findMembershipSummary(db: Queryable, id: string): Promise<MembershipSummary | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const rows = await db.query<MembershipSummary>(
    `SELECT m.status, u.display_name AS fan, t.name AS tier, m.current_period_start IS NOT NULL AS paid, m.current_period_end AS "currentPeriodEnd"
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN membership_tiers t ON t.id = m.tier_id WHERE m.id = $1`,
    [id],
  );
  return rows[0];
}
