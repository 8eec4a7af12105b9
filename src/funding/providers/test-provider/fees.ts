/**
 * The test bank's prices, shaped like Stripe's standard European pricing so that demos and tests see
 * realistic net amounts. All in minor units of the charge currency.
 */
export interface CurrencyFees {
  /** Percentage part, in basis points (150 = 1.5 %). */
  basisPoints: number;
  /** Fixed part per successful payment. */
  fixed: number;
  /** Smallest amount a payment may be (Stripe refuses less than about 0.50). */
  minimumAmount: number;
  /** Charged when a dispute is opened, kept whatever its outcome. */
  disputeFee: number;
}

/** Fees by ISO currency code; a currency missing here is refused by the test bank. */
export type FeeSchedule = Readonly<Record<string, CurrencyFees>>;

/** EUR like Stripe's EEA standard cards (1.5 % + €0.25), GBP (1.5 % + 20p), USD (2.9 % + 30¢), CHF. */
export const DEFAULT_FEES: FeeSchedule = {
  EUR: { basisPoints: 150, fixed: 25, minimumAmount: 50, disputeFee: 2000 },
  GBP: { basisPoints: 150, fixed: 20, minimumAmount: 30, disputeFee: 2000 },
  USD: { basisPoints: 290, fixed: 30, minimumAmount: 50, disputeFee: 1500 },
  CHF: { basisPoints: 290, fixed: 30, minimumAmount: 50, disputeFee: 2000 },
};

/**
 * The processing fee for a successful payment of `amount`:
 * `fixed + round_half_up(amount × basisPoints / 10 000)`, computed in integers. The fee never exceeds
 * the amount (the minimum amount keeps it well below in practice). Refunds do not return the fee.
 */
export function processingFee(amount: number, fees: CurrencyFees): number {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`amount must be a positive integer: ${amount}`);
  const percentage = Math.floor((amount * fees.basisPoints + 5_000) / 10_000);
  return Math.min(amount, fees.fixed + percentage);
}
