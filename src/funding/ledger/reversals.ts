// Refunds and disputes: money going back to the fan. Each is a new transaction pointing at its
// payment, never an edit; they work after the creator was paid out (the payable balance then goes
// negative: the creator owes it, and it is taken from their next earnings before any payout).
import type { Queryable } from '../../core/db/index.js';
import { assertSameCurrency, money, mulDivCeil, splitLargestRemainder, zero, type Currency, type Money } from '../money.js';
import { accounts } from './accounts.js';
import { InvalidPostingError, RefundExceedsPaymentError, TransactionNotFoundError } from './errors.js';
import { hashRequest, inTransaction, postTransaction, replayOf, type FundingSource, type PostingInput, type PostResult } from './post.js';
import { findTransactionByKey, lockTransaction, reversalSlices, transactionSlices, type TransactionRow } from './queries.js';
import { slicesByChannel } from './slices.js';

/** A creator's part of a payment, and how much of it was reversed so far. */
export interface ReversalBasis {
  channelId: string;
  gross: number;
  platformFee: number;
  /** Refunded, or held by a dispute still open or lost. */
  reversed: number;
  /** Platform fee already given back. */
  platformFeeReturned: number;
}

/** One creator's part of a refund or dispute. */
export interface ReversalShare {
  channelId: string;
  amount: number;
  platformFeeReturned: number;
}

/**
 * Splits a reversal of `amount` among a payment's creators. Rules: each creator gives back in
 * proportion to what is left of their share (largest remainder, ties to the lowest channel id), so
 * nobody gives back more than they received; the platform returns its fee in proportion to what was
 * reversed, rounded UP on the cumulative amount (in the creator's favour, like the fee itself), so a
 * payment refunded in full returns the platform fee in full, to the cent. Processor fees are not
 * returned (providers keep them).
 */
export function planReversal(basis: readonly ReversalBasis[], amount: number): ReversalShare[] {
  const split = splitLargestRemainder(amount, basis.map((b) => b.gross - b.reversed));
  return basis
    .map((b, i) => {
      const share = split[i]!;
      const target = b.gross === 0 ? 0 : mulDivCeil(b.platformFee, b.reversed + share, b.gross);
      const platformFeeReturned = Math.max(0, Math.min(target - b.platformFeeReturned, b.platformFee - b.platformFeeReturned, share));
      return { channelId: b.channelId, amount: share, platformFeeReturned };
    })
    .filter((s) => s.amount > 0);
}

interface PaymentState {
  payment: TransactionRow & { provider: string };
  currency: Currency;
  basis: ReversalBasis[];
  refundable: Money;
}

async function loadPaymentState(q: Queryable, paymentId: number): Promise<PaymentState> {
  const payment = await lockTransaction(q, paymentId);
  if (!payment || payment.kind !== 'payment' || !payment.provider) throw new TransactionNotFoundError(paymentId, 'payment');
  const paid = await transactionSlices(q, paymentId);
  const reversed = slicesByChannel(await reversalSlices(q, paymentId));
  const currency = paid[0]!.currency;
  const basis = [...slicesByChannel(paid)].map(([channelId, s]) => {
    const r = reversed.get(channelId);
    return {
      channelId,
      gross: -s.provider_clearing,
      platformFee: s.platform_fees,
      reversed: r ? r.refunds + r.disputes_open + r.chargebacks : 0,
      platformFeeReturned: r ? -r.platform_fees : 0,
    };
  });
  const left = basis.reduce((sum, b) => sum + b.gross - b.reversed, 0);
  return { payment: payment as PaymentState['payment'], currency, basis, refundable: money(left, currency) };
}

/** What is left to refund of a payment: its gross minus refunds and disputes not won. */
export async function refundableAmount(q: Queryable, paymentTransactionId: number): Promise<Money> {
  return inTransaction(q, async (tx) => (await loadPaymentState(tx, paymentTransactionId)).refundable);
}

/** A refund of all or part of a payment. */
export interface RecordRefundOptions {
  idempotencyKey: string;
  paymentTransactionId: number;
  /** At most what is left refundable. */
  amount: Money;
  externalRef?: string | null;
  occurredAt: Date;
  description?: string;
}

/** A dispute (chargeback) opened by the fan's bank. */
export interface RecordDisputeOptions extends Omit<RecordRefundOptions, 'amount'> {
  /** Defaults to everything left of the payment. */
  amount?: Money;
  /** The processor's dispute fee, borne by the creators in proportion to the disputed amounts. */
  fee?: Money;
}

