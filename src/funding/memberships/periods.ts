import type { BillingInterval, TierRow } from './queries.js';

/** Days a past-due membership keeps access while renewals are retried. */
export const GRACE_DAYS = 7;
/** When failed renewals are tried again, counted from the first failure, in days. */
export const RETRY_AFTER_DAYS = [1, 3, 6] as const;

/**
 * What one period of a membership of `tier` costs, in minor units of the tier's currency: the monthly
 * price, or the yearly price for a yearly membership (undefined when the tier has none). The one rule:
 * joining, renewing, upgrading, the dunning e-mail and the pages listing memberships all use it.
 */
export function priceOf(tier: Pick<TierRow, 'monthly_price' | 'yearly_price'>, interval: BillingInterval): number | undefined {
  return interval === 'year' ? (tier.yearly_price ?? undefined) : tier.monthly_price;
}

/** The end of a period that starts at `start`: same day next month (clamped to the month's end) or next year. */
export function periodEnd(start: Date, interval: BillingInterval): Date {
  const end = new Date(start);
  if (interval === 'year') {
    end.setUTCFullYear(end.getUTCFullYear() + 1);
    if (end.getUTCDate() !== start.getUTCDate()) end.setUTCDate(0); // 29 Feb → 28 Feb
    return end;
  }
  const day = start.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}

/**
 * What an upgrade costs now: the price difference for the part of the period left, in minor units,
 * rounded up to the cent (the fan never pays less than a cent of the difference, and never more).
 * A downgrade costs nothing now and takes effect at the next renewal.
 */
export function prorateUpgrade(oldPrice: number, newPrice: number, periodStart: Date, periodEndAt: Date, now: Date): number {
  if (newPrice <= oldPrice) return 0;
  const total = periodEndAt.getTime() - periodStart.getTime();
  const left = Math.max(0, Math.min(total, periodEndAt.getTime() - now.getTime()));
  if (total <= 0 || left === 0) return 0;
  // Integer arithmetic on milliseconds: (difference × left) / total, rounded up.
  const numerator = BigInt(newPrice - oldPrice) * BigInt(left);
  const denominator = BigInt(total);
  return Number((numerator + denominator - 1n) / denominator);
}
