import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, monthsEndingWith, parseMonthParam, yearMonthIn } from './month.js';

const NOV_2026 = { year: 2026, month: 11 };

describe('revenue months', () => {
  it('reads YYYY-MM and defaults to the current month', () => {
    assert.deepEqual(parseMonthParam('2026-03', NOV_2026), { ok: true, month: { year: 2026, month: 3 } });
    assert.deepEqual(parseMonthParam(undefined, NOV_2026), { ok: true, month: NOV_2026 });
    assert.deepEqual(parseMonthParam('', NOV_2026), { ok: true, month: NOV_2026 });
    assert.deepEqual(parseMonthParam('2026-11', NOV_2026), { ok: true, month: NOV_2026 });
    assert.deepEqual(parseMonthParam('2000-01', NOV_2026), { ok: true, month: { year: 2000, month: 1 } });
  });

  it('refuses malformed and impossible months, and months to come', () => {
    for (const bad of ['2026-13', '2026-00', '1999-12', '2026-1', '26-11', '2026/11', '2026-11-01', ' 2026-11', 'abc', '２０２６-１１']) {
      assert.deepEqual(parseMonthParam(bad, NOV_2026), { ok: false, problem: 'invalid' }, bad);
    }
    assert.deepEqual(parseMonthParam('2026-12', NOV_2026), { ok: false, problem: 'future' });
    assert.deepEqual(parseMonthParam('9999-12', NOV_2026), { ok: false, problem: 'future' });
  });

  it('moves across years and names the month on the site’s wall clock', () => {
    assert.deepEqual(addMonths({ year: 2026, month: 1 }, -1), { year: 2025, month: 12 });
    assert.deepEqual(addMonths({ year: 2025, month: 12 }, 1), { year: 2026, month: 1 });
    assert.deepEqual(addMonths(NOV_2026, -11), { year: 2025, month: 12 });
    // 23:30 UTC on 31 October is already November in Paris.
    const late = new Date('2026-10-31T23:30:00Z');
    assert.deepEqual(yearMonthIn(late, 'UTC'), { year: 2026, month: 10 });
    assert.deepEqual(yearMonthIn(late, 'Europe/Paris'), NOV_2026);
  });

  it('covers twelve months for the chart, never before the ledger’s first month', () => {
    assert.deepEqual(monthsEndingWith(NOV_2026, 12), [{ year: 2025, month: 12 }, NOV_2026]);
    assert.deepEqual(monthsEndingWith({ year: 2000, month: 3 }, 12), [{ year: 2000, month: 1 }, { year: 2000, month: 3 }]);
  });
});
