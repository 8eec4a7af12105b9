// Balances are computed from the postings every time (an index covers the sum): nothing cached can
// drift from the journal.
import type { Queryable } from '../../core/db/index.js';
import { isCurrency, money, UnsupportedCurrencyError, type Currency, type Money } from '../money.js';
import { currencyOfCode } from './accounts.js';
import { accountBalance, channelAccountBalances } from './queries.js';

/**
 * The balance of an account, on its normal side: positive in the usual case (money received through a
 * clearing account, fees taken, money held for a creator), zero for an account nothing reached yet.
 * A negative creator payable balance means the creator owes that much (see channelBalances).
 */
export async function balanceOf(q: Queryable, accountCode: string): Promise<Money> {
  const currency = currencyOfCode(accountCode);
  if (!isCurrency(currency)) throw new UnsupportedCurrencyError(currency);
  const row = await accountBalance(q, accountCode);
  if (!row) return money(0, currency);
  return money(row.normal_side === 'credit' ? -row.raw : row.raw, currency);
}

/** A creator's money in one currency. */
export interface ChannelBalance {
  currency: Currency;
  /**
   * Held for the creator, not paid out yet. Negative when refunds or disputes came after a payout:
   * the creator owes that amount; it is shown as such ("−4.50 € to be deducted from future earnings")
   * and recovered from the next payments before any payout.
   */
  payable: Money;
  /** Everything paid out so far. */
  paidOut: Money;
  /** Net earned over all time: payable + paid out. */
  earned: Money;
  /** True when `payable` is negative. */
  owes: boolean;
}

/** A creator's balances, one entry per currency they ever received, in currency order. */
export async function channelBalances(q: Queryable, channelId: string): Promise<ChannelBalance[]> {
  const rows = await channelAccountBalances(q, channelId);
  const byCurrency = new Map<Currency, { payable: number; paidOut: number }>();
  for (const row of rows) {
    const currency = row.currency;
    const entry = byCurrency.get(currency) ?? { payable: 0, paidOut: 0 };
    if (row.kind === 'creator_payable') entry.payable += row.raw;
    if (row.kind === 'creator_paid_out') entry.paidOut += row.raw;
    byCurrency.set(currency, entry);
  }
  return [...byCurrency].map(([currency, { payable, paidOut }]) => ({
    currency,
    payable: money(payable, currency),
    paidOut: money(paidOut, currency),
    earned: money(payable + paidOut, currency),
    owes: payable < 0,
  }));
}
