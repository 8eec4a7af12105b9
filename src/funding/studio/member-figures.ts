// The members page's key figures: how many members, what they bring each month, and how many left.
import type { Queryable } from '../../core/db/index.js';
import { isCurrency, money, type Money } from '../money.js';
import { channelCurrency, churnCounts, countMembershipsByStatus, recurringRevenue, type ChurnCounts } from './queries.js';

/** The churn window: the last 30 days. */
export const CHURN_WINDOW_DAYS = 30;

/** A channel's membership figures at one instant. */
export interface MemberFigures {
  /** Memberships per status (active, past_due, cancelled, expired). */
  byStatus: Record<string, number>;
  /** Monthly recurring revenue per currency, in currency order; zero of the channel's currency when none. */
  mrr: Money[];
  churn: ChurnCounts & { from: Date; to: Date; rate: number | null };
}

/**
 * Monthly recurring revenue from twelve times its value: rounded to the nearest minor unit, an exact
 * half going up. Rounding once, on the channel's total, means yearly prices divided by 12 never
 * accumulate per-member rounding errors.
 */
export function mrrFromTwelfths(twelfths: number): number {
  return Number((BigInt(twelfths) + 6n) / 12n);
}

/** Members who ended in the window over members at its start; null when nobody was a member then. */
export function churnRate({ atStart, ended }: ChurnCounts): number | null {
  return atStart === 0 ? null : ended / atStart;
}

/** Loads a channel's figures, with `now` closing the churn window. */
export async function memberFigures(db: Queryable, channelId: string, now: Date): Promise<MemberFigures> {
  const from = new Date(now.getTime() - CHURN_WINDOW_DAYS * 86_400_000);
  const byStatus = await countMembershipsByStatus(db, channelId);
  const mrr = (await recurringRevenue(db, channelId))
    .filter((row) => isCurrency(row.currency))
    .map((row) => money(mrrFromTwelfths(row.twelfths), row.currency));
  if (mrr.length === 0) {
    const currency = (await channelCurrency(db, channelId)) ?? 'EUR';
    mrr.push(money(0, isCurrency(currency) ? currency : 'EUR'));
  }
  const counts = await churnCounts(db, channelId, from, now);
  return { byStatus, mrr, churn: { ...counts, from, to: now, rate: churnRate(counts) } };
}
