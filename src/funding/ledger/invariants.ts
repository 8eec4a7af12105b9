// The ledger's invariants, checked after every money job, on a schedule and in tests (Liberapay's
// payday ends the same way; self-check.ts records and reports the outcome). Each check reads the
// journal directly, independently of the code that wrote it.
import type { Queryable } from '../../core/db/index.js';

/** One thing wrong with the books. */
export interface LedgerProblem {
  check:
    | 'transaction_unbalanced'
    | 'transaction_without_postings'
    | 'orphan_posting'
    | 'posting_currency_differs_from_account'
    | 'currency_total_not_zero'
    | 'payment_over_reversed'
    | 'platform_fee_above_cap'
    | 'balance_on_wrong_side';
  detail: Record<string, unknown>;
}

const CHECKS: { check: LedgerProblem['check']; sql: string }[] = [
  {
    check: 'transaction_unbalanced',
    sql: `SELECT transaction_id, currency, channel_id, sum(amount)::bigint AS sum FROM ledger_postings
           GROUP BY transaction_id, currency, channel_id HAVING sum(amount) <> 0`,
  },
  {
    check: 'transaction_without_postings',
    sql: `SELECT t.id AS transaction_id FROM ledger_transactions t
           WHERE NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.transaction_id = t.id)`,
  },
  {
    check: 'orphan_posting',
    sql: `SELECT p.transaction_id, p.line FROM ledger_postings p
            LEFT JOIN ledger_transactions t ON t.id = p.transaction_id
            LEFT JOIN ledger_accounts a ON a.id = p.account_id
           WHERE t.id IS NULL OR a.id IS NULL`,
  },
  {
    check: 'posting_currency_differs_from_account',
    sql: `SELECT p.transaction_id, p.line, p.currency, a.currency AS account_currency FROM ledger_postings p
            JOIN ledger_accounts a ON a.id = p.account_id WHERE p.currency <> a.currency`,
  },
  {
    // Money is only moved, never created or lost: over the whole journal each currency nets to zero.
    check: 'currency_total_not_zero',
    sql: `SELECT currency, sum(amount)::bigint AS sum FROM ledger_postings GROUP BY currency HAVING sum(amount) <> 0`,
  },
  {
    check: 'payment_over_reversed',
    sql: `WITH reversals AS (
            SELECT id, reverses_transaction_id AS payment_id FROM ledger_transactions WHERE kind IN ('refund', 'dispute')
            UNION ALL
            SELECT o.id, d.reverses_transaction_id FROM ledger_transactions o
              JOIN ledger_transactions d ON d.id = o.reverses_transaction_id AND d.kind = 'dispute'),
          reversed AS (
            SELECT r.payment_id, p.channel_id, sum(p.amount)::bigint AS amount FROM reversals r
              JOIN ledger_postings p ON p.transaction_id = r.id
              JOIN ledger_accounts a ON a.id = p.account_id AND a.kind IN ('refunds', 'disputes_open', 'chargebacks')
             GROUP BY r.payment_id, p.channel_id),
          paid AS (
            SELECT p.transaction_id AS payment_id, p.channel_id, -sum(p.amount)::bigint AS amount FROM ledger_postings p
              JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'provider_clearing'
             GROUP BY p.transaction_id, p.channel_id)
          SELECT r.payment_id, r.channel_id, r.amount AS reversed, coalesce(paid.amount, 0) AS paid FROM reversed r
            LEFT JOIN paid ON paid.payment_id = r.payment_id AND paid.channel_id IS NOT DISTINCT FROM r.channel_id
           WHERE r.amount > coalesce(paid.amount, 0) OR r.amount < 0`,
  },
  {
    check: 'platform_fee_above_cap',
    sql: `SELECT p.transaction_id, p.channel_id FROM ledger_postings p
            JOIN ledger_accounts a ON a.id = p.account_id
            JOIN ledger_transactions t ON t.id = p.transaction_id AND t.kind = 'payment'
           GROUP BY p.transaction_id, p.channel_id
          HAVING 10 * coalesce(sum(p.amount) FILTER (WHERE a.kind = 'platform_fees'), 0)
               > -coalesce(sum(p.amount) FILTER (WHERE a.kind = 'provider_clearing'), 0)`,
  },
  {
    // Only a creator's payable balance may go negative (the creator owes); any other account on its
    // wrong side means money went out that never came in.
    check: 'balance_on_wrong_side',
    sql: `SELECT a.code, sum(p.amount)::bigint AS raw FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id
           WHERE a.kind <> 'creator_payable'
           GROUP BY a.id, a.code, a.normal_side
          HAVING (a.normal_side = 'debit' AND sum(p.amount) < 0) OR (a.normal_side = 'credit' AND sum(p.amount) > 0)`,
  },
];

/**
 * Checks the whole journal: every transaction sums to zero per currency (and per creator), has
 * postings, and no posting is orphaned or in another currency than its account; each currency's
 * balances total zero (no money created or lost); no payment was reversed beyond what was paid; no
 * platform fee is above 10 %; only creator balances may be negative. Returns the problems found:
 * an empty list means the books are healthy.
 */
export async function checkLedgerInvariants(q: Queryable): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const { check, sql } of CHECKS) {
    for (const detail of await q.query<Record<string, unknown>>(sql)) problems.push({ check, detail });
  }
  return problems;
}
