// The fan budget's SQL. What this module does not query is anything another capability owns, except
// reading titles and names (videos, channels) for the items a fan supported and the fan's e-mail.
import type { Queryable } from '../../core/db/index.js';
import type { MonthKey } from './months.js';

export type BudgetStatus = 'pending' | 'active' | 'stopped';

export interface BudgetRow {
  user_id: string;
  amount: number;
  currency: string;
  status: BudgetStatus;
  provider: string | null;
  customer_ref: string | null;
  payment_method_ref: string | null;
  show_name: boolean;
}

export async function findBudget(q: Queryable, userId: string): Promise<BudgetRow | undefined> {
  return (await q.query<BudgetRow>('SELECT user_id, amount::int AS amount, currency, status, provider, customer_ref, payment_method_ref, show_name FROM fan_budgets WHERE user_id = $1', [userId]))[0];
}

/** Sets the amount (the change applies to the month in progress, charged at its close). */
export async function saveBudget(q: Queryable, b: { userId: string; amount: number; currency: string; showName: boolean }): Promise<BudgetRow> {
  const rows = await q.query<BudgetRow>(
    `INSERT INTO fan_budgets (user_id, amount, currency, show_name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET amount = $2, currency = $3, show_name = $4,
       status = CASE WHEN fan_budgets.status = 'stopped' AND fan_budgets.payment_method_ref IS NOT NULL THEN 'active' ELSE fan_budgets.status END,
       updated_at = now()
     RETURNING user_id, amount::int AS amount, currency, status, provider, customer_ref, payment_method_ref, show_name`,
    [b.userId, b.amount, b.currency, b.showName],
  );
  return rows[0]!;
}

/** The provider saved the fan's card: the budget is active. */
export async function saveBudgetCard(q: Queryable, userId: string, card: { provider: string; customerRef: string; paymentMethodRef: string }): Promise<void> {
  await q.query(
    `UPDATE fan_budgets SET provider = $2, customer_ref = $3, payment_method_ref = $4, status = 'active', updated_at = now() WHERE user_id = $1`,
    [userId, card.provider, card.customerRef, card.paymentMethodRef],
  );
}

export async function stopBudget(q: Queryable, userId: string): Promise<void> {
  await q.query(`UPDATE fan_budgets SET status = 'stopped', updated_at = now() WHERE user_id = $1 AND status <> 'stopped'`, [userId]);
}

// ---- clicks ----

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** Records a click; false when the fan already supported this item this month. */
export async function addClick(q: Queryable, c: { month: MonthKey; userId: string; channelId: string; videoId: string | null }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO fan_budget_clicks (month, user_id, channel_id, video_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (month, user_id, channel_id, coalesce(video_id, '${ZERO_UUID}'::uuid)) DO NOTHING RETURNING month`,
    [c.month, c.userId, c.channelId, c.videoId],
  );
  return rows.length > 0;
}

export async function removeClick(q: Queryable, c: { month: MonthKey; userId: string; channelId: string; videoId: string | null }): Promise<void> {
  await q.query(
    `DELETE FROM fan_budget_clicks WHERE month = $1 AND user_id = $2 AND channel_id = $3 AND coalesce(video_id, '${ZERO_UUID}'::uuid) = coalesce($4::uuid, '${ZERO_UUID}'::uuid)`,
    [c.month, c.userId, c.channelId, c.videoId],
  );
}

export async function hasClick(q: Queryable, c: { month: MonthKey; userId: string; channelId: string; videoId: string | null }): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM fan_budget_clicks WHERE month = $1 AND user_id = $2 AND channel_id = $3 AND coalesce(video_id, '${ZERO_UUID}'::uuid) = coalesce($4::uuid, '${ZERO_UUID}'::uuid)`,
    [c.month, c.userId, c.channelId, c.videoId],
  );
  return rows.length > 0;
}

export interface ClickView {
  channel_id: string;
  channel_name: string;
  video_id: string | null;
  title: string;
}

/** A fan's clicks of a month, for the live preview. */
export async function clicksOf(q: Queryable, month: MonthKey, userId: string): Promise<ClickView[]> {
  return q.query<ClickView>(
    `SELECT k.channel_id, c.name AS channel_name, k.video_id, coalesce(v.title, c.name) AS title
       FROM fan_budget_clicks k JOIN channels c ON c.id = k.channel_id LEFT JOIN videos v ON v.id = k.video_id
      WHERE k.month = $1 AND k.user_id = $2 ORDER BY k.created_at, k.video_id`,
    [month, userId],
  );
}

// ---- settlement ----

export type Stage = 'plan' | 'charge' | 'check' | 'report' | 'done';
export type ChargeStatus = 'planned' | 'pending' | 'retrying' | 'succeeded' | 'unpaid' | 'refunded';

