import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../../test/support/db.js';
import type { Db } from '../../core/db/index.js';
import { money } from '../money.js';
import { accounts } from './accounts.js';
import { balanceOf, channelBalances } from './balances.js';
import { recordDisputeResolved } from './disputes.js';
import { DisputeAlreadyResolvedError, InsufficientBalanceError, RefundExceedsPaymentError, TransactionNotFoundError } from './errors.js';
import { checkLedgerInvariants } from './invariants.js';
import { recordPayment, recordSplitPayment } from './payments.js';
import { recordPayout } from './payouts.js';
import { planReversal, recordDispute, recordRefund, refundableAmount } from './reversals.js';
import { at, createChannel, newKey } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const eur = (cents: number) => money(cents, 'EUR');

describe(`ledger refunds, disputes and payouts (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await openTestDb()));
  after(async () => {
    assert.deepEqual(await checkLedgerInvariants(db), []);
    await drop();
  });

  async function pay(channelId: string, gross = 1000, processorFee = 45, platformFeeBps = 1000) {
    return recordPayment(db, {
      idempotencyKey: newKey('pay'),
      channelId,
      source: 'membership',
      provider: 'test',
      externalRef: newKey('ch'),
      gross: eur(gross),
      processorFee: eur(processorFee),
      platformFeeBps,
      occurredAt: at(4, 1),
    });
  }
  const payable = (channelId: string) => balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code);
  const refund = (paymentTransactionId: number, cents: number, idempotencyKey = newKey('refund')) =>
    recordRefund(db, { idempotencyKey, paymentTransactionId, amount: eur(cents), occurredAt: at(4, 2) });

  it('refunds part of a payment, returning the platform fee share, and refuses more than what is left', async () => {
    const channelId = await createChannel(db);
    // 10.00 € − 0.45 € processor fee − 0.95 € platform fee (10 % of 9.55 €, rounded down) = 8.60 € net.
    const { transactionId } = await pay(channelId);
    assert.deepEqual(await payable(channelId), eur(860));
    const first = await refund(transactionId, 400);
    assert.deepEqual(first.refundable, eur(600));
    // The platform gives back ⌈0.95 × 4/10⌉ = 0.38 €; the creator gives back 4.00 − 0.38 = 3.62 €.
    assert.deepEqual(await payable(channelId), eur(860 - 362));
    await assert.rejects(refund(transactionId, 601), (e: unknown) => e instanceof RefundExceedsPaymentError && e.refundable.amount === 600);
    await refund(transactionId, 600);
    assert.deepEqual(await refundableAmount(db, transactionId), eur(0));
    // Refunded in full: the platform returned its whole fee; the creator is left bearing the processor fee.
    assert.deepEqual(await payable(channelId), eur(-45));
    await assert.rejects(refund(transactionId, 1), RefundExceedsPaymentError);
  });

  it('counts a replayed refund once', async () => {
    const channelId = await createChannel(db);
    const { transactionId } = await pay(channelId);
    const key = newKey('refund');
    const first = await refund(transactionId, 300, key);
    const again = await refund(transactionId, 300, key);
    assert.equal(again.created, false);
    assert.equal(again.transactionId, first.transactionId);
    assert.deepEqual(await refundableAmount(db, transactionId), eur(700));
  });

  it('refuses a refund of a payment that is not recorded yet, so the webhook can be retried', async () => {
    await assert.rejects(refund(987_654_321, 100), TransactionNotFoundError);
  });

  it('refunds after the payout by letting the creator balance go negative, shown as owed', async () => {
    const channelId = await createChannel(db);
    const { transactionId } = await pay(channelId, 2000, 0, 0);
    await recordPayout(db, { idempotencyKey: newKey('payout'), channelId, amount: eur(2000), occurredAt: at(4, 3) });
    await refund(transactionId, 500);
    const [balance] = await channelBalances(db, channelId);
    assert.deepEqual(balance, { currency: 'EUR', payable: eur(-500), paidOut: eur(2000), earned: eur(1500), owes: true });
    await assert.rejects(
      recordPayout(db, { idempotencyKey: newKey('payout'), channelId, amount: eur(1), occurredAt: at(4, 4) }),
      InsufficientBalanceError,
    );
    // The next earnings repay the debt first.
    await pay(channelId, 800, 0, 0);
    assert.deepEqual(await payable(channelId), eur(300));
  });

  it('refuses a payout above the balance and counts a replayed payout once', async () => {
    const channelId = await createChannel(db);
    await pay(channelId, 1000, 0, 0);
    await assert.rejects(recordPayout(db, { idempotencyKey: newKey(), channelId, amount: eur(1001), occurredAt: at(4, 3) }), InsufficientBalanceError);
    const request = { idempotencyKey: newKey('payout'), channelId, amount: eur(1000), occurredAt: at(4, 3) };
    await recordPayout(db, request);
    assert.equal((await recordPayout(db, request)).created, false, 'the replay succeeds although the balance is now 0');
    assert.deepEqual(await channelBalances(db, channelId), [{ currency: 'EUR', payable: eur(0), paidOut: eur(1000), earned: eur(1000), owes: false }]);
  });

  it('holds a disputed payment, returns it all when the dispute is won, except the processor’s dispute fee', async () => {
    const channelId = await createChannel(db);
    const { transactionId } = await pay(channelId);
    await recordPayout(db, { idempotencyKey: newKey(), channelId, amount: eur(860), occurredAt: at(4, 3) });
    const dispute = await recordDispute(db, { idempotencyKey: newKey('dp'), paymentTransactionId: transactionId, fee: eur(1500), occurredAt: at(4, 5) });
    assert.deepEqual(dispute.amount, eur(1000), 'a dispute takes what is left of the payment by default');
    assert.deepEqual(await payable(channelId), eur(95 - 1000 - 1500));
    assert.deepEqual(await refundableAmount(db, transactionId), eur(0));
    await recordDisputeResolved(db, { idempotencyKey: newKey('won'), disputeTransactionId: dispute.transactionId, outcome: 'won', occurredAt: at(4, 20) });
    assert.deepEqual(await payable(channelId), eur(-1500));
    assert.deepEqual(await refundableAmount(db, transactionId), eur(1000));
    assert.deepEqual(await balanceOf(db, accounts.disputesOpen('test', 'EUR').code), eur(0));
  });

  it('turns a lost dispute into a chargeback and refuses a second outcome', async () => {
    const channelId = await createChannel(db);
    const { transactionId } = await pay(channelId, 1000, 0, 0);
    const chargebacksBefore = await balanceOf(db, accounts.chargebacks('test', 'EUR').code);
    const dispute = await recordDispute(db, { idempotencyKey: newKey('dp'), paymentTransactionId: transactionId, amount: eur(600), occurredAt: at(4, 5) });
    const lost = { idempotencyKey: newKey('lost'), disputeTransactionId: dispute.transactionId, outcome: 'lost' as const, occurredAt: at(4, 20) };
    await recordDisputeResolved(db, lost);
    assert.equal((await recordDisputeResolved(db, lost)).created, false);
    await assert.rejects(recordDisputeResolved(db, { ...lost, idempotencyKey: newKey(), outcome: 'won' }), DisputeAlreadyResolvedError);
    assert.deepEqual(await payable(channelId), eur(400));
    assert.equal((await balanceOf(db, accounts.chargebacks('test', 'EUR').code)).amount - chargebacksBefore.amount, 600);
    assert.deepEqual(await refundableAmount(db, transactionId), eur(400));
  });

  it('refunds a split payment in proportion to what each creator has left, to the cent', async () => {
    const [a, b] = [await createChannel(db), await createChannel(db)];
    const payment = await recordSplitPayment(db, {
      idempotencyKey: newKey('budget'),
      source: 'fan_budget',
      provider: 'test',
      externalRef: newKey('ch'),
      gross: eur(1001),
      processorFee: eur(0),
      platformFeeBps: 0,
      occurredAt: at(4, 1),
      shares: [
        { channelId: a, weight: 1 },
        { channelId: b, weight: 1 },
      ],
    });
    await refund(payment.transactionId, 1);
    await refund(payment.transactionId, 1000);
    assert.deepEqual(await payable(a), eur(0));
    assert.deepEqual(await payable(b), eur(0));
  });

  it('never pays out more than the balance when payouts run at once on several connections', { skip: ENGINE !== 'PostgreSQL' && 'needs several connections' }, async () => {
    const channelId = await createChannel(db);
    await pay(channelId, 1000, 0, 0);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => db.transaction((tx) => recordPayout(tx, { idempotencyKey: newKey(), channelId, amount: eur(300), occurredAt: at(4, 3) }))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.deepEqual(await payable(channelId), eur(100));
  });

  it('refuses to refund more than a payment concurrently from several connections', { skip: ENGINE !== 'PostgreSQL' && 'needs several connections' }, async () => {
    const channelId = await createChannel(db);
    const { transactionId } = await pay(channelId);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => db.transaction((tx) => recordRefund(tx, { idempotencyKey: newKey(), paymentTransactionId: transactionId, amount: eur(300), occurredAt: at(4, 2) }))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.deepEqual(await refundableAmount(db, transactionId), eur(100));
  });
});

describe('planReversal', () => {
  it('returns the whole platform fee once a payment is reversed in full, whatever the steps', () => {
    let basis = { channelId: 'a', gross: 997, platformFee: 99, reversed: 0, platformFeeReturned: 0 };
    for (const step of [1, 3, 10, 333, 650]) {
      const [share] = planReversal([basis], step);
      basis = { ...basis, reversed: basis.reversed + share!.amount, platformFeeReturned: basis.platformFeeReturned + share!.platformFeeReturned };
    }
    assert.equal(basis.reversed, 997);
    assert.equal(basis.platformFeeReturned, 99);
  });

  it('never takes more from a creator than is left of their share', () => {
    const shares = planReversal(
      [
        { channelId: 'a', gross: 500, platformFee: 0, reversed: 499, platformFeeReturned: 0 },
        { channelId: 'b', gross: 500, platformFee: 0, reversed: 0, platformFeeReturned: 0 },
      ],
      501,
    );
    assert.deepEqual(shares.map((s) => s.amount), [1, 500]);
  });
});
