// The outcome of a dispute, recorded once. Won: the money comes back and each creator and the
// platform get back exactly what the dispute took from them (the processor keeps its dispute fee).
// Lost: the held money becomes a chargeback for good; the creators' balances already bore it.
import type { Queryable } from '../../core/db/index.js';
import { money, type Currency, type Money } from '../money.js';
import { accounts } from './accounts.js';
import { DisputeAlreadyResolvedError, TransactionNotFoundError } from './errors.js';
import { hashRequest, inTransaction, postTransaction, replayOf, type FundingSource, type PostingInput, type PostResult } from './post.js';
import { findResolution, findTransactionByKey, lockTransaction, transactionSlices } from './queries.js';
import { slicesByChannel, type Slice } from './slices.js';

/** How a dispute ended. */
export type DisputeOutcome = 'won' | 'lost';

/** The outcome of a dispute, as the provider reported it. */
export interface RecordDisputeResolvedOptions {
  idempotencyKey: string;
  disputeTransactionId: number;
  outcome: DisputeOutcome;
  externalRef?: string | null;
  occurredAt: Date;
  description?: string;
}

function outcomePostings(outcome: DisputeOutcome, provider: string, currency: Currency, slices: Map<string, Slice>): PostingInput[] {
  const lines: PostingInput[] = [];
  for (const [channelId, s] of slices) {
    const held = money(s.disputes_open, currency);
    const release = { account: accounts.disputesOpen(provider, currency), amount: money(-held.amount, currency), channelId };
    if (outcome === 'lost') {
      lines.push(release, { account: accounts.chargebacks(provider, currency), amount: held, channelId });
      continue;
    }
    const platformBack = -s.platform_fees;
    lines.push(release, { account: accounts.creatorPayable(channelId, currency), amount: money(held.amount - platformBack, currency), channelId });
    if (platformBack !== 0) lines.push({ account: accounts.platformFees(currency), amount: money(platformBack, currency), channelId });
  }
  return lines.filter((p) => p.amount.amount !== 0);
}

/**
 * Records how a dispute ended (kind dispute_reversal when won, dispute_lost when lost). Works after
 * payouts. Throws DisputeAlreadyResolvedError on a second, different outcome; replaying the same
 * idempotency key returns the first and changes nothing.
 */
export async function recordDisputeResolved(q: Queryable, options: RecordDisputeResolvedOptions): Promise<PostResult & { amount: Money }> {
  const requestHash = hashRequest({ op: 'dispute_resolved', ...options, description: undefined });
  return inTransaction(q, async (tx) => {
    const dispute = await lockTransaction(tx, options.disputeTransactionId);
    if (!dispute || dispute.kind !== 'dispute' || !dispute.provider) throw new TransactionNotFoundError(options.disputeTransactionId, 'dispute');
    const rows = await transactionSlices(tx, dispute.id);
    const currency = rows[0]!.currency;
    const slices = slicesByChannel(rows);
    const amount = money([...slices.values()].reduce((sum, s) => sum + s.disputes_open, 0), currency);
    const existing = await findTransactionByKey(tx, options.idempotencyKey);
    if (existing) return { ...replayOf(existing, options.idempotencyKey, requestHash), amount };
    if (await findResolution(tx, dispute.id)) throw new DisputeAlreadyResolvedError(dispute.id);
    const result = await postTransaction(tx, {
      idempotencyKey: options.idempotencyKey,
      kind: options.outcome === 'won' ? 'dispute_reversal' : 'dispute_lost',
      source: dispute.source as FundingSource | null,
      channelId: dispute.channel_id,
      provider: dispute.provider,
      externalRef: options.externalRef ?? null,
      reversesTransactionId: dispute.id,
      occurredAt: options.occurredAt,
      description: options.description,
      postings: outcomePostings(options.outcome, dispute.provider, currency, slices),
      requestHash,
    });
    return { ...result, amount };
  });
}
