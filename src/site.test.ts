import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock, createTestSite, type TestSite } from '../test/support/harness.js';
import { runDueJobsOnce } from './core/jobs/index.js';

describe('the site built from the capability list', () => {
  let site: TestSite;
  const clock = createManualClock(new Date('2026-12-01T10:00:30Z'));
  before(async () => {
    site = await createTestSite({ clock });
  });
  after(() => site.close());

  const queued = async (type: string) =>
    (await site.deps.db.query<{ run_at: Date }>(`SELECT run_at FROM jobs WHERE type = $1 AND status = 'queued' ORDER BY run_at`, [type])).map((r) => r.run_at.toISOString());

  it('schedules each recurring job once, however many processes start', async () => {
    await site.site.scheduleRecurring();
    await site.site.scheduleRecurring();
    assert.deepEqual(await queued('ledger.self_check'), ['2026-12-01T11:00:00.000Z']);
    assert.equal((await queued('federation.reconcile')).length, 1);
  });

  it('runs a recurring job and chains its next run', async () => {
    clock.advance(60 * 60 * 1000);
    await runDueJobsOnce({ db: site.deps.db, handlers: { 'ledger.self_check': site.handlers['ledger.self_check']! }, clock });
    assert.deepEqual(await queued('ledger.self_check'), ['2026-12-01T12:00:00.000Z']);
    const [check] = await site.deps.db.query<{ ok: boolean }>('SELECT ok FROM ledger_checks ORDER BY id DESC LIMIT 1');
    assert.equal(check?.ok, true);
  });
});
