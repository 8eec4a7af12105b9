// A fan's payment: gross in through the provider, split into processor fee, platform fee and the
// creator's net — for one creator, or split among several inside one transaction.
import type { Queryable } from '../../core/db/index.js';
import { assertSameCurrency, MAX_PLATFORM_FEE_BPS, money, percentOf, splitLargestRemainder, sumMoney, type Money } from '../money.js';
import { accounts } from './accounts.js';
import { InvalidPostingError, PlatformFeeTooHighError, TransactionNotFoundError } from './errors.js';
import { hashRequest, postTransaction, type FundingSource, type PostingInput, type PostResult } from './post.js';
import { transactionSlices } from './queries.js';
import { slicesByChannel } from './slices.js';

/** Where a payment's money went. Always gross = processorFee + platformFee + net, exactly. */
export interface PaymentBreakdown {
  gross: Money;
  processorFee: Money;
  platformFee: Money;
  net: Money;
}

/** One creator's part of a payment. */
export interface ChannelBreakdown extends PaymentBreakdown {
  channelId: string;
}

/** A creator's share of a split payment, in proportion to `weight`. */
export interface PaymentShare {
  channelId: string;
  weight: number;
}

/** A fan payment to one creator, as the payment provider reported it. */
export interface RecordPaymentOptions {
  idempotencyKey: string;
  channelId: string;
  fanUserId?: string | null;
  source: FundingSource;
  provider: string;
  /** The provider's id of the charge (e.g. Stripe's ch_…); recorded once. */
  externalRef: string;
  gross: Money;
  /** What the processor kept, in the payment's currency. */
  processorFee: Money;
  /** The site's fee, 0..1000 basis points (0 % by default on a self-hosted site, at most 10 %). */
  platformFeeBps: number;
  occurredAt: Date;
  description?: string;
}

/** A fan payment split among several creators (the monthly fan budget, a collective). */
export interface RecordSplitPaymentOptions extends Omit<RecordPaymentOptions, 'channelId'> {
  shares: readonly PaymentShare[];
}

/**
 * Splits a payment among creators. Rules: shares are taken in channel id order; the gross is split by
 * weight, and the processor fee by each creator's gross, both by largest remainder (ties to the lowest
 * channel id); each creator's platform fee is `platformFeeBps` of their gross minus their processor fee,
 * rounded down (the platform never takes a cut of the processor's fee, and the odd cent stays with the
 * creator). Creators whose share rounds to nothing are left out.
 */
export function planPayment(options: Pick<RecordSplitPaymentOptions, 'gross' | 'processorFee' | 'platformFeeBps' | 'shares'>): ChannelBreakdown[] {
  const { gross, processorFee, platformFeeBps } = options;
  assertSameCurrency(gross, processorFee);
  if (gross.amount <= 0) throw new InvalidPostingError('a payment is for a positive amount');
  if (processorFee.amount < 0 || processorFee.amount > gross.amount) throw new InvalidPostingError('the processor fee is between zero and the gross');
  if (!Number.isInteger(platformFeeBps) || platformFeeBps < 0 || platformFeeBps > MAX_PLATFORM_FEE_BPS) throw new PlatformFeeTooHighError(platformFeeBps);
  const shares = [...options.shares].sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0));
  if (shares.length === 0) throw new InvalidPostingError('a payment goes to at least one creator');
  if (new Set(shares.map((s) => s.channelId)).size !== shares.length) throw new InvalidPostingError('a creator appears twice in one payment');
  const grosses = splitLargestRemainder(gross.amount, shares.map((s) => s.weight));
  const fees = splitLargestRemainder(processorFee.amount, grosses);
  const currency = gross.currency;
  return shares
    .map((share, i) => {
      const platformFee = percentOf(grosses[i]! - fees[i]!, platformFeeBps);
      return {
        channelId: share.channelId,
        gross: money(grosses[i]!, currency),
        processorFee: money(fees[i]!, currency),
        platformFee: money(platformFee, currency),
        net: money(grosses[i]! - fees[i]! - platformFee, currency),
      };
    })
    .filter((b) => b.gross.amount > 0);
}

