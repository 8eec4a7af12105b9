// A creator's slice of a transaction: the sums of the postings on their behalf, by account kind.
// Every slice sums to zero (the database checks it), so a payment's gross, fees and net read back exactly.
import type { AccountKind } from './accounts.js';
import type { SliceRow } from './queries.js';

/** Signed sums of one creator's postings, by account kind (0 where there is none). */
export type Slice = Record<AccountKind, number>;

function emptySlice(): Slice {
  return {
    provider_clearing: 0,
    processor_fees: 0,
    refunds: 0,
    disputes_open: 0,
    chargebacks: 0,
    platform_fees: 0,
    creator_payable: 0,
    creator_paid_out: 0,
  };
}

/** Folds query rows into one slice per creator, in channel id order. */
export function slicesByChannel(rows: readonly SliceRow[]): Map<string, Slice> {
  const byChannel = new Map<string, Slice>();
  for (const row of [...rows].sort((a, b) => ((a.channel_id ?? '') < (b.channel_id ?? '') ? -1 : 1))) {
    const key = row.channel_id ?? '';
    const slice = byChannel.get(key) ?? emptySlice();
    slice[row.kind] += row.amount;
    byChannel.set(key, slice);
  }
  return byChannel;
}

