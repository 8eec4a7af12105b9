import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { CurrencyMismatchError, money, type Money } from '../money.js';
import { recordDispute, recordDisputeResolved, recordRefund, recordSplitPayment, RefundExceedsPaymentError, type PaymentShare } from '../ledger/index.js';
import type { PaymentEvent } from '../providers/index.js';
import * as q from './queries.js';
import { NO_PURPOSE_HANDLER, scheduleUndeliverableRefund } from './refunds.js';

/** What a purpose (tip, membership) does when its payment's fate is known; registered by each capability. */
export interface PaymentPurposeHandlers {
  /**
   * Inside the event's transaction: grant what was paid for. When it can no longer be delivered
   * (superseded checkout, sold-out reward, deleted channel…) return `{ undeliverable: reason }`:
   * the payments capability then refunds the payment and tells the fan, never keeping it silently.
   */
  succeeded?(tx: Queryable, payment: q.PaymentRow, event: PaymentEvent): Promise<void | Undeliverable>;
  failed?(tx: Queryable, payment: q.PaymentRow, event: PaymentEvent): Promise<void>;
  /** A card was kept for later renewals. */
  methodSaved?(tx: Queryable, payment: q.PaymentRow, event: PaymentEvent): Promise<void>;
  /**
   * For a payment shared among several creators (the fan budget, whose payment names no channel): the
   * creators and their weights, read inside the event's transaction. Without it the payment's channel
   * gets it all.
   */
  shares?(tx: Queryable, payment: q.PaymentRow): Promise<PaymentShare[]>;
  /**
   * A method saved by a checkout in `setup` mode (nothing charged, no payment row): the event's
   * metadata is what the purpose gave the checkout, with `purpose` naming it and `setup: '1'`. Inside
   * the event's transaction. (The fan budget's card, a campaign pledge.)
   */
  setupSaved?(tx: Queryable, event: PaymentEvent): Promise<void>;
  /** After commit: e-mails and the like, which must not run twice nor hold the transaction. */
  afterSucceeded?(payment: q.PaymentRow): Promise<void>;
}

/** A purpose's answer when what was paid for cannot be delivered any more; `reason` is a short code for the log and the fan's message. */
export interface Undeliverable {
  undeliverable: string;
}

export type PurposeRegistry = Partial<Record<q.PaymentRow['purpose'], PaymentPurposeHandlers>>;

const ledgerKey = (e: PaymentEvent, what: string, ref = e.providerRef) => `${e.provider}:${what}:${ref}`;

/** What applying a batch of events did: the events refused (verified, but impossible to apply), with why. */
export interface AppliedEvents {
  refused: { eventId: string; reason: string }[];
}

/**
 * Applies verified provider events. Each event is recorded in provider_events and applied in ONE
 * transaction: a duplicate, replayed or re-delivered event finds its row and changes nothing, and a
 * failure rolls both back so the provider's retry applies it later. Events about the same payment may
 * come in any order: a refund or dispute for a payment not yet recorded as paid is refused (and retried
 * by the provider) rather than applied to nothing.
 *
 * An event that can never apply (the amount or currency differs from the payment's, a refund larger
 * than what is left) is *refused*: rolled back, then recorded with its reason (so a redelivery changes
 * nothing) and shown to the channel's admins as a notice. Retrying it would only fail again for days.
 */