/** The reversal recorded (or found, on a replay), and what is left refundable after it. */
export interface ReversalResult extends PostResult {
  amount: Money;
  refundable: Money;
}

async function recordReversal(
  q: Queryable,
  kind: 'refund' | 'dispute',
  options: RecordDisputeOptions,
  postingsFor: (state: PaymentState, shares: ReversalShare[]) => PostingInput[],
): Promise<ReversalResult> {
  const requestHash = hashRequest({ op: kind, ...options, description: undefined });
  return inTransaction(q, async (tx) => {
    const state = await loadPaymentState(tx, options.paymentTransactionId);
    const existing = await findTransactionByKey(tx, options.idempotencyKey);
    if (existing) {
      const result = replayOf(existing, options.idempotencyKey, requestHash);
      const slices = slicesByChannel(await transactionSlices(tx, existing.id));
      const amount = [...slices.values()].reduce((s, x) => s + x.refunds + x.disputes_open, 0);
      return { ...result, amount: money(amount, state.currency), refundable: state.refundable };
    }
    const amount = options.amount ?? state.refundable;
    assertSameCurrency(amount, state.refundable);
    if (amount.amount <= 0) throw new InvalidPostingError(`a ${kind} is for a positive amount`);
    if (amount.amount > state.refundable.amount) throw new RefundExceedsPaymentError(amount, state.refundable);
    const shares = planReversal(state.basis, amount.amount);
    const result = await postTransaction(tx, {
      idempotencyKey: options.idempotencyKey,
      kind,
      source: state.payment.source as FundingSource | null,
      channelId: state.payment.channel_id,
      provider: state.payment.provider,
      externalRef: options.externalRef ?? null,
      reversesTransactionId: state.payment.id,
      occurredAt: options.occurredAt,
      description: options.description,
      postings: postingsFor(state, shares),
      requestHash,
    });
    return { ...result, amount, refundable: money(state.refundable.amount - amount.amount, state.currency) };
  });
}

const nonZero = (postings: PostingInput[]) => postings.filter((p) => p.amount.amount !== 0);

/**
 * Gives all or part of a payment back to the fan (partial refunds allowed; together they never exceed
 * the payment). Each creator gives back their part minus the platform fee returned (see planReversal);
 * processor fees are not returned. Throws RefundExceedsPaymentError when asking for more than is left,
 * TransactionNotFoundError when the payment is not recorded (yet).
 */
export function recordRefund(q: Queryable, options: RecordRefundOptions): Promise<ReversalResult> {
  return recordReversal(q, 'refund', options, ({ payment, currency }, shares) =>
    nonZero(
      shares.flatMap(({ channelId, amount, platformFeeReturned }) => [
        { account: accounts.refunds(payment.provider, currency), amount: money(amount, currency), channelId },
        { account: accounts.platformFees(currency), amount: money(-platformFeeReturned, currency), channelId },
        { account: accounts.creatorPayable(channelId, currency), amount: money(platformFeeReturned - amount, currency), channelId },
      ]),
    ),
  );
}

/**
 * Records a dispute: the fan's bank holds the disputed amount (disputes_open) until the outcome.
 * The creators' balances go down now, as for a refund, plus the processor's dispute fee if any;
 * recordDisputeResolved gives it back if the dispute is won.
 */
export function recordDispute(q: Queryable, options: RecordDisputeOptions): Promise<ReversalResult> {
  return recordReversal(q, 'dispute', options, ({ payment, currency }, shares) => {
    const fee = options.fee ?? zero(currency);
    assertSameCurrency(fee, zero(currency));
    if (fee.amount < 0) throw new InvalidPostingError('a dispute fee is not negative');
    const fees = splitLargestRemainder(fee.amount, shares.map((s) => s.amount));
    return nonZero(
      shares.flatMap(({ channelId, amount, platformFeeReturned }, i) => [
        { account: accounts.disputesOpen(payment.provider, currency), amount: money(amount, currency), channelId },
        { account: accounts.processorFees(payment.provider, currency), amount: money(fees[i]!, currency), channelId },
        { account: accounts.platformFees(currency), amount: money(-platformFeeReturned, currency), channelId },
        { account: accounts.creatorPayable(channelId, currency), amount: money(platformFeeReturned - amount - fees[i]!, currency), channelId },
      ]),
    );
  });
}
