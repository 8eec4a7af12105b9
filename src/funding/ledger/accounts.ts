// The chart of accounts (see ../CONTEXT.md). One account per (purpose, owner, currency); the code
// says all three, so an account can be created the first time money reaches it.
import type { Currency } from '../money.js';

/** What an account is for. */
export type AccountKind =
  | 'provider_clearing'
  | 'processor_fees'
  | 'refunds'
  | 'disputes_open'
  | 'chargebacks'
  | 'platform_fees'
  | 'creator_payable'
  | 'creator_paid_out';

/** The side on which an account's balance is normally positive. */
export type NormalSide = 'debit' | 'credit';

/** Everything needed to find or create an account. */
export interface AccountSpec {
  readonly code: string;
  readonly kind: AccountKind;
  readonly currency: Currency;
  readonly normalSide: NormalSide;
  readonly channelId: string | null;
  readonly provider: string | null;
}

const PROVIDER_NAME = /^[a-z0-9_-]{1,40}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function providerAccount(kind: AccountKind, suffix: string, provider: string, currency: Currency): AccountSpec {
  if (!PROVIDER_NAME.test(provider)) throw new RangeError(`invalid provider name ${JSON.stringify(provider)}`);
  const normalSide = kind === 'provider_clearing' ? 'credit' : 'debit';
  return { code: `provider:${provider}:${suffix}:${currency}`, kind, currency, normalSide, channelId: null, provider };
}

function creatorAccount(kind: AccountKind, suffix: string, channelId: string, currency: Currency): AccountSpec {
  if (!UUID.test(channelId)) throw new RangeError(`invalid channel id ${JSON.stringify(channelId)}`);
  return { code: `creator:${channelId}:${suffix}:${currency}`, kind, currency, normalSide: 'debit', channelId, provider: null };
}

/** The accounts of the chart, by purpose. */
export const accounts = {
  /** Where fans' money enters the books through a provider (credit-normal: its balance is money received). */
  providerClearing: (provider: string, currency: Currency) => providerAccount('provider_clearing', 'clearing', provider, currency),
  /** Fees the payment processor kept (card fees, dispute fees). */
  processorFees: (provider: string, currency: Currency) => providerAccount('processor_fees', 'fees', provider, currency),
  /** Money given back to fans. */
  refunds: (provider: string, currency: Currency) => providerAccount('refunds', 'refunds', provider, currency),
  /** Money a fan's bank pulled back while the dispute is open. */
  disputesOpen: (provider: string, currency: Currency) => providerAccount('disputes_open', 'disputes', provider, currency),
  /** Money lost for good to disputes decided in the fan's favour. */
  chargebacks: (provider: string, currency: Currency) => providerAccount('chargebacks', 'chargebacks', provider, currency),
  /** The site's fee (0 % by default, at most 10 %). */
  platformFees: (currency: Currency): AccountSpec => ({
    code: `platform:fees:${currency}`,
    kind: 'platform_fees',
    currency,
    normalSide: 'debit',
    channelId: null,
    provider: null,
  }),
  /** What the site holds for a creator and has not paid out yet; negative when the creator owes. */
  creatorPayable: (channelId: string, currency: Currency) => creatorAccount('creator_payable', 'payable', channelId, currency),
  /** Everything paid out to a creator. */
  creatorPaidOut: (channelId: string, currency: Currency) => creatorAccount('creator_paid_out', 'paid-out', channelId, currency),
};

/** The currency an account code ends with (codes are `…:<ISO 4217>`). */
export function currencyOfCode(code: string): string {
  return code.slice(code.lastIndexOf(':') + 1);
}
