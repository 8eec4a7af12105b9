// The one way money enters the journal: a balanced transaction posted under an idempotency key.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../core/db/index.js';
import type { Money } from '../money.js';
import type { AccountSpec } from './accounts.js';
import { DuplicateExternalRefError, IdempotencyKeyReusedError, InvalidPostingError, UnbalancedTransactionError } from './errors.js';
import { findTransactionByExternalRef, findTransactionByKey, insertTransaction, type NewPosting, type NewTransaction, type TransactionRow } from './queries.js';

/** What a transaction records. */
export type TransactionKind = 'payment' | 'refund' | 'dispute' | 'dispute_reversal' | 'dispute_lost' | 'payout' | 'fee_adjustment';

/** The funding model money came through. */
export type FundingSource = 'tip' | 'membership' | 'fan_budget' | 'bundle' | 'campaign';

/** One line of a transaction: `amount` (> 0 debit: value arrives; < 0 credit: value leaves) on `account`. */
export interface PostingInput {
  account: AccountSpec;
  amount: Money;
  /** The creator this posting is on behalf of (defaults to the account's own channel). */
  channelId?: string | null;
}

/** A transaction to post. */
export interface PostTransactionInput {
  idempotencyKey: string;
  kind: TransactionKind;
  source?: FundingSource | null;
  channelId?: string | null;
  fanUserId?: string | null;
  provider?: string | null;
  externalRef?: string | null;
  reversesTransactionId?: number | null;
  platformFeeBps?: number | null;
  occurredAt: Date;
  description?: string;
  metadata?: Record<string, unknown>;
  postings: readonly PostingInput[];
  /** What a replay under the same key must match; defaults to a hash of this input. */
  requestHash?: string;
}

/** The transaction's id, and whether this call created it (false: the key was already posted). */
export interface PostResult {
  transactionId: number;
  created: boolean;
}

/** Runs `work` in a transaction: the database's own when given the database, the caller's when given one. */
export function inTransaction<T>(q: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const db = q as Queryable & { transaction?: <R>(w: (tx: Queryable) => Promise<R>) => Promise<R> };
  return typeof db.transaction === 'function' ? db.transaction(work) : work(q);
}

/** SHA-256 of a canonical JSON form of `value` (object keys sorted), as hex. */
export function hashRequest(value: unknown): string {
  const canonical = JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Throws unless the postings can form a transaction: at least two, none zero, each in its account's
 * currency, summing to zero per currency and per creator within it (each creator's slice balances,
 * which is what lets statements be read from the journal).
 */
export function assertBalanced(postings: readonly PostingInput[]): void {
  if (postings.length < 2) throw new InvalidPostingError('a transaction needs at least two postings');
  const sums = new Map<string, { currency: string; channelId: string | null; sum: number }>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount.amount) || p.amount.amount === 0) {
      throw new InvalidPostingError(`posting of ${p.amount.amount} on ${p.account.code}: amounts are non-zero integers`);
    }
    if (p.amount.currency !== p.account.currency) {
      throw new InvalidPostingError(`posting in ${p.amount.currency} on ${p.account.code}, an account in ${p.account.currency}`);
    }
    const channelId = p.channelId ?? p.account.channelId;
    const key = `${p.amount.currency}/${channelId ?? ''}`;
    const entry = sums.get(key) ?? { currency: p.amount.currency, channelId, sum: 0 };
    entry.sum += p.amount.amount;
    sums.set(key, entry);
  }
  for (const { currency, channelId, sum } of sums.values()) {
    if (sum !== 0) throw new UnbalancedTransactionError(currency, sum, channelId);
  }
}

/** Checks that an existing transaction answers this request, and returns it as a replay. */
export function replayOf(existing: TransactionRow, key: string, requestHash: string): PostResult {
  if (existing.request_hash !== requestHash) throw new IdempotencyKeyReusedError(key, existing.id);
  return { transactionId: existing.id, created: false };
}

function toRows(input: PostTransactionInput, requestHash: string): { row: NewTransaction; postings: NewPosting[] } {
  const row: NewTransaction = {
    idempotencyKey: input.idempotencyKey,
    requestHash,
    kind: input.kind,
    source: input.source ?? null,
    channelId: input.channelId ?? null,
    fanUserId: input.fanUserId ?? null,
    provider: input.provider ?? null,
    externalRef: input.externalRef ?? null,
    reversesTransactionId: input.reversesTransactionId ?? null,
    platformFeeBps: input.platformFeeBps ?? null,
    occurredAt: input.occurredAt,
    description: input.description ?? '',
    metadata: input.metadata ?? {},
  };
  const postings = input.postings.map((p) => ({ account: p.account, currency: p.amount.currency, amount: p.amount.amount, channelId: p.channelId ?? p.account.channelId }));
  return { row, postings };
}

/**
 * Posts a balanced transaction. Posting again under the same idempotency key returns the first
 * transaction and changes nothing, also when both arrive at once from different connections (the
 * second waits for the first to commit); a key reused for a different request throws
 * IdempotencyKeyReusedError. Creates the accounts it names on first use. Never leaves the caller's
 * transaction aborted: conflicts are resolved with ON CONFLICT DO NOTHING, not caught errors (call it
 * in READ COMMITTED, PostgreSQL's default). The database re-checks the balance at commit, so even SQL
 * written by hand cannot break it. The write is one statement, atomic by itself: `q` may be the
 * database or an open transaction.
 */
export async function postTransaction(q: Queryable, input: PostTransactionInput): Promise<PostResult> {
  assertBalanced(input.postings);
  const requestHash =
    input.requestHash ??
    hashRequest({ ...input, postings: input.postings.map((p) => ({ code: p.account.code, amount: p.amount, channelId: p.channelId ?? null })) });
  const { row, postings } = toRows(input, requestHash);
  const transactionId = await insertTransaction(q, row, postings);
  if (transactionId !== undefined) return { transactionId, created: true };
  // Nothing was written: say why. These lookups only read.
  const existing = await findTransactionByKey(q, input.idempotencyKey);
  if (existing) return replayOf(existing, input.idempotencyKey, requestHash);
  if (input.provider && input.externalRef) {
    const same = await findTransactionByExternalRef(q, input.kind, input.provider, input.externalRef);
    if (same) throw new DuplicateExternalRefError(input.provider, input.externalRef, same.id);
  }
  throw new InvalidPostingError(`transaction ${input.idempotencyKey} conflicts with one already recorded`);
}