export interface MonthRow {
  month: MonthKey;
  stage: Stage;
  report: MonthReport | null;
}

/** What a closed month did, as `fanfare settle` prints it and the month row keeps it. */
export interface MonthReport {
  month: MonthKey;
  currency: string;
  fans: { charged: number; succeeded: number; pending: number; retrying: number; unpaid: number };
  /** Sums in minor units of `currency`: what fans paid (succeeded charges) and where it went. */
  amounts: { charged: number; processorFees: number; platformFees: number; toCreators: number };
  creators: { channelId: string; name: string; gross: number; net: number; items: number }[];
  failures: { code: string; count: number }[];
  ledgerOk: boolean;
  problems: string[];
}

export async function openMonth(q: Queryable, month: MonthKey, at: Date): Promise<MonthRow> {
  await q.query('INSERT INTO fan_budget_months (month, started_at) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING', [month, at]);
  return (await q.query<MonthRow>('SELECT month, stage, report FROM fan_budget_months WHERE month = $1', [month]))[0]!;
}

export async function findMonth(q: Queryable, month: MonthKey): Promise<MonthRow | undefined> {
  return (await q.query<MonthRow>('SELECT month, stage, report FROM fan_budget_months WHERE month = $1', [month]))[0];
}

/** Moves a month from one stage to the next; false when another run already did. */
export async function advanceStage(q: Queryable, month: MonthKey, from: Stage, to: Stage, extra: { report?: MonthReport; finishedAt?: Date } = {}): Promise<boolean> {
  const rows = await q.query(
    `UPDATE fan_budget_months SET stage = $3, report = coalesce($4::jsonb, report), finished_at = coalesce($5, finished_at)
      WHERE month = $1 AND stage = $2 RETURNING month`,
    [month, from, to, extra.report ? JSON.stringify(extra.report) : null, extra.finishedAt ?? null],
  );
  return rows.length > 0;
}

/**
 * The plan stage, in two statements: one charge per fan with an active budget and at least one click,
 * for the budget in force now, and the items each charge is split among (the month's clicks, frozen).
 * Both skip what exists, so a rerun plans nothing twice.
 */
export async function planCharges(q: Queryable, month: MonthKey): Promise<void> {
  await q.query(
    `INSERT INTO fan_budget_charges (month, user_id, amount, currency, clicks)
     SELECT $1, b.user_id, b.amount, b.currency, count(*)
       FROM fan_budgets b JOIN fan_budget_clicks k ON k.user_id = b.user_id AND k.month = $1
      WHERE b.status = 'active'
      GROUP BY b.user_id, b.amount, b.currency
     ON CONFLICT ON CONSTRAINT fan_budget_charges_once DO NOTHING`,
    [month],
  );
  await q.query(
    `INSERT INTO fan_budget_charge_items (charge_id, line, channel_id, video_id, title)
     SELECT ch.id, row_number() OVER (PARTITION BY ch.id ORDER BY k.channel_id, k.video_id NULLS FIRST), k.channel_id, k.video_id, left(coalesce(v.title, c.name), 500)
       FROM fan_budget_charges ch
       JOIN fan_budget_clicks k ON k.user_id = ch.user_id AND k.month = ch.month
       JOIN channels c ON c.id = k.channel_id
       LEFT JOIN videos v ON v.id = k.video_id
      WHERE ch.month = $1 AND NOT EXISTS (SELECT 1 FROM fan_budget_charge_items i WHERE i.charge_id = ch.id)`,
    [month],
  );
}

export interface ChargeRow {
  id: string;
  month: MonthKey;
  user_id: string | null;
  amount: number;
  currency: string;
  clicks: number;
  status: ChargeStatus;
  attempts: number;
  payment_id: string | null;
}

const CHARGE = 'id, month, user_id, amount::int AS amount, currency, clicks, status, attempts, payment_id';

/** The next charges to try in the charge stage: planned, or started by a run that was interrupted. */
export async function chargesToRun(q: Queryable, month: MonthKey, after: string, limit: number): Promise<ChargeRow[]> {
  return q.query<ChargeRow>(
    `SELECT ${CHARGE} FROM fan_budget_charges WHERE month = $1 AND id > $2 AND (status = 'planned' OR status = 'pending' AND attempts = 1) ORDER BY id LIMIT $3`,
    [month, after, limit],
  );
}

