// Paying a creator out: money leaves what the site holds for them.
import type { Queryable } from '../../core/db/index.js';
import { money, type Money } from '../money.js';
import { accounts } from './accounts.js';
import { InsufficientBalanceError, InvalidPostingError } from './errors.js';
import { hashRequest, inTransaction, postTransaction, replayOf, type PostResult } from './post.js';
import { findTransactionByKey, lockAccountBalance } from './queries.js';

/** A payout to a creator. */
export interface RecordPayoutOptions {
  idempotencyKey: string;
  channelId: string;
  amount: Money;
  provider?: string | null;
  externalRef?: string | null;
  occurredAt: Date;
  description?: string;
}

/**
 * Moves `amount` from the creator's payable balance to their paid-out account. Payouts of one
 * creator are decided one at a time (the payable account row is locked), and never exceed the
 * balance: a creator who owes (negative balance after a refund or dispute) is paid nothing until
 * new earnings cover the debt. Replaying the idempotency key returns the first payout.
 */
export async function recordPayout(q: Queryable, options: RecordPayoutOptions): Promise<PostResult> {
  const { idempotencyKey, channelId, amount } = options;
  if (amount.amount <= 0) throw new InvalidPostingError('a payout is for a positive amount');
  const requestHash = hashRequest({ op: 'payout', ...options, description: undefined });
  const payable = accounts.creatorPayable(channelId, amount.currency);
  return inTransaction(q, async (tx) => {
    const balance = (await lockAccountBalance(tx, payable.code)) ?? 0;
    const existing = await findTransactionByKey(tx, idempotencyKey);
    if (existing) return replayOf(existing, idempotencyKey, requestHash);
    if (amount.amount > balance) throw new InsufficientBalanceError(amount, money(balance, amount.currency));
    return postTransaction(tx, {
      idempotencyKey,
      kind: 'payout',
      channelId,
      provider: options.provider ?? null,
      externalRef: options.externalRef ?? null,
      occurredAt: options.occurredAt,
      description: options.description,
      postings: [
        { account: payable, amount: money(-amount.amount, amount.currency), channelId },
        { account: accounts.creatorPaidOut(channelId, amount.currency), amount, channelId },
      ],
      requestHash,
    });
  });
}
