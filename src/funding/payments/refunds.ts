// Money never taken for nothing: a payment whose purpose cannot deliver what was paid for is refunded
// automatically, through its provider, by a durable job; the fan is told in their language and the
// channel's admins see it in the Studio. The ledger's reversal (a new transaction) and the payment's
// status 'refunded' arrive with the provider's refund event, like any refund (events.ts).
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../../core/jobs/index.js';
import { withLedgerSelfCheck } from '../ledger/index.js';
import { formatMoney, money } from '../money.js';
import { ProviderError } from '../providers/index.js';
import * as q from './queries.js';
import type { PaymentServices } from './services.js';

/** The job that refunds one undeliverable payment. */
export const UNDELIVERABLE_REFUND_JOB = 'payments.refund_undeliverable';

/** Reasons payments itself gives; purposes give their own short codes (`already_member`…). */
export const NO_PURPOSE_HANDLER = 'no_purpose_handler';

/**
 * Inside the payment's transaction: remember why it cannot be delivered and queue its refund, once per
 * payment (the job's dedupe key), so a crash after commit loses nothing and a replay refunds nothing twice.
 */
export async function scheduleUndeliverableRefund(deps: AppDeps, tx: Queryable, payment: q.PaymentRow, reason: string): Promise<void> {
  await q.markUndeliverable(tx, payment.id, reason);
  await enqueue(tx, { type: UNDELIVERABLE_REFUND_JOB, payload: { paymentId: payment.id }, dedupeKey: `refund-undeliverable:${payment.id}`, maxAttempts: 10 }, deps.clock);
  deps.log.warn({ paymentId: payment.id, purpose: payment.purpose, reason }, 'payment succeeded for something that cannot be delivered; refunding it');
}

/**
 * Refunds an undeliverable payment in full. The provider's idempotency key is the payment's, so a
 * retried job never refunds twice. A rail that cannot refund (BTCPay) or refuses (a dispute opened
 * first) leaves a notice for the channel's admins, who must settle it by hand. A money job: it ends
 * with the ledger's self-check.
 */
export function undeliverableRefundJob(deps: AppDeps, payments: PaymentServices): JobHandler {
  return withLedgerSelfCheck(deps, UNDELIVERABLE_REFUND_JOB, async ({ job }) => {
    const { paymentId } = job.payload as { paymentId: string };
    const payment = await q.findPayment(deps.db, paymentId);
    if (!payment || !payment.undeliverable_reason || payment.refund_requested_at || !payment.provider_ref) return;
    const provider = payments.get(payment.provider);
    const cannot = async (detail: string) => {
      await q.insertNotice(deps.db, { channelId: payment.channel_id, paymentId, kind: 'auto_refund_failed', detail, at: deps.clock.now() });
      throw new PermanentJobError(`automatic refund of payment ${paymentId} impossible: ${detail}`);
    };
    if (!provider || !provider.capabilities.refunds) return cannot(`${payment.provider} cannot refund through its API; refund it by hand`);
    try {
      await provider.refund({ providerRef: payment.provider_ref, idempotencyKey: `undeliverable:${payment.id}` });
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable) return cannot(`${payment.provider} refused the refund: ${error.code}`);
      throw error;
    }
    await tellFan(deps, payment);
    await deps.db.transaction(async (tx) => {
      if (!(await q.markRefundRequested(tx, payment.id, deps.clock.now()))) return;
      await q.insertNotice(tx, { channelId: payment.channel_id, paymentId, kind: 'auto_refund', detail: payment.undeliverable_reason!, at: deps.clock.now() });
    });
  });
}

/** The refund e-mail, in the fan's language; said before the job records it, so a crash resends rather than loses it. */
async function tellFan(deps: AppDeps, payment: q.PaymentRow): Promise<void> {
  const rows = await deps.db.query<{ email: string | null; language: Locale | null; channel: string }>(
    `SELECT u.email, u.language, c.name AS channel FROM channels c LEFT JOIN users u ON u.id = $2 WHERE c.id = $1`,
    [payment.channel_id, payment.user_id],
  );
  const to = payment.email ?? rows[0]?.email;
  if (!to) return;
  const locale = rows[0]?.language ?? deps.config.defaultLanguage;
  const t = translator(locale);
  const amount = formatMoney(money(payment.amount, payment.currency), locale);
  const channel = rows[0]?.channel ?? '';
  await deps.mailer.send({
    to,
    subject: t('payment.refunded_subject', { amount, channel }),
    text: t('payment.refunded_body', { amount, channel, reason: payment.undeliverable_reason ?? 'other', reference: payment.id }),
  });
}
