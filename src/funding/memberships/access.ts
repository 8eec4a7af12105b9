import type { Queryable } from '../../core/db/index.js';

/** What a fan's membership of a channel grants right now. */
export interface MembershipAccess {
  isMember: boolean;
  /** Days before public release that this member may watch (0 without early access). */
  earlyAccessDays: number;
  /** Shown next to the fan's comments. */
  badge: boolean;
  tierName?: string;
}

export const NO_MEMBERSHIP: MembershipAccess = { isMember: false, earlyAccessDays: 0, badge: false };

/**
 * A membership grants access while it is paid up: active, cancelled but not yet at its period end, or
 * past due within its grace period. Checked on every request that serves members-only content.
 */
export async function membershipAccess(db: Queryable, userId: string | undefined, channelId: string, now: Date): Promise<MembershipAccess> {
  if (!userId) return NO_MEMBERSHIP;
  const rows = await db.query<{ members_only_videos: boolean; early_access_days: number; badge: boolean; name: string }>(
    `SELECT t.members_only_videos, t.early_access_days, t.badge, t.name
       FROM memberships m JOIN membership_tiers t ON t.id = m.tier_id
      WHERE m.channel_id = $1 AND m.user_id = $2
        AND ((m.status IN ('active', 'cancelled') AND m.current_period_end > $3)
          OR (m.status = 'past_due' AND m.grace_until > $3))
      LIMIT 1`,
    [channelId, userId, now],
  );
  const tier = rows[0];
  if (!tier) return NO_MEMBERSHIP;
  return { isMember: tier.members_only_videos, earlyAccessDays: tier.early_access_days, badge: tier.badge, tierName: tier.name };
}

/** A paid-up member of a channel (see {@link membershipAccess} for what paid up means), with their address. */
export interface LiveMember {
  user_id: string;
  email: string;
  language: 'en' | 'fr' | null;
  tier_id: string;
  tier_name: string;
  /** The tier shows a badge next to the member's comments. */
  badge: boolean;
}

/** Paid-up members of a channel, of the given tiers only when `tierIds` is not empty, optionally among `userIds`. */
export async function liveMembers(db: Queryable, channelId: string, now: Date, filter: { tierIds?: readonly string[]; userIds?: readonly string[] } = {}): Promise<LiveMember[]> {
  return db.query<LiveMember>(
    `SELECT m.user_id, u.email, u.language, t.id AS tier_id, t.name AS tier_name, t.badge
       FROM memberships m JOIN membership_tiers t ON t.id = m.tier_id JOIN users u ON u.id = m.user_id
      WHERE m.channel_id = $1
        AND ((m.status IN ('active', 'cancelled') AND m.current_period_end > $2) OR (m.status = 'past_due' AND m.grace_until > $2))
        AND (cardinality($3::uuid[]) = 0 OR t.id = ANY($3::uuid[]))
        AND ($4::uuid[] IS NULL OR m.user_id = ANY($4::uuid[]))
      ORDER BY u.email`,
    [channelId, now, filter.tierIds ?? [], filter.userIds ?? null],
  );
}
