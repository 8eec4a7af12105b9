import type { Queryable } from '../../core/db/index.js';

/** What a payment pays for; the same words as the ledger's funding sources (migration 013). */
export type PaymentPurpose = 'tip' | 'membership' | 'fan_budget' | 'campaign' | 'bundle';

export type PaymentStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'expired' | 'refunded' | 'disputed';

export interface PaymentRow {
  id: string;
  purpose: PaymentPurpose;
  channel_id: string;
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
}

const COLUMNS = `id, purpose, channel_id, user_id, amount, currency, provider, provider_ref, checkout_ref, status, idempotency_key,
  ledger_transaction_id, processor_fee, platform_fee, email, membership_id, period_start, period_end, created_at`;

export async function insertPayment(
  q: Queryable,
  p: { id: string; purpose: PaymentRow['purpose']; channelId: string; userId: string | null; amount: number; currency: string; provider: string; idempotencyKey: string; email: string | null; membershipId?: string | null; periodStart?: Date | null; periodEnd?: Date | null },
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

/** Records a webhook event; false when it was already recorded (a replay or a duplicate delivery). */
export async function recordProviderEvent(q: Queryable, e: { provider: string; eventId: string; type: string; payload: unknown }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO provider_events (provider, event_id, type, payload, processed_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
    [e.provider, e.eventId, e.type, JSON.stringify(e.payload)],
  );
  return rows.length > 0;
}
