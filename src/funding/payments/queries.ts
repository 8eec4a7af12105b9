import type { Queryable } from '../../core/db/index.js';

/** What a payment pays for; the same words as the ledger's funding sources (migration 013). */
export type PaymentPurpose = 'tip' | 'membership' | 'fan_budget' | 'campaign' | 'bundle';

export type PaymentStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'expired' | 'refunded' | 'disputed';

export interface PaymentRow {
  id: string;
  purpose: PaymentPurpose;
  /** NULL only for a fan-budget charge, shared among several creators (migration 020). */
  channel_id: string | null;
  user_id: string | null;
  amount: number;
  currency: string;
  provider: string;
  provider_ref: string | null;
  checkout_ref: string | null;
  status: PaymentStatus;
  idempotency_key: string;
  ledger_transaction_id: number | null;
  processor_fee: number | null;
  platform_fee: number | null;
  email: string | null;
  membership_id: string | null;
  period_start: Date | null;
  period_end: Date | null;
  created_at: Date;
  /** Set when the purpose could not deliver what was paid for: the payment is being refunded. */
  undeliverable_reason: string | null;
  /** When the automatic refund was asked of the provider. */
  refund_requested_at: Date | null;
}

const COLUMNS = `id, purpose, channel_id, user_id, amount, currency, provider, provider_ref, checkout_ref, status, idempotency_key,
  ledger_transaction_id, processor_fee, platform_fee, email, membership_id, period_start, period_end, created_at,
  undeliverable_reason, refund_requested_at`;

export async function insertPayment(
  q: Queryable,
  p: { id: string; purpose: PaymentRow['purpose']; channelId: string | null; userId: string | null; amount: number; currency: string; provider: string; idempotencyKey: string; email: string | null; membershipId?: string | null; periodStart?: Date | null; periodEnd?: Date | null },
): Promise<void> {
  await q.query(
    `INSERT INTO payments (id, purpose, channel_id, user_id, amount, currency, provider, idempotency_key, email, membership_id, period_start, period_end)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [p.id, p.purpose, p.channelId, p.userId, p.amount, p.currency, p.provider, p.idempotencyKey, p.email, p.membershipId ?? null, p.periodStart ?? null, p.periodEnd ?? null],
  );
}

export async function findPayment(q: Queryable, id: string, lock = false): Promise<PaymentRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return (await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))[0];
}

/** The payment recorded under this idempotency key (a money job's attempt), if any. */
export async function findPaymentByKey(q: Queryable, idempotencyKey: string): Promise<PaymentRow | undefined> {
  return (await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE idempotency_key = $1`, [idempotencyKey]))[0];
}

/** The payment an event is about: by our id in its metadata, else by the provider's references. */
export async function findPaymentForEvent(q: Queryable, provider: string, ids: { paymentId?: string; providerRef?: string; checkoutRef?: string }): Promise<PaymentRow | undefined> {
  if (ids.paymentId) {
    const byId = await findPayment(q, ids.paymentId, true);
    if (byId && byId.provider === provider) return byId;
  }
  const rows = await q.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE provider = $1 AND (provider_ref = ANY($2) OR checkout_ref = ANY($2)) LIMIT 1 FOR UPDATE`,
    [provider, [ids.providerRef, ids.checkoutRef].filter((x): x is string => Boolean(x))],
  );
  return rows[0];
}

/** The payment of a membership's own checkout (not its renewals or upgrades), if any. */
export async function checkoutPaymentOfMembership(q: Queryable, membershipId: string): Promise<PaymentRow | undefined> {
  const rows = await q.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments WHERE membership_id = $1 AND period_start IS NULL ORDER BY created_at LIMIT 1`,
    [membershipId],
  );
  return rows[0];
}

export async function setCheckoutRef(q: Queryable, id: string, checkoutRef: string): Promise<void> {
  await q.query('UPDATE payments SET checkout_ref = $2, updated_at = now() WHERE id = $1', [id, checkoutRef]);
}

export async function markSucceeded(q: Queryable, id: string, f: { providerRef: string; ledgerTransactionId: number; processorFee: number; platformFee: number; livemode: boolean }): Promise<void> {
  await q.query(
    `UPDATE payments SET status = 'succeeded', provider_ref = $2, ledger_transaction_id = $3, processor_fee = $4, platform_fee = $5,
            livemode = $6, updated_at = now() WHERE id = $1`,
    [id, f.providerRef, f.ledgerTransactionId, f.processorFee, f.platformFee, f.livemode],
  );
}

