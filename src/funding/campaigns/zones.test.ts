import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantOfWallTime, isTimeZone, wallTimeIn } from './zones.js';

describe('deadlines in an explicit time zone', () => {
  it('reads a wall time in its zone, in summer and in winter', () => {
    assert.equal(instantOfWallTime('2026-07-01T12:00', 'Europe/Paris')!.toISOString(), '2026-07-01T10:00:00.000Z');
    assert.equal(instantOfWallTime('2026-12-01T12:00', 'Europe/Paris')!.toISOString(), '2026-12-01T11:00:00.000Z');
    assert.equal(instantOfWallTime('2026-11-30T20:00', 'America/Montreal')!.toISOString(), '2026-12-01T01:00:00.000Z');
    assert.equal(instantOfWallTime('2026-06-01T00:00', 'Asia/Kolkata')!.toISOString(), '2026-05-31T18:30:00.000Z');
  });

  it('takes the earlier instant of a wall time that happens twice (clocks going back)', () => {
    assert.equal(instantOfWallTime('2026-10-25T02:30', 'Europe/Paris')!.toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(instantOfWallTime('2026-11-01T01:30', 'America/New_York')!.toISOString(), '2026-11-01T05:30:00.000Z');
  });

  it('refuses a wall time that never happens (clocks going forward) and malformed input', () => {
    assert.equal(instantOfWallTime('2026-03-29T02:30', 'Europe/Paris'), undefined);
    assert.equal(instantOfWallTime('2026-03-08T02:15', 'America/New_York'), undefined);
    for (const bad of ['2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01 10:00', '', '2026-01-01T24:00']) assert.equal(instantOfWallTime(bad, 'UTC'), undefined, bad);
  });

  it('shows an instant in the zone, and knows zone names', () => {
    assert.equal(wallTimeIn(new Date('2026-10-31T10:00:00Z'), 'Europe/Paris'), '2026-10-31T11:00');
    assert.equal(isTimeZone('Europe/Paris'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
    assert.equal(isTimeZone('Europe/Paris\u0000'), false);
  });
});
