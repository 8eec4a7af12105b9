// The ledger's public face: what funding models (tips, memberships, fan budget, bundles, campaigns)
// call. Every function takes a Queryable: pass an open transaction to post inside your own, or the
// database to get a transaction of its own. Words: ../CONTEXT.md.
export { accounts, type AccountKind, type AccountSpec, type NormalSide } from './accounts.js';
export { balanceOf, channelBalances, type ChannelBalance } from './balances.js';
export { csvField, statementCsv } from './csv.js';
export { recordDisputeResolved, type DisputeOutcome, type RecordDisputeResolvedOptions } from './disputes.js';
export * from './errors.js';
export { checkLedgerInvariants, type LedgerProblem } from './invariants.js';
export {
  latestLedgerCheck,
  LEDGER_CHECKS_KEPT,
  LEDGER_SELF_CHECK_INTERVAL_MS,
  LEDGER_SELF_CHECK_JOB,
  ledgerSelfCheckJob,
  runLedgerSelfCheck,
  withLedgerSelfCheck,
  type LedgerCheck,
  type LedgerSelfCheckDeps,
} from './self-check.js';
export {
  planPayment,
  readPaymentShares,
  recordPayment,
  recordSplitPayment,
  type ChannelBreakdown,
  type PaymentBreakdown,
  type PaymentShare,
  type RecordPaymentOptions,
  type RecordSplitPaymentOptions,
} from './payments.js';
export { recordPayout, type RecordPayoutOptions } from './payouts.js';
export { postTransaction, type FundingSource, type PostingInput, type PostResult, type PostTransactionInput, type TransactionKind } from './post.js';
export {
  planReversal,
  recordDispute,
  recordRefund,
  refundableAmount,
  type RecordDisputeOptions,
  type RecordRefundOptions,
  type ReversalBasis,
  type ReversalResult,
  type ReversalShare,
} from './reversals.js';
export {
  monthlyStatement,
  revenueBySource,
  type MonthlyStatement,
  type RevenueSeries,
  type StatementLine,
  type StatementSection,
  type StatementTotals,
} from './statements.js';