function paymentPostings(provider: string, parts: readonly ChannelBreakdown[]): PostingInput[] {
  return parts.flatMap(({ channelId, gross, processorFee, platformFee, net }) => {
    const c = gross.currency;
    const lines: PostingInput[] = [
      { account: accounts.providerClearing(provider, c), amount: money(-gross.amount, c), channelId },
      { account: accounts.processorFees(provider, c), amount: processorFee, channelId },
      { account: accounts.platformFees(c), amount: platformFee, channelId },
      { account: accounts.creatorPayable(channelId, c), amount: net, channelId },
    ];
    return lines.filter((p) => p.amount.amount !== 0);
  });
}

/** The sum of several creators' breakdowns. */
export function totalOf(parts: readonly ChannelBreakdown[], currency: Money['currency']): PaymentBreakdown {
  const total = (pick: (b: ChannelBreakdown) => Money) => sumMoney(currency, parts.map(pick));
  return { gross: total((b) => b.gross), processorFee: total((b) => b.processorFee), platformFee: total((b) => b.platformFee), net: total((b) => b.net) };
}

/**
 * Records a payment split among creators in one transaction (one statement: atomic even when `q` is
 * the database itself). Replaying the idempotency key returns the breakdown recorded the first time
 * and posts nothing.
 */
export async function recordSplitPayment(
  q: Queryable,
  options: RecordSplitPaymentOptions,
): Promise<PostResult & { total: PaymentBreakdown; shares: ChannelBreakdown[] }> {
  const parts = planPayment(options);
  const { idempotencyKey, fanUserId = null, source, provider, externalRef, gross, processorFee, platformFeeBps, occurredAt } = options;
  const requestHash = hashRequest({ op: 'payment', shares: [...options.shares].sort((a, b) => (a.channelId < b.channelId ? -1 : 1)), fanUserId, source, provider, externalRef, gross, processorFee, platformFeeBps, occurredAt });
  const result = await postTransaction(q, {
    idempotencyKey,
    kind: 'payment',
    source,
    channelId: parts.length === 1 ? parts[0]!.channelId : null,
    fanUserId,
    provider,
    externalRef,
    platformFeeBps,
    occurredAt,
    description: options.description,
    postings: paymentPostings(provider, parts),
    requestHash,
  });
  const shares = result.created ? parts : await readPaymentShares(q, result.transactionId);
  return { ...result, total: totalOf(shares, gross.currency), shares };
}

/**
 * Records a fan's payment to one creator: gross in through the provider's clearing account, the
 * processor fee, the platform fee (rounded down) and the creator's net, with gross = fees + net
 * exactly. Replaying the idempotency key returns the first breakdown and posts nothing.
 */
export async function recordPayment(q: Queryable, options: RecordPaymentOptions): Promise<PostResult & { breakdown: PaymentBreakdown }> {
  const { channelId, ...rest } = options;
  const result = await recordSplitPayment(q, { ...rest, shares: [{ channelId, weight: 1 }] });
  return { transactionId: result.transactionId, created: result.created, breakdown: result.total };
}

/** Each creator's part of a recorded payment, read back from its postings (channel id order). */
export async function readPaymentShares(q: Queryable, paymentTransactionId: number): Promise<ChannelBreakdown[]> {
  const rows = await transactionSlices(q, paymentTransactionId);
  if (rows.length === 0) throw new TransactionNotFoundError(paymentTransactionId, 'payment');
  const currency = rows[0]!.currency;
  return [...slicesByChannel(rows)].map(([channelId, s]) => ({
    channelId,
    gross: money(-s.provider_clearing, currency),
    processorFee: money(s.processor_fees, currency),
    platformFee: money(s.platform_fees, currency),
    net: money(s.creator_payable, currency),
  }));
}
