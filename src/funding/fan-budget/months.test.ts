import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastClosedMonth, monthEnd, monthOf, monthStart, nextMonth, previousMonth } from './months.js';

describe('fan-budget months in the site time zone', () => {
  it('starts a Paris month at local midnight, in winter (UTC+1) and in summer (UTC+2)', () => {
    assert.equal(monthStart('2026-12', 'Europe/Paris').toISOString(), '2026-11-30T23:00:00.000Z');
    assert.equal(monthStart('2026-07', 'Europe/Paris').toISOString(), '2026-06-30T22:00:00.000Z');
  });

  it('gives the months across a summer-time change their true length (March 2026 is 743 hours in Paris, October 745)', () => {
    const hours = (m: string) => (monthEnd(m, 'Europe/Paris').getTime() - monthStart(m, 'Europe/Paris').getTime()) / 3_600_000;
    assert.equal(hours('2026-03'), 31 * 24 - 1);
    assert.equal(hours('2026-10'), 31 * 24 + 1);
    assert.equal(hours('2026-11'), 30 * 24);
  });

  it('knows February has 29 days in a leap year and 28 otherwise', () => {
    const days = (m: string) => (monthEnd(m, 'UTC').getTime() - monthStart(m, 'UTC').getTime()) / 86_400_000;
    assert.equal(days('2028-02'), 29);
    assert.equal(days('2026-02'), 28);
    assert.equal(days('2000-02'), 29);
    assert.equal(days('2100-02'), 28);
  });

  it('puts the instant of the close in the new month, and one millisecond before in the old one', () => {
    const close = monthEnd('2026-11', 'America/New_York');
    assert.equal(monthOf(close, 'America/New_York'), '2026-12');
    assert.equal(monthOf(new Date(close.getTime() - 1), 'America/New_York'), '2026-11');
    assert.equal(lastClosedMonth(close, 'America/New_York'), '2026-11');
  });

  it('handles a zone whose clocks skip midnight (Santiago springs forward at 00:00 in September)', () => {
    const start = monthStart('2024-09', 'America/Santiago');
    assert.equal(monthOf(start, 'America/Santiago'), '2024-09');
    assert.equal(monthOf(new Date(start.getTime() - 1), 'America/Santiago'), '2024-08');
  });

  it('wraps years both ways', () => {
    assert.equal(nextMonth('2026-12'), '2027-01');
    assert.equal(previousMonth('2027-01'), '2026-12');
  });
});
