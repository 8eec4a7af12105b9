// What a creator reads: each month's payments with every fee shown, refunds and disputes as their
// own lines, payouts, and balances that add up; and revenue per month and funding source for a chart.
import type { Queryable } from '../../core/db/index.js';
import { money, sumMoney, type Currency, type Money } from '../money.js';
import type { FundingSource, TransactionKind } from './post.js';
import { monthBounds, payableBefore, revenueRows, statementRows } from './queries.js';

/** One transaction on a creator's statement. Always gross − processorFee − platformFee = net. */
export interface StatementLine {
  transactionId: number;
  occurredAt: Date;
  kind: TransactionKind;
  source: FundingSource | null;
  description: string;
  provider: string | null;
  externalRef: string | null;
  /** Fan money in (negative for refunds and disputes: money going back). */
  gross: Money;
  processorFee: Money;
  platformFee: Money;
  /** Change in what the creator earned. */
  net: Money;
  /** Paid out to the creator (payout lines only). */
  paidOut: Money;
}

/** Sums of a statement's lines in one currency. */
export interface StatementTotals {
  gross: Money;
  processorFee: Money;
  platformFee: Money;
  net: Money;
  paidOut: Money;
}

/** One currency of a statement: opening + net − paid out = closing. */
export interface StatementSection {
  currency: Currency;
  opening: Money;
  lines: StatementLine[];
  totals: StatementTotals;
  closing: Money;
}

/** A creator's month. */
export interface MonthlyStatement {
  channelId: string;
  year: number;
  month: number;
  timeZone: string;
  from: Date;
  to: Date;
  /** Every line, all currencies, in time order. */
  lines: StatementLine[];
  /** One section per currency with money before or during the month. */
  sections: StatementSection[];
}

function assertTimeZone(timeZone: string): void {
  // Throws RangeError on an unknown zone before the database would abort the caller's transaction.
  new Intl.DateTimeFormat('en', { timeZone });
}

function assertMonth(year: number, month: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 9999 || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`invalid month ${year}-${month}`);
  }
}

/**
 * A creator's statement for one calendar month in `timeZone` (default UTC): each payment with gross,
 * processor fee, platform fee and net, refund and dispute lines, payouts, and per currency the opening
 * and closing balance. Exact to the cent: every figure is a sum of postings.
 */
export async function monthlyStatement(
  q: Queryable,
  channelId: string,
  year: number,
  month: number,
  options: { timeZone?: string } = {},
): Promise<MonthlyStatement> {
  const timeZone = options.timeZone ?? 'UTC';
  assertMonth(year, month);
  assertTimeZone(timeZone);
  const { from, to } = await monthBounds(q, year, month, timeZone);
  const lines = (await statementRows(q, channelId, from, to)).map((r): StatementLine => {
    const m = (amount: number) => money(amount, r.currency);
    return {
      transactionId: r.id,
      occurredAt: r.occurred_at,
      kind: r.kind as TransactionKind,
      source: r.source as FundingSource | null,
      description: r.description,
      provider: r.provider,
      externalRef: r.external_ref,
      gross: m(r.gross),
      processorFee: m(r.processor_fee),
      platformFee: m(r.platform_fee),
      net: m(r.net),
      paidOut: m(r.paid_out),
    };
  });
  const openings = new Map((await payableBefore(q, channelId, from)).map((r) => [r.currency, r.raw]));
  const currencies = [...new Set([...openings.keys(), ...lines.map((l) => l.gross.currency)])].sort();
  const sections = currencies.map((currency): StatementSection => {
    const own = lines.filter((l) => l.gross.currency === currency);
    const total = (pick: (l: StatementLine) => Money) => sumMoney(currency, own.map(pick));
    const totals = { gross: total((l) => l.gross), processorFee: total((l) => l.processorFee), platformFee: total((l) => l.platformFee), net: total((l) => l.net), paidOut: total((l) => l.paidOut) };
    const opening = money(openings.get(currency) ?? 0, currency);
    return { currency, opening, lines: own, totals, closing: money(opening.amount + totals.net.amount - totals.paidOut.amount, currency) };
  });
  return { channelId, year, month, timeZone, from, to, lines, sections };
}

/** Revenue of one currency for a chart: per funding source, one value per month, in minor units. */
export interface RevenueSeries {
  currency: Currency;
  /** "YYYY-MM", every month of the range, empty ones included. */
  months: string[];
  /** In source name order; only sources with money in the range. */
  sources: { source: FundingSource; gross: number[]; net: number[] }[];
}

function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const parse = (m: string) => {
    const match = /^(\d{4})-(\d{2})$/.exec(m);
    if (!match) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(m)}`);
    assertMonth(Number(match[1]), Number(match[2]));
    return Number(match[1]) * 12 + Number(match[2]) - 1;
  };
  const months: string[] = [];
  for (let i = parse(fromMonth); i <= parse(toMonth); i++) months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  if (months.length === 0 || months.length > 1200) throw new RangeError(`invalid month range ${fromMonth}..${toMonth}`);
  return months;
}

/**
 * A creator's gross and net revenue by month (in `timeZone`, default UTC) and funding source, from
 * `fromMonth` to `toMonth` inclusive ("YYYY-MM"). Refunds and disputes count in the month they happened,
 * under their payment's source. One series per currency.
 */
export async function revenueBySource(
  q: Queryable,
  channelId: string,
  fromMonth: string,
  toMonth: string,
  options: { timeZone?: string } = {},
): Promise<RevenueSeries[]> {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const months = monthsBetween(fromMonth, toMonth);
  const [first, last] = [months[0]!, months.at(-1)!].map((m) => m.split('-').map(Number) as [number, number]);
  const { from } = await monthBounds(q, first![0], first![1], timeZone);
  const { to } = await monthBounds(q, last![0], last![1], timeZone);
  const series = new Map<Currency, RevenueSeries>();
  for (const row of await revenueRows(q, channelId, from, to, timeZone)) {
    const currency = row.currency;
    const s = series.get(currency) ?? { currency, months, sources: [] };
    series.set(currency, s);
    let entry = s.sources.find((x) => x.source === row.source);
    if (!entry) {
      entry = { source: row.source as FundingSource, gross: months.map(() => 0), net: months.map(() => 0) };
      s.sources.push(entry);
    }
    const i = months.indexOf(row.month);
    entry.gross[i] = row.gross;
    entry.net[i] = row.net;
  }
  for (const s of series.values()) s.sources.sort((a, b) => (a.source < b.source ? -1 : 1));
  return [...series.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}
