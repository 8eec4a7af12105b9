import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createManualClock, createTestSite, openTestDb, type TestSite } from '../../../test/support/harness.js';
import type { Db, Queryable } from '../../core/db/index.js';
import { enqueue, getJob, runDueJobsOnce } from '../../core/jobs/index.js';
import { MODULES } from '../../modules.js';
import { buildSite } from '../../site.js';
import { money } from '../money.js';
import { recordPayment } from './payments.js';
import { latestLedgerCheck, LEDGER_CHECKS_KEPT, LEDGER_SELF_CHECK_JOB, ledgerSelfCheckJob, withLedgerSelfCheck } from './self-check.js';
import { at, createChannel, newKey } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** A real pino logger whose lines the test reads back. */
function recordingLog() {
  const lines: { level: number; msg: string; ledgerCheck?: { trigger: string; findingCount: number; findings: { check: string }[] } }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, errors: () => lines.filter((l) => l.level >= 50) };
}

/**
 * Corrupts the books the way no ledger function would: a balanced "fee adjustment" paying a creator
 * 5.00 € out of the platform's fees, which never held them (the platform-fee account ends below zero).
 * Balanced per currency and creator, so the database's own checks let it through; only the self-check
 * sees money that came from nowhere.
 */
async function corruptLedger(db: Db, channelId: string): Promise<void> {
  await db.transaction(async (tx: Queryable) => {
    await tx.query(
      `INSERT INTO ledger_accounts (code, kind, currency, normal_side, channel_id, provider) VALUES
         ('platform:fees:EUR', 'platform_fees', 'EUR', 'debit', NULL, NULL),
         ($1, 'creator_payable', 'EUR', 'debit', $2, NULL)
       ON CONFLICT (code) DO NOTHING`,
      [`creator:${channelId}:payable:EUR`, channelId],
    );
    const [t] = await tx.query<{ id: number }>(
      `INSERT INTO ledger_transactions (idempotency_key, request_hash, kind, channel_id, occurred_at) VALUES ($1, repeat('0', 64), 'fee_adjustment', $2, now()) RETURNING id`,
      [newKey('corrupt'), channelId],
    );
    await tx.query(
      `INSERT INTO ledger_postings (transaction_id, line, account_id, currency, amount, channel_id)
       SELECT $1::bigint, 1, id, 'EUR', -500, $2::uuid FROM ledger_accounts WHERE code = 'platform:fees:EUR'
       UNION ALL SELECT $1::bigint, 2, id, 'EUR', 500, $2::uuid FROM ledger_accounts WHERE code = $3`,
      [t!.id, channelId, `creator:${channelId}:payable:EUR`],
    );
  });
}

