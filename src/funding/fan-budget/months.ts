// Months in the site's time zone: a fan-budget month runs from 00:00 on the 1st to 00:00 on the next 1st,
// local time, whatever the offset does in between (summer time) and however long the month is.

/** A month as `YYYY-MM`, the key of clicks, charges and settlements. */
export type MonthKey = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a well-formed `YYYY-MM`. */
export function isMonthKey(value: string): value is MonthKey {
  return MONTH.test(value);
}

function parts(month: MonthKey): [number, number] {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  return [Number(m[1]), Number(m[2])];
}

/** The month after `month`. */
export function nextMonth(month: MonthKey): MonthKey {
  const [y, m] = parts(month);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before `month`. */
export function previousMonth(month: MonthKey): MonthKey {
  const [y, m] = parts(month);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const get = (type: string) => Number(f.formatToParts(instant).find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The month `instant` falls in, in `timeZone`. */
export function monthOf(instant: Date, timeZone: string): MonthKey {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * When `month` begins: 00:00 on its 1st in `timeZone`. Found from the offset in force at that wall
 * time (asked twice, since the first guess may sit across a change of offset). Where midnight does not
 * exist that night (a zone that springs forward at 00:00), the month begins at the first instant after.
 */
export function monthStart(month: MonthKey, timeZone: string): Date {
  const [y, m] = parts(month);
  const wall = Date.UTC(y, m - 1, 1);
  let guess = wall - offsetAt(new Date(wall), timeZone);
  guess = wall - offsetAt(new Date(guess), timeZone);
  // A skipped midnight lands us in the previous month: move to where the new month's clock begins.
  if (monthOf(new Date(guess), timeZone) !== month) guess = wall - offsetAt(new Date(guess + 86_400_000), timeZone);
  return new Date(guess);
}

/** When `month` closes: the start of the next one. */
export function monthEnd(month: MonthKey, timeZone: string): Date {
  return monthStart(nextMonth(month), timeZone);
}

/** The latest month that has closed at `now`. */
export function lastClosedMonth(now: Date, timeZone: string): MonthKey {
  return previousMonth(monthOf(now, timeZone));
}
