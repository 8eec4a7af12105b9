// A plain in-memory model of the ledger's rules, for the model-based test: account balances in a Map,
// payments and disputes in arrays, each rule written the most direct way. The test runs the same
// events through the model and the real ledger and requires the same outcomes and balances.
import { mulDivCeil, percentOf, splitLargestRemainder, type Currency } from '../../../src/funding/money.js';
import { accounts } from '../../../src/funding/ledger/accounts.js';

/** What happened to one delivered event. */
export type Outcome = 'created' | 'replay' | `error:${string}`;

/** A payment's part for one creator, and what was reversed of it. */
interface ModelShare {
  channelId: string;
  gross: number;
  platformFee: number;
  reversed: number;
  returned: number;
}

interface ModelPayment {
  provider: string;
  currency: Currency;
  shares: ModelShare[];
}

interface ModelDispute {
  payment: ModelPayment;
  parts: { channelId: string; amount: number; platformFeeReturned: number }[];
  resolved: boolean;
}

/** The model's state: raw balances by account code, and what each idempotency key was used for. */
export class LedgerModel {
  readonly balances = new Map<string, number>();
  readonly payments = new Map<string, ModelPayment>();
  readonly disputes = new Map<string, ModelDispute>();
  /** key → the event (by its id) that first used it successfully. */
  private readonly keys = new Map<string, string>();

  private move(code: string, amount: number): void {
    this.balances.set(code, (this.balances.get(code) ?? 0) + amount);
  }

  private claimKey(key: string, eventId: string): Outcome | undefined {
    const owner = this.keys.get(key);
    if (owner === undefined) return undefined;
    return owner === eventId ? 'replay' : 'error:idempotency_key_reused';
  }

  /** A payment split among `shares` (one share: a plain payment). */
  pay(e: { id: string; key: string; provider: string; currency: Currency; gross: number; fee: number; bps: number; shares: { channelId: string; weight: number }[] }): Outcome {
    const claimed = this.claimKey(e.key, e.id);
    if (claimed) return claimed;
    const sorted = [...e.shares].sort((a, b) => (a.channelId < b.channelId ? -1 : 1));
    const grosses = splitLargestRemainder(e.gross, sorted.map((s) => s.weight));
    const fees = splitLargestRemainder(e.fee, grosses);
    const payment: ModelPayment = { provider: e.provider, currency: e.currency, shares: [] };
    sorted.forEach((s, i) => {
      const gross = grosses[i]!;
      if (gross === 0) return;
      const platformFee = percentOf(gross - fees[i]!, e.bps);
      this.move(accounts.providerClearing(e.provider, e.currency).code, -gross);
      this.move(accounts.processorFees(e.provider, e.currency).code, fees[i]!);
      this.move(accounts.platformFees(e.currency).code, platformFee);
      this.move(accounts.creatorPayable(s.channelId, e.currency).code, gross - fees[i]! - platformFee);
      payment.shares.push({ channelId: s.channelId, gross, platformFee, reversed: 0, returned: 0 });
    });
    this.payments.set(e.id, payment);
    this.keys.set(e.key, e.id);
    return 'created';
  }

  /** What is left to refund of a payment. */
  refundable(paymentId: string): number {
    const p = this.payments.get(paymentId)!;
    return p.shares.reduce((sum, s) => sum + s.gross - s.reversed, 0);
  }

  private reverse(payment: ModelPayment, amount: number) {
    const split = splitLargestRemainder(amount, payment.shares.map((s) => s.gross - s.reversed));
    return payment.shares.flatMap((s, i) => {
      const r = split[i]!;
      if (r === 0) return [];
      const target = mulDivCeil(s.platformFee, s.reversed + r, s.gross);
      const back = Math.max(0, Math.min(target - s.returned, s.platformFee - s.returned, r));
      s.reversed += r;
      s.returned += back;
      return [{ channelId: s.channelId, amount: r, platformFeeReturned: back }];
    });
  }

