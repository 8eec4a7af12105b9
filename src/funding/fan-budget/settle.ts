// Closing a month: Liberapay's payday. The stages are plan → charge → check → report → done, kept in
// fan_budget_months; each run does the stage the database says and moves on, so a run killed anywhere
// and started again finishes the month with exactly the ledger one uninterrupted run would have written,
// and a run on a settled month posts nothing.
import { z } from 'zod';
import { configSection } from '../../core/config.js';
import { PermanentJobError, enqueue, type JobHandler } from '../../core/jobs/index.js';
import { runLedgerSelfCheck, withLedgerSelfCheck } from '../ledger/index.js';
import { createPacer, forEachPaced } from '../pacing.js';
import { fanBudgetConfig } from './config.js';
import { attemptCharge, RETRY_JOB, type ChargeContext } from './charges.js';
import { isMonthKey, lastClosedMonth, monthEnd, monthOf, type MonthKey } from './months.js';
import * as q from './queries.js';

export const SETTLE_JOB = 'fan-budget.settle';
/** The recurring job that makes sure each month's settlement is queued for 00:00 on the 1st. */
export const CLOSE_JOB = 'fan-budget.schedule';
/** How often the scheduler looks (an hour): it queues the settlement for the exact closing instant. */
export const CLOSE_CHECK_SECONDS = 3600;
const BATCH = 200;

/** Asked to settle a month that has not closed yet. */
export class MonthNotClosedError extends Error {
  override name = 'MonthNotClosedError';
  constructor(readonly month: MonthKey, readonly closesAt: Date) {
    super(`the month ${month} closes at ${closesAt.toISOString()}; it cannot be settled before`);
  }
}

/** Progress callbacks, for the CLI's output and for tests that stop a run at a chosen point. */
export interface SettleHooks {
  /** Before a stage runs. */
  stage?(stage: q.Stage): void | Promise<void>;
  /** When the provider has answered a charge, before the answer is recorded (the riskiest instant to die). */
  answered?(chargeId: string): void | Promise<void>;
  /** After each charge of the charge stage is tried. */
  charged?(chargeId: string, status: q.ChargeStatus): void | Promise<void>;
}

/**
 * Settles `month` (or resumes its settlement) and returns its report. Throws MonthNotClosedError before
 * the month's close (00:00 on the next 1st in the site's time zone).
 */
export async function settleMonth(c: ChargeContext, month: MonthKey, hooks: SettleHooks = {}): Promise<q.MonthReport> {
  const { deps } = c;
  const closesAt = monthEnd(month, deps.config.siteTimeZone);
  if (deps.clock.now() < closesAt) throw new MonthNotClosedError(month, closesAt);
  let row = await q.openMonth(deps.db, month, deps.clock.now());
  while (row.stage !== 'done') {
    await hooks.stage?.(row.stage);
    await STAGES[row.stage](c, month, hooks);
    row = (await q.findMonth(deps.db, month))!;
  }
  return row.report!;
}

const STAGES: Record<Exclude<q.Stage, 'done'>, (c: ChargeContext, month: MonthKey, hooks: SettleHooks) => Promise<void>> = {
  // Freezes the month in one transaction: who is charged, how much, and among which items.
  async plan({ deps }, month) {
    await deps.db.transaction(async (tx) => {
      await q.planCharges(tx, month);
      await q.advanceStage(tx, month, 'plan', 'charge');
    });
  },
  // A few charges in flight at once, paced to the provider's limit; each recorded before and after the
  // provider is asked (charges.ts), so a run that dies mid-batch resumes with the charges not yet done.
  async charge(c, month, hooks) {
    const settings = configSection(c.deps.config, fanBudgetConfig);
    const run = { concurrency: settings.chargeConcurrency, pacer: createPacer(settings.chargesPerSecond) };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await q.chargesToRun(c.deps.db, month, after, BATCH);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      await forEachPaced(batch, run, async (charge) => {
        const status = await attemptCharge(c, charge, charge.status === 'planned' ? 0 : charge.attempts - 1, hooks.answered);
        await hooks.charged?.(charge.id, status);
      });
    }
    await q.advanceStage(c.deps.db, month, 'charge', 'check');
  },
  // The books: the ledger's invariants, and every paid charge split to the cent among its items.
  async check({ deps }, month) {
    const ledger = await runLedgerSelfCheck(deps, SETTLE_JOB);
    const problems = (await q.unevenCharges(deps.db, month)).map((id) => `charge ${id}: its items' shares do not sum to its amount`);
    const partial = { ledgerOk: ledger.ok, problems: [...ledger.findings.map((f) => JSON.stringify(f)), ...problems] } as unknown as q.MonthReport;
    await q.advanceStage(deps.db, month, 'check', 'report', { report: partial });
  },
  async report({ deps }, month) {
    const checked = (await q.findMonth(deps.db, month))!.report!;
    const report = await q.monthReport(deps.db, month, { ledgerOk: checked.ledgerOk, problems: checked.problems });
    await deps.db.transaction(async (tx) => {
      if (await q.advanceStage(tx, month, 'report', 'done', { report, finishedAt: deps.clock.now() })) {
        const { succeeded, unpaid } = report.fans;
        await deps.events.publish(tx, 'fan-budget.settled', { month, charged: report.fans.charged, succeeded, unpaid }, `fan-budget-settled:${month}`);
      }
    });
  },
};

const settlePayload = z.object({ month: z.string().refine(isMonthKey) });
const retryPayload = z.object({ chargeId: z.uuid(), attempt: z.number().int().min(1) });

/** `fan-budget.settle`: settles the month in its payload (queued for 00:00 on the 1st by the scheduler). */
export function settleJob(c: ChargeContext): JobHandler {
  return async ({ job }) => {
    const payload = settlePayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid fan-budget.settle payload');
    return settleMonth(c, payload.data.month);
  };
}

/** `fan-budget.retry`: tries a failed charge again; ends with the ledger's self-check like renewals. */
export function retryJob(c: ChargeContext): JobHandler {
  return withLedgerSelfCheck(c.deps, RETRY_JOB, async ({ job }) => {
    const payload = retryPayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid fan-budget.retry payload');
    const charge = await q.findCharge(c.deps.db, payload.data.chargeId);
    if (!charge || charge.status !== 'retrying' || charge.attempts !== payload.data.attempt) return { skipped: charge?.status ?? 'gone' };
    return { status: await attemptCharge(c, charge, payload.data.attempt) };
  });
}

/**
 * `fan-budget.schedule`, every hour: queues the settlement of the month in progress for the instant it
 * closes (00:00 on the next 1st, site time zone: summer time and month lengths come from months.ts), and
 * of the last closed month if it is not done (a server that was off at midnight catches up).
 */
export function scheduleJob(c: ChargeContext): JobHandler {
  return async () => {
    const { deps } = c;
    const tz = deps.config.siteTimeZone;
    const now = deps.clock.now();
    const current = monthOf(now, tz);
    await enqueue(deps.db, { type: SETTLE_JOB, payload: { month: current }, runAt: monthEnd(current, tz), dedupeKey: `fan-budget-settle:${current}`, maxAttempts: 10 }, deps.clock);
    const closed = lastClosedMonth(now, tz);
    const row = await q.findMonth(deps.db, closed);
    if (row?.stage !== 'done' && (row || (await q.monthHasClicks(deps.db, closed)))) {
      await enqueue(deps.db, { type: SETTLE_JOB, payload: { month: closed }, runAt: now, dedupeKey: `fan-budget-settle:${closed}`, maxAttempts: 10 }, deps.clock);
    }
    return { queued: current };
  };
}
