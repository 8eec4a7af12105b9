// Typed ledger errors. Each carries the data a caller needs to explain or retry; none is thrown after
// a statement failed, so the caller's database transaction stays usable.
import { MoneyError, type Money } from '../money.js';

/** The postings of a transaction do not sum to zero in `currency` (or for one creator within it). */
export class UnbalancedTransactionError extends MoneyError {
  constructor(
    readonly currency: string,
    readonly sum: number,
    readonly channelId: string | null,
  ) {
    super('unbalanced_transaction', `postings sum to ${sum} ${currency}${channelId ? ` for channel ${channelId}` : ''}, not 0`);
  }
}

/** A transaction request that can never be posted (no postings, a zero amount, a bad fee rate…). */
export class InvalidPostingError extends MoneyError {
  constructor(message: string) {
    super('invalid_posting', message);
  }
}

/** The idempotency key was first used for a different request; nothing was posted. */
export class IdempotencyKeyReusedError extends MoneyError {
  constructor(
    readonly idempotencyKey: string,
    readonly transactionId: number,
  ) {
    super('idempotency_key_reused', `idempotency key ${JSON.stringify(idempotencyKey)} was used for a different request (transaction ${transactionId})`);
  }
}

/** The provider's reference is already recorded under another idempotency key. */
export class DuplicateExternalRefError extends MoneyError {
  constructor(
    readonly provider: string,
    readonly externalRef: string,
    readonly transactionId: number,
  ) {
    super('duplicate_external_ref', `${provider} ${externalRef} is already recorded as transaction ${transactionId}`);
  }
}

/** The transaction a refund, dispute or resolution refers to does not exist (yet: webhooks arrive out of order). */
export class TransactionNotFoundError extends MoneyError {
  constructor(
    readonly transactionId: number,
    readonly expectedKind: string,
  ) {
    super('transaction_not_found', `no ${expectedKind} transaction ${transactionId}`);
  }
}

/** A refund or dispute asks for more than is left of the payment. */
export class RefundExceedsPaymentError extends MoneyError {
  constructor(
    readonly requested: Money,
    readonly refundable: Money,
  ) {
    super('refund_exceeds_payment', `cannot reverse ${requested.amount} ${requested.currency}: only ${refundable.amount} left`);
  }
}

/** The dispute already has its outcome. */
export class DisputeAlreadyResolvedError extends MoneyError {
  constructor(readonly disputeTransactionId: number) {
    super('dispute_already_resolved', `dispute ${disputeTransactionId} is already resolved`);
  }
}

/** A payout asks for more than the creator's payable balance. */
export class InsufficientBalanceError extends MoneyError {
  constructor(
    readonly requested: Money,
    readonly available: Money,
  ) {
    super('insufficient_balance', `cannot pay out ${requested.amount} ${requested.currency}: balance is ${available.amount}`);
  }
}

/** The platform fee rate is outside 0..1000 basis points (creators keep at least 90 %). */
export class PlatformFeeTooHighError extends MoneyError {
  constructor(readonly basisPoints: number) {
    super('platform_fee_too_high', `platform fee of ${basisPoints} basis points is outside 0..1000`);
  }
}
