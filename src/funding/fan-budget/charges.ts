// One fan's charge for a closed month: an off-session charge of the saved card, retried like a membership
// renewal (1, 3, 6 days after the month closed) and, after the last failure, unpaid: nothing credited.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { enqueue } from '../../core/jobs/index.js';
import { RETRY_AFTER_DAYS } from '../memberships/index.js';
import { money } from '../money.js';
import { applyChargeResult, insertPayment, setPaymentStatus, type PurposeRegistry } from '../payments/index.js';
import type { PaymentServices } from '../payments/services.js';
import { sendDunning } from './mail.js';
import { monthEnd } from './months.js';
import * as q from './queries.js';

/** The job that tries a charge again after a failure. */
export const RETRY_JOB = 'fan-budget.retry';
const DAY = 86_400_000;

/** What charging needs: the site, its rails and the purposes that apply a payment's outcome. */
export interface ChargeContext {
  deps: AppDeps;
  services: PaymentServices;
  purposes: PurposeRegistry;
}

/**
 * Tries attempt `attempt` (0 = at close) of a charge. The provider's idempotency key names the charge and
 * the attempt, so a run killed anywhere and run again gets the first answer back and never charges twice;
 * the payment row is written (and linked) before the provider is asked.
 */
export async function attemptCharge(c: ChargeContext, charge: q.ChargeRow, attempt: number, answered?: (chargeId: string) => void | Promise<void>): Promise<q.ChargeStatus> {
  const { deps, services } = c;
  const budget = charge.user_id ? await q.findBudget(deps.db, charge.user_id) : undefined;
  const provider = budget?.provider ? services.get(budget.provider) : undefined;
  const key = `fan-budget:${charge.id}:${attempt}`;
  if (!budget || !provider || !budget.customer_ref || !budget.payment_method_ref) {
    await q.markWithoutCard(deps.db, charge.id);
    return 'unpaid';
  }
  const existing = (await deps.db.query<{ id: string; status: string }>('SELECT id, status FROM payments WHERE idempotency_key = $1', [key]))[0];
  const paymentId = existing?.id ?? randomUUID();
  if (existing?.status === 'succeeded') return 'succeeded';
  await deps.db.transaction(async (tx) => {
    if (!existing) {
      await insertPayment(tx, { id: paymentId, purpose: 'fan_budget', channelId: null, userId: charge.user_id, amount: charge.amount, currency: charge.currency, provider: provider.id, idempotencyKey: key, email: null });
    }
    await q.startAttempt(tx, charge.id, attempt, paymentId);
  });
  const charged = money(charge.amount, charge.currency);
  const result = await provider.chargeSaved({
    customerRef: budget.customer_ref,
    paymentMethodRef: budget.payment_method_ref,
    amount: charged.amount,
    currency: charged.currency,
    idempotencyKey: key,
    metadata: { paymentId, purpose: 'fan_budget', chargeId: charge.id },
  });
  await answered?.(charge.id);
  if (result.status === 'succeeded') {
    await applyChargeResult(deps, c.purposes, { paymentId, provider: provider.id, livemode: provider.livemode, providerRef: result.providerRef, charged, fee: result.fee });
    return 'succeeded';
  }
  if (result.status === 'pending') return 'pending';
  const code = result.declineCode ?? result.status;
  await setPaymentStatus(deps.db, paymentId, result.status === 'requires_action' ? 'requires_action' : 'failed', code);
  const outcome = await deps.db.transaction((tx) => recordFailure(deps, tx, charge, attempt, code));
  if (outcome) await sendDunning(deps, charge, outcome, code).catch((err) => deps.log.error({ err }, 'fan-budget dunning e-mail failed'));
  return outcome ?? 'pending';
}

/**
 * Records that attempt `attempt` failed, once (a webhook and the synchronous answer may both report it):
 * a retry is queued for 1, 3 then 6 days after the month closed; after the last, the charge is unpaid.
 * Returns the new status, or undefined when this failure was already recorded.
 */
export async function recordFailure(deps: AppDeps, tx: Queryable, charge: q.ChargeRow, attempt: number, code: string): Promise<'retrying' | 'unpaid' | undefined> {
  const days = RETRY_AFTER_DAYS[attempt];
  const status = days === undefined ? 'unpaid' : 'retrying';
  if (!(await q.markAttemptFailed(tx, charge.id, attempt, status, code))) return undefined;
  if (days !== undefined) {
    const closedAt = monthEnd(charge.month, deps.config.siteTimeZone).getTime();
    const runAt = new Date(Math.max(deps.clock.now().getTime(), closedAt + days * DAY));
    await enqueue(tx, { type: RETRY_JOB, payload: { chargeId: charge.id, attempt: attempt + 1 }, runAt, dedupeKey: `fan-budget-retry:${charge.id}:${attempt + 1}`, maxAttempts: 5 }, deps.clock);
  } else {
    await deps.events.publish(tx, 'fan-budget.charge-unpaid', { month: charge.month, chargeId: charge.id, userId: charge.user_id }, `fan-budget-unpaid:${charge.id}`);
  }
  return status;
}
