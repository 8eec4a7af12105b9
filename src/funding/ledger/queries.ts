// Every SQL statement of the ledger. Sums are cast to bigint: int8 reaches JS as a number on both
// engines, while numeric (what sum(bigint) returns) would arrive as a string. Currencies read from the
// ledger's tables are typed `Currency`: migration 004 lets accounts hold only the supported ones, and a
// posting only its account's.
import type { Queryable } from '../../core/db/index.js';
import type { Currency } from '../money.js';
import type { AccountKind, AccountSpec } from './accounts.js';

/** A transaction row as the ledger code reads it. */
export interface TransactionRow {
  id: number;
  idempotency_key: string;
  request_hash: string;
  kind: string;
  source: string | null;
  channel_id: string | null;
  provider: string | null;
  external_ref: string | null;
  reverses_transaction_id: number | null;
  occurred_at: Date;
}

const TRANSACTION_COLUMNS =
  'id, idempotency_key, request_hash, kind, source, channel_id, provider, external_ref, reverses_transaction_id, occurred_at';

/** Column values of a new transaction. */
export interface NewTransaction {
  idempotencyKey: string;
  requestHash: string;
  kind: string;
  source: string | null;
  channelId: string | null;
  fanUserId: string | null;
  provider: string | null;
  externalRef: string | null;
  reversesTransactionId: number | null;
  platformFeeBps: number | null;
  occurredAt: Date;
  description: string;
  metadata: Record<string, unknown>;
}

/** A posting ready to insert. */
export interface NewPosting {
  account: AccountSpec;
  currency: string;
  amount: number;
  channelId: string | null;
}

/**
 * Records a transaction with its postings through the database's one insert path, ledger_post()
 * (see migration 004): one round trip, accounts created on first use. Returns the new id, or
 * undefined when a unique constraint already holds such a transaction (nothing is written, and the
 * caller's transaction stays usable).
 */
export async function insertTransaction(q: Queryable, tx: NewTransaction, postings: readonly NewPosting[]): Promise<number | undefined> {
  const rows = await q.query<{ id: number | null }>(
    `SELECT ledger_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
       $14::text[], $15::text[], $16::text[], $17::uuid[], $18::text[], $19::text[], $20::bigint[], $21::uuid[]) AS id`,
    [
      tx.idempotencyKey,
      tx.requestHash,
      tx.kind,
      tx.source,
      tx.channelId,
      tx.fanUserId,
      tx.provider,
      tx.externalRef,
      tx.reversesTransactionId,
      tx.platformFeeBps,
      tx.occurredAt,
      tx.description,
      JSON.stringify(tx.metadata),
      postings.map((p) => p.account.code),
      postings.map((p) => p.account.kind),
      postings.map((p) => p.account.normalSide),
      postings.map((p) => p.account.channelId),
      postings.map((p) => p.account.provider),
      postings.map((p) => p.currency),
      postings.map((p) => p.amount),
      postings.map((p) => p.channelId),
    ],
  );
  return rows[0]!.id ?? undefined;
}

/** The transaction first posted under `key`. */
export async function findTransactionByKey(q: Queryable, key: string): Promise<TransactionRow | undefined> {
  const rows = await q.query<TransactionRow>(`SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE idempotency_key = $1`, [key]);
  return rows[0];
}

/** The transaction of this kind recorded for a provider's reference. */
export async function findTransactionByExternalRef(q: Queryable, kind: string, provider: string, externalRef: string): Promise<TransactionRow | undefined> {
  const rows = await q.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE kind = $1 AND provider = $2 AND external_ref = $3`,
    [kind, provider, externalRef],
  );
  return rows[0];
}

/**
 * Reads a transaction and locks it until the end of the caller's transaction, so two refunds of one
 * payment (or two outcomes of one dispute) are decided one after the other. NO KEY UPDATE does not
 * block rows that reference it, and takes no UPDATE trigger: the journal row is not changed.
 */
export async function lockTransaction(q: Queryable, id: number): Promise<TransactionRow | undefined> {
  const rows = await q.query<TransactionRow>(`SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows[0];
}

