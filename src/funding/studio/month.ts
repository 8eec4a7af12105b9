// Calendar months as the revenue pages name them ("2026-11"), read in the site's time zone.

/** A calendar month: `month` is 1..12. */
export interface YearMonth {
  year: number;
  month: number;
}

/** The earliest month the ledger's statements accept. */
export const FIRST_MONTH: YearMonth = { year: 2000, month: 1 };

/** "2026-11". */
export function formatYearMonth({ year, month }: YearMonth): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The month `at` falls in, on a wall clock in `timeZone`. */
export function yearMonthIn(at: Date, timeZone: string): YearMonth {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(at);
  const part = (type: 'year' | 'month') => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month') };
}

/** `m` moved by `count` months (negative: back). */
export function addMonths(m: YearMonth, count: number): YearMonth {
  const index = m.year * 12 + (m.month - 1) + count;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** < 0 when `a` is before `b`, 0 when equal, > 0 after. */
export function compareYearMonth(a: YearMonth, b: YearMonth): number {
  return a.year * 12 + a.month - (b.year * 12 + b.month);
}

/** Why a `?month=` value was refused. */
export type MonthProblem = 'invalid' | 'future';

/**
 * Reads a `?month=YYYY-MM` value. Absent or empty means `current`. Refused: anything but four digits,
 * a dash and two digits; months outside 01..12; years before 2000 (the ledger's first); months after
 * `current` (nothing can have happened yet).
 */
export function parseMonthParam(value: string | undefined, current: YearMonth): { ok: true; month: YearMonth } | { ok: false; problem: MonthProblem } {
  if (value === undefined || value === '') return { ok: true, month: current };
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) return { ok: false, problem: 'invalid' };
  const month = { year: Number(match[1]), month: Number(match[2]) };
  if (month.month < 1 || month.month > 12 || compareYearMonth(month, FIRST_MONTH) < 0) return { ok: false, problem: 'invalid' };
  if (compareYearMonth(month, current) > 0) return { ok: false, problem: 'future' };
  return { ok: true, month };
}

/** The `count` months ending with `last` (never before FIRST_MONTH), as [first, last]. */
export function monthsEndingWith(last: YearMonth, count: number): [YearMonth, YearMonth] {
  const first = addMonths(last, -(count - 1));
  return [compareYearMonth(first, FIRST_MONTH) < 0 ? FIRST_MONTH : first, last];
}

/** "November 2026" / "novembre 2026". */
export function monthName({ year, month }: YearMonth, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** "Nov 26" / "nov. 26", for chart axes. */
export function shortMonthName({ year, month }: YearMonth, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** Parses "YYYY-MM" produced by the ledger (trusted). */
export function yearMonthOf(text: string): YearMonth {
  const [year, month] = text.split('-').map(Number);
  return { year: year!, month: month! };
}
