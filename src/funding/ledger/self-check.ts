// The ledger's self-check outside tests, as Liberapay's payday ends with its own: checkLedgerInvariants
// runs at the end of every money job and on a schedule; each run is recorded in ledger_checks
// (migration 011, the latest LEDGER_CHECKS_KEPT kept) and any finding is logged as an error. It never
// changes the books and never fails the money job it follows: the money has moved, the record and the
// log are how people learn something is wrong (the Studio revenue page shows the latest finding).
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import type { JobHandler } from '../../core/jobs/index.js';
import { checkLedgerInvariants, type LedgerProblem } from './invariants.js';

/** The periodic job's type: register it as a recurring job with `ledgerSelfCheckJob(deps)` as its handler. */
export const LEDGER_SELF_CHECK_JOB = 'ledger.self_check';

/**
 * How often the periodic self-check should run: hourly. Money jobs check after themselves already; the
 * periodic run catches what happens outside them (webhooks applied in a request, a hand-edited or
 * restored database) within the hour, at the price of a few aggregate queries over the journal.
 */
export const LEDGER_SELF_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** How many check results ledger_checks keeps, newest first. */
export const LEDGER_CHECKS_KEPT = 1000;

/** How many findings one record keeps (all are counted): a broken journal can break thousands of rows. */
const FINDINGS_KEPT = 100;

/** What the self-check needs: the database, a logger for its errors, and the clock that dates it. */
export type LedgerSelfCheckDeps = Pick<AppDeps, 'db' | 'log' | 'clock'>;

/** One recorded run of the self-check. */
export interface LedgerCheck {
  id: number;
  checkedAt: Date;
  /** What ran it: a job type. */
  trigger: string;
  /** True when the books passed every invariant. */
  ok: boolean;
  /** How many problems were found; `findings` holds the first of them. */
  findingCount: number;
  findings: LedgerProblem[];
}

interface LedgerCheckRow {
  id: number;
  checked_at: Date;
  trigger: string;
  ok: boolean;
  finding_count: number;
  findings: LedgerProblem[];
}

const fromRow = (row: LedgerCheckRow): LedgerCheck => ({
  id: row.id,
  checkedAt: row.checked_at,
  trigger: row.trigger,
  ok: row.ok,
  findingCount: row.finding_count,
  findings: row.findings,
});

/**
 * Checks the whole journal now, records the outcome (pruning records beyond LEDGER_CHECKS_KEPT) and
 * logs an error with the findings when there are any. Throws only when the database does.
 */
export async function runLedgerSelfCheck(deps: LedgerSelfCheckDeps, trigger: string): Promise<LedgerCheck> {
  const problems = await checkLedgerInvariants(deps.db);
  const findings = problems.slice(0, FINDINGS_KEPT);
  const ok = problems.length === 0;
  if (!ok) {
    deps.log.error(
      { ledgerCheck: { trigger, findingCount: problems.length, findings } },
      `LEDGER SELF-CHECK FAILED after ${trigger}: ${problems.length} problem(s) in the books (${[...new Set(problems.map((p) => p.check))].join(', ')}); see ledger_checks and src/funding/CONTEXT.md`,
    );
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.query<LedgerCheckRow>(
      `INSERT INTO ledger_checks (checked_at, trigger, ok, finding_count, findings) VALUES ($1, $2, $3, $4, $5::jsonb)
       RETURNING id, checked_at, trigger, ok, finding_count, findings`,
      [deps.clock.now(), trigger, ok, problems.length, JSON.stringify(findings)],
    );
    await tx.query(`DELETE FROM ledger_checks WHERE id <= (SELECT id FROM ledger_checks ORDER BY id DESC OFFSET $1 LIMIT 1)`, [LEDGER_CHECKS_KEPT]);
    return fromRow(row!);
  });
}

/**
 * `handler`, then the self-check, whether the handler succeeded or threw: what every money job is
 * wrapped in. The handler's result or error is passed on untouched; a self-check that cannot run
 * (database down) is logged, never turned into the job's failure.
 */
export function withLedgerSelfCheck(deps: LedgerSelfCheckDeps, trigger: string, handler: JobHandler): JobHandler {
  return async (context) => {
    try {
      return await handler(context);
    } finally {
      await runLedgerSelfCheck(deps, trigger).catch((err: unknown) => deps.log.error({ err, trigger }, 'the ledger self-check could not run'));
    }
  };
}

/**
 * The handler of the periodic `ledger.self_check` job (run it every LEDGER_SELF_CHECK_INTERVAL_MS). Its
 * result says whether the books were healthy; findings are recorded and logged, not thrown: retrying
 * would find them again.
 */
export function ledgerSelfCheckJob(deps: LedgerSelfCheckDeps): JobHandler {
  return async () => {
    const check = await runLedgerSelfCheck(deps, LEDGER_SELF_CHECK_JOB);
    return { ok: check.ok, findingCount: check.findingCount };
  };
}

/** The most recent self-check, if any ran yet. */
export async function latestLedgerCheck(q: Queryable): Promise<LedgerCheck | undefined> {
  const rows = await q.query<LedgerCheckRow>('SELECT id, checked_at, trigger, ok, finding_count, findings FROM ledger_checks ORDER BY id DESC LIMIT 1');
  return rows[0] ? fromRow(rows[0]) : undefined;
}