describe(`ledger self-check (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let channelId = '';
  const clock = createManualClock(at(11, 21));
  const recorder = recordingLog();
  const deps = () => ({ db, log: recorder.log, clock });
  const runSelfCheckJob = async () => {
    const { job } = await enqueue(db, { type: LEDGER_SELF_CHECK_JOB }, clock);
    await runDueJobsOnce({ db, clock, handlers: { [LEDGER_SELF_CHECK_JOB]: ledgerSelfCheckJob(deps()) } });
    return getJob(db, job.id);
  };

  before(async () => {
    ({ db, drop } = await openTestDb());
    channelId = await createChannel(db);
    await recordPayment(db, {
      idempotencyKey: newKey(),
      channelId,
      source: 'tip',
      provider: 'test',
      externalRef: newKey('ch'),
      gross: money(1000, 'EUR'),
      processorFee: money(40, 'EUR'),
      platformFeeBps: 0,
      occurredAt: at(11, 20),
    });
  });
  after(() => drop());

  it('records a healthy run of the periodic job and logs no error', async () => {
    const job = await runSelfCheckJob();
    assert.equal(job?.status, 'succeeded');
    assert.deepEqual(job?.result, { ok: true, findingCount: 0 });
    const check = await latestLedgerCheck(db);
    assert.deepEqual({ ...check, id: 0 }, { id: 0, checkedAt: at(11, 21), trigger: LEDGER_SELF_CHECK_JOB, ok: true, findingCount: 0, findings: [] });
    assert.deepEqual(recorder.errors(), []);
  });

  it('passes a wrapped job’s result and error through, and checks after both', async () => {
    const before = (await latestLedgerCheck(db))!.id;
    const wrapped = withLedgerSelfCheck(deps(), 'test.money_job', async () => ({ moved: 1 }));
    const failing = withLedgerSelfCheck(deps(), 'test.money_job', async () => {
      throw new Error('bank down');
    });
    const context = { job: {} as never, signal: new AbortController().signal, reportProgress: async () => undefined };
    assert.deepEqual(await wrapped(context), { moved: 1 });
    await assert.rejects(failing(context), /bank down/);
    const rows = await db.query<{ trigger: string }>('SELECT trigger FROM ledger_checks WHERE id > $1 ORDER BY id', [before]);
    assert.deepEqual(rows.map((r) => r.trigger), ['test.money_job', 'test.money_job']);
  });

  it('records the findings and logs an error when a corrupted row is in the journal', async () => {
    await corruptLedger(db, channelId);
    const job = await runSelfCheckJob();
    assert.equal(job?.status, 'succeeded', 'findings are reported, not retried');
    assert.deepEqual(job?.result, { ok: false, findingCount: 1 });
    const check = (await latestLedgerCheck(db))!;
    assert.equal(check.ok, false);
    assert.deepEqual(check.findings, [{ check: 'balance_on_wrong_side', detail: { code: 'platform:fees:EUR', raw: -500 } }]);
    const [error] = recorder.errors();
    assert.match(error!.msg, /LEDGER SELF-CHECK FAILED after ledger\.self_check: 1 problem\(s\).*balance_on_wrong_side/);
    assert.deepEqual(error!.ledgerCheck, { trigger: LEDGER_SELF_CHECK_JOB, findingCount: 1, findings: check.findings });
  });

  it(`keeps the latest ${LEDGER_CHECKS_KEPT} checks only`, async () => {
    await db.query(
      `INSERT INTO ledger_checks (checked_at, trigger, ok, finding_count) SELECT $1, 'test.filler', true, 0 FROM generate_series(1, $2::int)`,
      [at(11, 1), LEDGER_CHECKS_KEPT + 5],
    );
    await runSelfCheckJob();
    const [kept] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM ledger_checks');
    assert.equal(kept!.count, LEDGER_CHECKS_KEPT);
    assert.equal((await latestLedgerCheck(db))!.trigger, LEDGER_SELF_CHECK_JOB);
  });
});

describe(`money jobs end with the ledger self-check (${ENGINE})`, () => {
  let site: TestSite;
  const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));

  before(async () => {
    site = await createTestSite({ clock });
    await new TestClient(site.app).post('/setup', setupFields({ channel_language: 'en' }));
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds)
       SELECT 'PublicVid1', id, 'Video', 'ready', 'public', 'videos/PublicVid1/hls', 10 FROM channels`,
    );
  });
  after(() => site.close());

  /** A 5.00 € tip paid on the test bank; its webhook waits in the queue as a payments.test_webhook job. */
  async function tip(): Promise<void> {
    const fan = new TestClient(site.app);
    await fan.get('/v/PublicVid1');
    const start = await fan.post('/v/PublicVid1/tip', { amount: '5', email: 'fan@example.org', provider: 'test' });
    assert.equal(start.res.status, 303, start.html);
    const page = new URL(start.res.headers.get('location')!).pathname;
    await fan.get(page);
    const paid = await fan.post(page, { number: '4242424242424242', expiry: '12/34', cvc: '123' });
    assert.equal(paid.res.status, 303, paid.html);
  }

  it('records the check after the test webhook job, and a finding with a logged error once the books are corrupted', async () => {
    const recorder = recordingLog();
    const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: buildSite({ ...site.deps, log: recorder.log }, MODULES).jobHandlers(), clock });
    await tip();
    await runJobs();
    const healthy = (await latestLedgerCheck(site.deps.db))!;
    assert.deepEqual([healthy.trigger, healthy.ok], ['payments.test_webhook', true]);
    assert.deepEqual(recorder.errors(), []);

    const [channel] = await site.deps.db.query<{ id: string }>('SELECT id FROM channels');
    await corruptLedger(site.deps.db, channel!.id);
    await tip();
    await runJobs();
    const [payment] = await site.deps.db.query<{ status: string }>(`SELECT status FROM payments ORDER BY created_at DESC LIMIT 1`);
    assert.equal(payment!.status, 'succeeded', 'the money job itself is not failed by the check');
    const check = (await latestLedgerCheck(site.deps.db))!;
    assert.deepEqual([check.trigger, check.ok, check.findings.map((f) => f.check)], ['payments.test_webhook', false, ['balance_on_wrong_side']]);
    const errors = recorder.errors();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.msg, /LEDGER SELF-CHECK FAILED after payments\.test_webhook/);
    assert.deepEqual(errors[0]!.ledgerCheck?.findings, check.findings);
  });
});