/** One creator's total on one kind of account within some transactions. */
export interface SliceRow {
  channel_id: string | null;
  kind: AccountKind;
  currency: Currency;
  amount: number;
}

/** Per creator and account kind, the sums of one transaction's postings. */
export async function transactionSlices(q: Queryable, transactionId: number): Promise<SliceRow[]> {
  return q.query<SliceRow>(
    `SELECT p.channel_id, a.kind, p.currency, sum(p.amount)::bigint AS amount
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
      WHERE p.transaction_id = $1
      GROUP BY p.channel_id, a.kind, p.currency`,
    [transactionId],
  );
}

/** Per creator and account kind, the sums over everything that reversed a payment so far:
 * its refunds, its disputes, and the outcomes of those disputes. */
export async function reversalSlices(q: Queryable, paymentId: number): Promise<SliceRow[]> {
  return q.query<SliceRow>(
    `SELECT p.channel_id, a.kind, p.currency, sum(p.amount)::bigint AS amount
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
      WHERE p.transaction_id IN (
              SELECT id FROM ledger_transactions WHERE reverses_transaction_id = $1
              UNION ALL
              SELECT o.id FROM ledger_transactions o
                JOIN ledger_transactions d ON d.id = o.reverses_transaction_id
               WHERE d.reverses_transaction_id = $1 AND d.kind = 'dispute')
      GROUP BY p.channel_id, a.kind, p.currency`,
    [paymentId],
  );
}