export async function findCharge(q: Queryable, id: string, lock = false): Promise<ChargeRow | undefined> {
  return (await q.query<ChargeRow>(`SELECT ${CHARGE} FROM fan_budget_charges WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))[0];
}

export async function chargeForPayment(q: Queryable, paymentId: string): Promise<ChargeRow | undefined> {
  return (await q.query<ChargeRow>(`SELECT ${CHARGE} FROM fan_budget_charges WHERE id = (SELECT charge_id FROM fan_budget_charge_payments WHERE payment_id = $1) FOR UPDATE`, [paymentId]))[0];
}

export interface ItemRow {
  line: number;
  channel_id: string;
  video_id: string | null;
  title: string;
}

export async function chargeItems(q: Queryable, chargeId: string): Promise<ItemRow[]> {
  return q.query<ItemRow>('SELECT line, channel_id, video_id, title FROM fan_budget_charge_items WHERE charge_id = $1 ORDER BY line', [chargeId]);
}

export async function setItemShares(q: Queryable, chargeId: string, shares: { line: number; gross: number; net: number }[]): Promise<void> {
  await q.query(
    `UPDATE fan_budget_charge_items i SET gross = s.gross, net = s.net
       FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS s (line, gross, net)
      WHERE i.charge_id = $1 AND i.line = s.line`,
    [chargeId, shares.map((s) => s.line), shares.map((s) => s.gross), shares.map((s) => s.net)],
  );
}

/** An attempt begins: its payment row is linked and the charge is pending until the provider answers. */
export async function startAttempt(q: Queryable, chargeId: string, attempt: number, paymentId: string): Promise<void> {
  await q.query(`INSERT INTO fan_budget_charge_payments (charge_id, attempt, payment_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [chargeId, attempt, paymentId]);
  await q.query(
    `UPDATE fan_budget_charges SET status = 'pending', attempts = $2 + 1, payment_id = $3, updated_at = now() WHERE id = $1 AND status IN ('planned', 'retrying', 'pending')`,
    [chargeId, attempt, paymentId],
  );
}

/** The attempt `attempt` failed: retrying, or unpaid after the last one. False when already recorded. */
export async function markAttemptFailed(q: Queryable, chargeId: string, attempt: number, status: 'retrying' | 'unpaid', code: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE fan_budget_charges SET status = $3, failure_code = left($4, 100), updated_at = now()
      WHERE id = $1 AND status = 'pending' AND attempts = $2 + 1 RETURNING id`,
    [chargeId, attempt, status, code],
  );
  return rows.length > 0;
}

export async function markChargeSucceeded(q: Queryable, chargeId: string, paymentId: string): Promise<void> {
  await q.query(`UPDATE fan_budget_charges SET status = 'succeeded', payment_id = $2, failure_code = NULL, updated_at = now() WHERE id = $1`, [chargeId, paymentId]);
}

export async function markRefunded(q: Queryable, paymentId: string): Promise<void> {
  await q.query(`UPDATE fan_budget_charges SET status = 'refunded', updated_at = now() WHERE payment_id = $1 AND status = 'succeeded'`, [paymentId]);
}

/** A charge whose fan is gone or has no card left: unpaid without asking the provider. */
export async function markWithoutCard(q: Queryable, chargeId: string): Promise<void> {
  await q.query(`UPDATE fan_budget_charges SET status = 'unpaid', failure_code = 'no_saved_card', updated_at = now() WHERE id = $1 AND status IN ('planned', 'pending', 'retrying')`, [chargeId]);
}

/** The attempt number a payment was for. */
export async function attemptOfPayment(q: Queryable, paymentId: string): Promise<number | undefined> {
  return (await q.query<{ attempt: number }>('SELECT attempt FROM fan_budget_charge_payments WHERE payment_id = $1', [paymentId]))[0]?.attempt;
}

/** Paid charges whose items' gross shares do not sum to the charge (the settlement's own check). */
export async function unevenCharges(q: Queryable, month: MonthKey): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT c.id FROM fan_budget_charges c JOIN fan_budget_charge_items i ON i.charge_id = c.id
      WHERE c.month = $1 AND c.status = 'succeeded' GROUP BY c.id, c.amount HAVING coalesce(sum(i.gross), -1) <> c.amount`,
    [month],
  );
  return rows.map((r) => r.id);
}

export async function monthHasClicks(q: Queryable, month: MonthKey): Promise<boolean> {
  return (await q.query('SELECT 1 FROM fan_budget_clicks WHERE month = $1 LIMIT 1', [month])).length > 0;
}

/** The month's report, read from its charges and the shares they paid. */
export async function monthReport(q: Queryable, month: MonthKey, checks: { ledgerOk: boolean; problems: string[] }): Promise<MonthReport> {
  const fans = (await q.query<{ status: ChargeStatus; n: number; amount: number; currency: string | null }>(
    `SELECT status, count(*)::int AS n, coalesce(sum(amount), 0)::bigint AS amount, min(currency) AS currency FROM fan_budget_charges WHERE month = $1 GROUP BY status`,
    [month],
  )).map((r) => ({ ...r, amount: Number(r.amount) }));
  const count = (s: ChargeStatus) => fans.find((f) => f.status === s)?.n ?? 0;
  const fees = (await q.query<{ processor: string; platform: string }>(
    `SELECT coalesce(sum(p.processor_fee), 0) AS processor, coalesce(sum(p.platform_fee), 0) AS platform
       FROM fan_budget_charges c JOIN payments p ON p.id = c.payment_id WHERE c.month = $1 AND c.status IN ('succeeded', 'refunded')`,
    [month],
  ))[0]!;
  const creators = await q.query<{ channelId: string; name: string; gross: string; net: string; items: number }>(
    `SELECT i.channel_id AS "channelId", ch.name, sum(i.gross) AS gross, sum(i.net) AS net, count(*)::int AS items
       FROM fan_budget_charges c JOIN fan_budget_charge_items i ON i.charge_id = c.id JOIN channels ch ON ch.id = i.channel_id
      WHERE c.month = $1 AND c.status IN ('succeeded', 'refunded') GROUP BY i.channel_id, ch.name ORDER BY ch.name, i.channel_id`,
    [month],
  );
  const failures = await q.query<{ code: string; count: number }>(
    `SELECT failure_code AS code, count(*)::int AS count FROM fan_budget_charges WHERE month = $1 AND failure_code IS NOT NULL GROUP BY failure_code ORDER BY failure_code`,
    [month],
  );
  const paid = fans.filter((f) => f.status === 'succeeded' || f.status === 'refunded').reduce((s, f) => s + f.amount, 0);
  const toCreators = creators.reduce((s, c) => s + Number(c.net), 0);
  return {
    month,
    currency: fans.find((f) => f.currency)?.currency ?? '',
    fans: { charged: fans.reduce((s, f) => s + f.n, 0), succeeded: count('succeeded') + count('refunded'), pending: count('pending') + count('planned'), retrying: count('retrying'), unpaid: count('unpaid') },
    amounts: { charged: paid, processorFees: Number(fees.processor), platformFees: Number(fees.platform), toCreators },
    creators: creators.map((c) => ({ channelId: c.channelId, name: c.name, gross: Number(c.gross), net: Number(c.net), items: c.items })),
    failures,
    ...checks,
  };
}

// ---- the fan's history and the Studio ----

export async function chargesOfFan(q: Queryable, userId: string): Promise<{ month: MonthKey; amount: number; currency: string; status: ChargeStatus }[]> {
  return q.query(`SELECT month, amount::int AS amount, currency, status FROM fan_budget_charges WHERE user_id = $1 ORDER BY month DESC LIMIT 24`, [userId]);
}

/** This month's supporters of a channel's items: how many, and the names of those who allow it. */
export async function supportersOf(q: Queryable, channelId: string, month: MonthKey): Promise<{ title: string; supporters: number; names: string[] }[]> {
  const rows = await q.query<{ title: string; supporters: number; names: string[] | null }>(
    `SELECT coalesce(v.title, c.name) AS title, count(*)::int AS supporters,
            array_remove(array_agg(CASE WHEN b.show_name THEN u.display_name END ORDER BY u.display_name), NULL) AS names
       FROM fan_budget_clicks k JOIN channels c ON c.id = k.channel_id LEFT JOIN videos v ON v.id = k.video_id
       JOIN users u ON u.id = k.user_id LEFT JOIN fan_budgets b ON b.user_id = k.user_id
      WHERE k.channel_id = $1 AND k.month = $2
      GROUP BY k.video_id, v.title, c.name ORDER BY count(*) DESC, 1`,
    [channelId, month],
  );
  return rows.map((r) => ({ ...r, names: r.names ?? [] }));
}

/** A channel's fan-budget income by month and item (paid charges), for its statement. */
export async function incomeByItem(q: Queryable, channelId: string): Promise<{ month: MonthKey; title: string; video_id: string | null; currency: string; gross: number; net: number }[]> {
  return q.query(
    `SELECT c.month, i.title, i.video_id, c.currency, sum(i.gross)::bigint::int AS gross, sum(i.net)::bigint::int AS net
       FROM fan_budget_charge_items i JOIN fan_budget_charges c ON c.id = i.charge_id
      WHERE i.channel_id = $1 AND c.status IN ('succeeded', 'refunded')
      GROUP BY c.month, i.video_id, i.title, c.currency ORDER BY c.month DESC, sum(i.net) DESC, i.title`,
    [channelId],
  );
}