  private checkReversal(e: { id: string; key: string; paymentId: string }, amount: number | undefined): Outcome | number {
    if (!this.payments.has(e.paymentId)) return 'error:transaction_not_found';
    const claimed = this.claimKey(e.key, e.id);
    if (claimed) return claimed;
    const left = this.refundable(e.paymentId);
    const wanted = amount ?? left;
    if (wanted <= 0) return 'error:invalid_posting';
    if (wanted > left) return 'error:refund_exceeds_payment';
    return wanted;
  }

  /** A refund of `amount` of a payment. */
  refund(e: { id: string; key: string; paymentId: string; amount: number }): Outcome {
    const checked = this.checkReversal(e, e.amount);
    if (typeof checked !== 'number') return checked;
    const payment = this.payments.get(e.paymentId)!;
    for (const part of this.reverse(payment, checked)) {
      this.move(accounts.refunds(payment.provider, payment.currency).code, part.amount);
      this.move(accounts.platformFees(payment.currency).code, -part.platformFeeReturned);
      this.move(accounts.creatorPayable(part.channelId, payment.currency).code, part.platformFeeReturned - part.amount);
    }
    this.keys.set(e.key, e.id);
    return 'created';
  }

  /** A dispute of `amount` (default: what is left) with a processor fee. */
  dispute(e: { id: string; key: string; paymentId: string; amount: number | undefined; fee: number }): Outcome {
    const checked = this.checkReversal(e, e.amount);
    if (typeof checked !== 'number') return checked;
    const payment = this.payments.get(e.paymentId)!;
    const { provider, currency } = payment;
    const parts = this.reverse(payment, checked);
    const fees = splitLargestRemainder(e.fee, parts.map((p) => p.amount));
    parts.forEach((part, i) => {
      this.move(accounts.disputesOpen(provider, currency).code, part.amount);
      this.move(accounts.processorFees(provider, currency).code, fees[i]!);
      this.move(accounts.platformFees(currency).code, -part.platformFeeReturned);
      this.move(accounts.creatorPayable(part.channelId, currency).code, part.platformFeeReturned - part.amount - fees[i]!);
    });
    this.disputes.set(e.id, { payment, parts, resolved: false });
    this.keys.set(e.key, e.id);
    return 'created';
  }

  /** The outcome of a dispute. */
  resolve(e: { id: string; key: string; disputeId: string; outcome: 'won' | 'lost' }): Outcome {
    const dispute = this.disputes.get(e.disputeId);
    if (!dispute) return 'error:transaction_not_found';
    const claimed = this.claimKey(e.key, e.id);
    if (claimed) return claimed;
    if (dispute.resolved) return 'error:dispute_already_resolved';
    const { provider, currency } = dispute.payment;
    for (const part of dispute.parts) {
      this.move(accounts.disputesOpen(provider, currency).code, -part.amount);
      if (e.outcome === 'lost') {
        this.move(accounts.chargebacks(provider, currency).code, part.amount);
        continue;
      }
      this.move(accounts.platformFees(currency).code, part.platformFeeReturned);
      this.move(accounts.creatorPayable(part.channelId, currency).code, part.amount - part.platformFeeReturned);
      const share = dispute.payment.shares.find((s) => s.channelId === part.channelId)!;
      share.reversed -= part.amount;
      share.returned -= part.platformFeeReturned;
    }
    dispute.resolved = true;
    this.keys.set(e.key, e.id);
    return 'created';
  }

  /** A payout of `amount` to a creator. */
  payout(e: { id: string; key: string; channelId: string; currency: Currency; amount: number }): Outcome {
    const claimed = this.claimKey(e.key, e.id);
    if (claimed) return claimed;
    const payable = accounts.creatorPayable(e.channelId, e.currency).code;
    if (e.amount > (this.balances.get(payable) ?? 0)) return 'error:insufficient_balance';
    this.move(payable, -e.amount);
    this.move(accounts.creatorPaidOut(e.channelId, e.currency).code, e.amount);
    this.keys.set(e.key, e.id);
    return 'created';
  }
}
