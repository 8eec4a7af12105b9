// The words the money pages show for the ledger's and memberships' codes. Each code maps to a message
// key, so a new code is a type error here rather than a raw code on a page.
import type { MessageKey } from '../../core/i18n/index.js';
import type { FundingSource, TransactionKind } from '../ledger/index.js';
import type { BillingInterval, MembershipStatus } from '../memberships/queries.js';

export const SOURCE_LABELS: Record<FundingSource, MessageKey> = {
  tip: 'studio.revenue.source_tip',
  membership: 'studio.revenue.source_membership',
  fan_budget: 'studio.revenue.source_fan_budget',
  bundle: 'studio.revenue.source_bundle',
  campaign: 'studio.revenue.source_campaign',
};

export const KIND_LABELS: Record<TransactionKind, MessageKey> = {
  payment: 'studio.revenue.kind_payment',
  refund: 'studio.revenue.kind_refund',
  dispute: 'studio.revenue.kind_dispute',
  dispute_reversal: 'studio.revenue.kind_dispute_reversal',
  dispute_lost: 'studio.revenue.kind_dispute_lost',
  payout: 'studio.revenue.kind_payout',
  fee_adjustment: 'studio.revenue.kind_fee_adjustment',
};

/** Incomplete memberships (checkout not finished) are never listed, hence not here. */
export const STATUS_LABELS: Record<Exclude<MembershipStatus, 'incomplete'>, MessageKey> = {
  active: 'studio.members.status_active',
  past_due: 'studio.members.status_past_due',
  cancelled: 'studio.members.status_cancelled',
  expired: 'studio.members.status_expired',
};

export const INTERVAL_LABELS: Record<BillingInterval, MessageKey> = {
  month: 'studio.members.interval_month',
  year: 'studio.members.interval_year',
};

/** A status label, tolerating a status some later migration adds (shown as its code, never a crash). */
export function statusLabel(t: (key: MessageKey) => string, status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? t(STATUS_LABELS[status as keyof typeof STATUS_LABELS]) : status;
}