/** The outcome already recorded for a dispute, if any. */
export async function findResolution(q: Queryable, disputeId: number): Promise<TransactionRow | undefined> {
  const rows = await q.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions
      WHERE reverses_transaction_id = $1 AND kind IN ('dispute_reversal', 'dispute_lost')`,
    [disputeId],
  );
  return rows[0];
}

/** Locks an account row (payouts from it are decided one at a time) and returns its balance; undefined when it does not exist. */
export async function lockAccountBalance(q: Queryable, code: string): Promise<number | undefined> {
  const locked = await q.query<{ id: number }>('SELECT id FROM ledger_accounts WHERE code = $1 FOR NO KEY UPDATE', [code]);
  if (!locked[0]) return undefined;
  const rows = await q.query<{ balance: number }>(
    'SELECT coalesce(sum(amount), 0)::bigint AS balance FROM ledger_postings WHERE account_id = $1',
    [locked[0].id],
  );
  return rows[0]!.balance;
}

/** The signed sum of an account's postings, and its normal side; undefined when the account does not exist. */
export async function accountBalance(q: Queryable, code: string): Promise<{ raw: number; normal_side: 'debit' | 'credit' } | undefined> {
  const rows = await q.query<{ raw: number; normal_side: 'debit' | 'credit' }>(
    `SELECT a.normal_side, coalesce((SELECT sum(p.amount) FROM ledger_postings p WHERE p.account_id = a.id), 0)::bigint AS raw
       FROM ledger_accounts a WHERE a.code = $1`,
    [code],
  );
  return rows[0];
}

/** Signed balances of a channel's own accounts (payable, paid out), per currency. */
export async function channelAccountBalances(q: Queryable, channelId: string): Promise<{ kind: AccountKind; currency: Currency; raw: number }[]> {
  return q.query(
    `SELECT a.kind, a.currency, coalesce(sum(p.amount), 0)::bigint AS raw
       FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id
      WHERE a.channel_id = $1
      GROUP BY a.kind, a.currency
      ORDER BY a.currency, a.kind`,
    [channelId],
  );
}

/** Signed balance of every account, by code. */
export async function allAccountBalances(q: Queryable): Promise<{ code: string; currency: Currency; raw: number }[]> {
  return q.query(
    `SELECT a.code, a.currency, coalesce(sum(p.amount), 0)::bigint AS raw
       FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id
      GROUP BY a.id ORDER BY a.code`,
  );
}

/** The instants a calendar month starts and ends at in `timeZone` (end exclusive). */
export async function monthBounds(q: Queryable, year: number, month: number, timeZone: string): Promise<{ from: Date; to: Date }> {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const rows = await q.query<{ from: Date; to: Date }>(
    `SELECT make_timestamptz($1::int, $2::int, 1, 0, 0, 0, $5) AS "from", make_timestamptz($3::int, $4::int, 1, 0, 0, 0, $5) AS "to"`,
    [year, month, next.year, next.month, timeZone],
  );
  return rows[0]!;
}

/** One transaction as one creator's statement shows it, in one currency. */
export interface StatementRow {
  id: number;
  kind: string;
  source: string | null;
  occurred_at: Date;
  description: string;
  provider: string | null;
  external_ref: string | null;
  currency: Currency;
  gross: number;
  processor_fee: number;
  platform_fee: number;
  net: number;
  paid_out: number;
}

/**
 * A creator's transactions between two instants, with their slice of each read by account kind:
 * gross (fan money in, minus what went back), fees, net (change in what the creator earned) and
 * paid out. In every row gross − processor_fee − platform_fee = net, because each slice sums to zero.
 */
export async function statementRows(q: Queryable, channelId: string, from: Date, to: Date): Promise<StatementRow[]> {
  return q.query<StatementRow>(
    `SELECT t.id, t.kind, t.source, t.occurred_at, t.description, t.provider, t.external_ref, p.currency,
            coalesce(-sum(p.amount) FILTER (WHERE a.kind IN ('provider_clearing', 'refunds', 'disputes_open', 'chargebacks')), 0)::bigint AS gross,
            coalesce(sum(p.amount) FILTER (WHERE a.kind = 'processor_fees'), 0)::bigint AS processor_fee,
            coalesce(sum(p.amount) FILTER (WHERE a.kind = 'platform_fees'), 0)::bigint AS platform_fee,
            coalesce(sum(p.amount) FILTER (WHERE a.kind IN ('creator_payable', 'creator_paid_out')), 0)::bigint AS net,
            coalesce(sum(p.amount) FILTER (WHERE a.kind = 'creator_paid_out'), 0)::bigint AS paid_out
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.id = p.transaction_id
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE p.channel_id = $1 AND t.occurred_at >= $2 AND t.occurred_at < $3
      GROUP BY t.id, p.currency
      ORDER BY t.occurred_at, t.id, p.currency`,
    [channelId, from, to],
  );
}

/** A creator's payable balance per currency from everything that occurred before `before`. */
export async function payableBefore(q: Queryable, channelId: string, before: Date): Promise<{ currency: Currency; raw: number }[]> {
  return q.query(
    `SELECT p.currency, sum(p.amount)::bigint AS raw
       FROM ledger_postings p
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_transactions t ON t.id = p.transaction_id
      WHERE a.channel_id = $1 AND a.kind = 'creator_payable' AND t.occurred_at < $2
      GROUP BY p.currency`,
    [channelId, before],
  );
}

/** A creator's gross and net per month (in `timeZone`), funding source and currency. */
export async function revenueRows(
  q: Queryable,
  channelId: string,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<{ month: string; source: string; currency: Currency; gross: number; net: number }[]> {
  return q.query(
    `SELECT to_char(t.occurred_at AT TIME ZONE $4, 'YYYY-MM') AS month, t.source, p.currency,
            coalesce(-sum(p.amount) FILTER (WHERE a.kind IN ('provider_clearing', 'refunds', 'disputes_open', 'chargebacks')), 0)::bigint AS gross,
            coalesce(sum(p.amount) FILTER (WHERE a.kind IN ('creator_payable', 'creator_paid_out')), 0)::bigint AS net
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.id = p.transaction_id
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE p.channel_id = $1 AND t.occurred_at >= $2 AND t.occurred_at < $3 AND t.source IS NOT NULL
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [channelId, from, to, timeZone],
  );
}