export async function setStatus(q: Queryable, id: string, status: PaymentStatus, failureCode?: string | null): Promise<void> {
  await q.query('UPDATE payments SET status = $2, failure_code = COALESCE($3, failure_code), updated_at = now() WHERE id = $1', [id, status, failureCode ?? null]);
}

/** The purpose could not deliver: remember why (the refund job and the fan's pages read it). */
export async function markUndeliverable(q: Queryable, id: string, reason: string): Promise<void> {
  await q.query('UPDATE payments SET undeliverable_reason = $2, updated_at = now() WHERE id = $1', [id, reason.slice(0, 100)]);
}

/** The automatic refund was accepted by the provider; false when it was already recorded. */
export async function markRefundRequested(q: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await q.query('UPDATE payments SET refund_requested_at = $2, updated_at = now() WHERE id = $1 AND refund_requested_at IS NULL RETURNING id', [id, at]);
  return rows.length > 0;
}

/** What the Studio tells a channel about money the site handled by itself (migration 014). */
export type PaymentNoticeKind = 'auto_refund' | 'auto_refund_failed' | 'webhook_refused';

export interface PaymentNoticeRow {
  id: number;
  channel_id: string | null;
  payment_id: string | null;
  kind: PaymentNoticeKind;
  detail: string;
  created_at: Date;
  amount: number | null;
  currency: string | null;
}

/** Adds a notice, once per payment and kind. */
export async function insertNotice(q: Queryable, n: { channelId: string | null; paymentId: string | null; kind: PaymentNoticeKind; detail: string; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO payment_notices (channel_id, payment_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (payment_id, kind) DO NOTHING`,
    [n.channelId, n.paymentId, n.kind, n.detail.slice(0, 1000), n.at],
  );
}

/** The latest notices of a channel not dismissed yet, and (for the site owner) those about no known payment. */
export async function listNotices(q: Queryable, channelId: string, includeSite: boolean, limit = 20): Promise<PaymentNoticeRow[]> {
  return q.query<PaymentNoticeRow>(
    `SELECT n.id, n.channel_id, n.payment_id, n.kind, n.detail, n.created_at, p.amount, p.currency
       FROM payment_notices n LEFT JOIN payments p ON p.id = n.payment_id
      WHERE (n.channel_id = $1 OR ($2 AND n.channel_id IS NULL)) AND n.dismissed_at IS NULL
      ORDER BY n.created_at DESC, n.id DESC LIMIT $3`,
    [channelId, includeSite, limit],
  );
}

/**
 * Dismisses one notice shown on `channelId`'s revenue page (or, for the site owner, one about no known
 * payment); false when there is no such notice there (another channel's, or already dismissed).
 */
export async function dismissNotice(q: Queryable, noticeId: string, channelId: string, includeSite: boolean, at: Date): Promise<boolean> {
  if (!/^[1-9][0-9]{0,17}$/.test(noticeId)) return false;
  const rows = await q.query(
    `UPDATE payment_notices SET dismissed_at = $4
      WHERE id = $1 AND (channel_id = $2 OR ($3 AND channel_id IS NULL)) AND dismissed_at IS NULL RETURNING id`,
    [noticeId, channelId, includeSite, at],
  );
  return rows.length > 0;
}

/** Records a verified event that was not applied, and why; false when the event was already recorded. */
export async function recordRefusedEvent(q: Queryable, e: { provider: string; eventId: string; type: string; payload: unknown; reason: string }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO provider_events (provider, event_id, type, payload, processed_at, refused_reason) VALUES ($1, $2, $3, $4, now(), $5)
     ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
    [e.provider, e.eventId, e.type, JSON.stringify(e.payload), e.reason.slice(0, 500)],
  );
  return rows.length > 0;
}

/** Records a webhook event; false when it was already recorded (a replay or a duplicate delivery). */
export async function recordProviderEvent(q: Queryable, e: { provider: string; eventId: string; type: string; payload: unknown }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO provider_events (provider, event_id, type, payload, processed_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
    [e.provider, e.eventId, e.type, JSON.stringify(e.payload)],
  );
  return rows.length > 0;
}