export async function applyPaymentEvents(deps: AppDeps, purposes: PurposeRegistry, events: readonly PaymentEvent[]): Promise<AppliedEvents> {
  const refused: AppliedEvents['refused'] = [];
  for (const event of [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    let succeeded: q.PaymentRow | undefined;
    try {
      await deps.db.transaction(async (tx) => {
        if (!(await q.recordProviderEvent(tx, { provider: event.provider, eventId: event.eventId, type: event.type, payload: event }))) return;
        const setupFor = setupPurpose(purposes, event);
        if (setupFor) return setupFor.setupSaved!(tx, event);
        const payment = await q.findPaymentForEvent(tx, event.provider, { paymentId: event.metadata['paymentId'], providerRef: event.providerRef, checkoutRef: event.checkoutRef });
        if (!payment) {
          deps.log.warn({ provider: event.provider, type: event.type, ref: event.providerRef }, 'payment event about no known payment; ignored');
          return;
        }
        succeeded = await applyOne(deps, purposes, tx, payment, event);
      });
    } catch (error) {
      const reason = refusalReason(error);
      if (!reason) throw error;
      await recordRefusal(deps, event, reason);
      refused.push({ eventId: event.eventId, reason });
      continue;
    }
    if (succeeded) await purposes[succeeded.purpose]?.afterSucceeded?.(succeeded).catch((err) => deps.log.error({ err }, 'after-payment step failed'));
  }
  return { refused };
}

/** A verified event that can never be applied, whatever the retries: its reason; undefined for other errors. */
function refusalReason(error: unknown): string | undefined {
  if (error instanceof PaymentEventRefusedError || error instanceof RefundExceedsPaymentError || error instanceof CurrencyMismatchError) return error.message;
  return undefined;
}

/** Records a refused event (once) and tells the channel of the payment it names, or the site owner. */
export async function recordRefusal(deps: AppDeps, event: Pick<PaymentEvent, 'provider' | 'eventId' | 'type' | 'providerRef' | 'checkoutRef' | 'metadata'>, reason: string): Promise<void> {
  deps.log.error({ provider: event.provider, eventId: event.eventId, type: event.type, reason }, 'signed payment event refused');
  await deps.db.transaction(async (tx) => {
    if (!(await q.recordRefusedEvent(tx, { provider: event.provider, eventId: event.eventId, type: event.type, payload: event, reason }))) return;
    const payment = await q.findPaymentForEvent(tx, event.provider, { paymentId: event.metadata['paymentId'], providerRef: event.providerRef, checkoutRef: event.checkoutRef });
    await q.insertNotice(tx, { channelId: payment?.channel_id ?? null, paymentId: payment?.id ?? null, kind: 'webhook_refused', detail: `${event.provider} ${event.type}: ${reason}`, at: deps.clock.now() });
  });
}

async function applyOne(deps: AppDeps, purposes: PurposeRegistry, tx: Queryable, payment: q.PaymentRow, event: PaymentEvent): Promise<q.PaymentRow | undefined> {
  const handlers = purposes[payment.purpose] ?? {};
  switch (event.type) {
    case 'payment.succeeded': {
      if (payment.status === 'succeeded' || payment.ledger_transaction_id) return undefined;
      if (event.amount !== payment.amount || event.currency !== payment.currency) {
        throw new PaymentEventRefusedError(`payment ${payment.id}: provider reports ${event.amount} ${event.currency}, expected ${payment.amount} ${payment.currency}`);
      }
      const shares = handlers.shares ? await handlers.shares(tx, payment) : payment.channel_id ? [{ channelId: payment.channel_id, weight: 1 }] : [];
      const posted = await recordSplitPayment(tx, {
        idempotencyKey: ledgerKey(event, 'payment'),
        shares,
        fanUserId: payment.user_id,
        source: payment.purpose,
        provider: event.provider,
        externalRef: event.providerRef,
        gross: money(event.amount, event.currency),
        processorFee: money(Math.max(0, event.fee ?? 0), event.currency),
        platformFeeBps: deps.config.platformFeeBps,
        occurredAt: event.occurredAt,
      });
      await q.markSucceeded(tx, payment.id, {
        providerRef: event.providerRef,
        ledgerTransactionId: posted.transactionId,
        processorFee: posted.total.processorFee.amount,
        platformFee: posted.total.platformFee.amount,
        livemode: event.livemode,
      });
      const updated = { ...payment, status: 'succeeded' as const, provider_ref: event.providerRef };
      // A purpose nobody handles on this site cannot be delivered either: refunded, never kept.
      const outcome = handlers.succeeded ? await handlers.succeeded(tx, updated, event) : { undeliverable: NO_PURPOSE_HANDLER };
      if (outcome && 'undeliverable' in outcome) {
        await scheduleUndeliverableRefund(deps, tx, updated, outcome.undeliverable);
        return undefined;
      }
      await deps.events.publish(tx, 'payment.succeeded', { paymentId: payment.id, purpose: payment.purpose, channelId: payment.channel_id }, `payment:${payment.id}`);
      return updated;
    }
    case 'payment.failed':
    case 'invoice.expired':
    case 'payment.requires_action': {
      if (payment.status === 'succeeded') return undefined;
      const status = event.type === 'payment.failed' ? 'failed' : event.type === 'invoice.expired' ? 'expired' : 'requires_action';
      await q.setStatus(tx, payment.id, status, event.declineCode);
      await handlers.failed?.(tx, payment, event);
      return undefined;
    }
    case 'refund.succeeded': {
      const transactionId = requirePaid(payment, event);
      await recordRefund(tx, { idempotencyKey: ledgerKey(event, 'refund', event.eventId), paymentTransactionId: transactionId, amount: money(event.amount, event.currency), externalRef: event.providerRef, occurredAt: event.occurredAt });
      await q.setStatus(tx, payment.id, 'refunded');
      await deps.events.publish(tx, 'payment.reversed', { paymentId: payment.id, purpose: payment.purpose, channelId: payment.channel_id, kind: 'refund' }, `refund:${event.provider}:${event.eventId}`);
      return undefined;
    }
    case 'dispute.opened': {
      const transactionId = requirePaid(payment, event);
      const fee = event.fee ? money(event.fee, event.currency) : undefined;
      await recordDispute(tx, { idempotencyKey: ledgerKey(event, 'dispute'), paymentTransactionId: transactionId, amount: money(event.amount, event.currency), fee, externalRef: event.providerRef, occurredAt: event.occurredAt });
      await q.setStatus(tx, payment.id, 'disputed');
      await deps.events.publish(tx, 'payment.reversed', { paymentId: payment.id, purpose: payment.purpose, channelId: payment.channel_id, kind: 'dispute' }, `dispute:${event.provider}:${event.providerRef}`);
      return undefined;
    }
    case 'dispute.won':
    case 'dispute.lost': {
      const rows = await tx.query<{ id: number }>('SELECT id FROM ledger_transactions WHERE idempotency_key = $1', [ledgerKey(event, 'dispute')]);
      if (!rows[0]) throw new EventOutOfOrderError(`dispute outcome for ${event.providerRef} before the dispute was recorded`);
      await recordDisputeResolved(tx, {
        idempotencyKey: ledgerKey(event, 'dispute-outcome'),
        disputeTransactionId: rows[0].id,
        outcome: event.type === 'dispute.won' ? 'won' : 'lost',
        externalRef: event.providerRef,
        occurredAt: event.occurredAt,
      });
      if (event.type === 'dispute.won') await q.setStatus(tx, payment.id, 'succeeded');
      return undefined;
    }
    case 'payment_method.saved':
      await handlers.methodSaved?.(tx, payment, event);
      return undefined;
  }
}

/**
 * Applies a synchronous off-session charge result (`chargeSaved` said succeeded) like its webhook would:
 * the webhook, when it comes, changes nothing. Renewals and fan-budget charges use it.
 */
export async function applyChargeResult(
  deps: AppDeps,
  purposes: PurposeRegistry,
  charge: { paymentId: string; provider: PaymentEvent['provider']; livemode: boolean; providerRef: string; charged: Money; fee: number | undefined },
): Promise<void> {
  const { paymentId, provider, livemode, providerRef, charged, fee } = charge;
  await applyPaymentEvents(deps, purposes, [
    { provider, eventId: `charge-result:${providerRef}`, type: 'payment.succeeded', providerRef, amount: charged.amount, currency: charged.currency, fee, occurredAt: deps.clock.now(), metadata: { paymentId }, livemode },
  ]);
}

/** A verified event that contradicts what the site recorded (another amount or currency): never applied. */
export class PaymentEventRefusedError extends Error {
  override name = 'PaymentEventRefusedError';
}

/** The purpose a setup checkout's `payment_method.saved` is for (no payment row exists for it). */
function setupPurpose(purposes: PurposeRegistry, event: PaymentEvent): PaymentPurposeHandlers | undefined {
  if (event.type !== 'payment_method.saved' || event.metadata['paymentId'] || event.metadata['setup'] !== '1') return undefined;
  const handlers = purposes[event.metadata['purpose'] as q.PaymentRow['purpose']];
  return handlers?.setupSaved ? handlers : undefined;
}

/** An event that arrived before the one it depends on; the provider's retry will apply it. */
export class EventOutOfOrderError extends Error {
  override name = 'EventOutOfOrderError';
}

function requirePaid(payment: q.PaymentRow, event: PaymentEvent): number {
  if (!payment.ledger_transaction_id) throw new EventOutOfOrderError(`${event.type} for payment ${payment.id} that is not recorded as paid yet`);
  return payment.ledger_transaction_id;
}
