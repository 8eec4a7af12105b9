import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../../test/support/db.js';
import type { Db } from '../../core/db/index.js';
import { CurrencyMismatchError, money } from '../money.js';
import { accounts } from './accounts.js';
import { balanceOf, channelBalances } from './balances.js';
import { DuplicateExternalRefError, IdempotencyKeyReusedError, InvalidPostingError, PlatformFeeTooHighError, UnbalancedTransactionError } from './errors.js';
import { checkLedgerInvariants } from './invariants.js';
import { recordPayment, recordSplitPayment } from './payments.js';
import { postTransaction } from './post.js';
import { at, createChannel, createFan, newKey } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const eur = (cents: number) => money(cents, 'EUR');

describe(`ledger payments (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await openTestDb()));
  after(async () => {
    assert.deepEqual(await checkLedgerInvariants(db), []);
    await drop();
  });

  const tip = (channelId: string, overrides: Partial<Parameters<typeof recordPayment>[1]> = {}) => ({
    idempotencyKey: newKey('tip'),
    channelId,
    source: 'tip' as const,
    provider: 'test',
    externalRef: newKey('ch'),
    gross: eur(1000),
    processorFee: eur(45),
    platformFeeBps: 0,
    occurredAt: at(3, 5),
    ...overrides,
  });

  it('posts gross, processor fee, platform fee and net so that gross = fees + net to the cent', async () => {
    const channelId = await createChannel(db);
    const result = await recordPayment(db, tip(channelId, { gross: eur(999), processorFee: eur(59), platformFeeBps: 1000 }));
    assert.equal(result.created, true);
    // Platform fee: 10 % of 9.40 € after the processor's fee, rounded down: 0.94 €.
    assert.deepEqual(result.breakdown, { gross: eur(999), processorFee: eur(59), platformFee: eur(94), net: eur(846) });
    assert.deepEqual(await balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code), eur(846));
    assert.deepEqual(await channelBalances(db, channelId), [{ currency: 'EUR', payable: eur(846), paidOut: eur(0), earned: eur(846), owes: false }]);
  });

  it('takes no platform fee by default on a self-hosted site and rounds fees down in the creator’s favour', async () => {
    const channelId = await createChannel(db);
    const free = await recordPayment(db, tip(channelId, { gross: eur(500), processorFee: eur(0) }));
    assert.deepEqual(free.breakdown.net, eur(500));
    const odd = await recordPayment(db, tip(channelId, { gross: eur(19), processorFee: eur(0), platformFeeBps: 1000 }));
    assert.deepEqual(odd.breakdown.platformFee, eur(1), '10 % of 0.19 € is 0.019 €: rounded down to 0.01 €');
  });

  it('refuses a platform fee above 10 %', async () => {
    const channelId = await createChannel(db);
    await assert.rejects(recordPayment(db, tip(channelId, { platformFeeBps: 1001 })), PlatformFeeTooHighError);
  });

  it('records the same idempotency key once: the replay returns the first transaction and posts nothing', async () => {
    const channelId = await createChannel(db);
    const request = tip(channelId);
    const first = await recordPayment(db, request);
    const replay = await recordPayment(db, request);
    assert.deepEqual(replay, { ...first, created: false });
    assert.deepEqual(await balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code), eur(955));
  });

  it('returns the replay inside the caller’s transaction without aborting it', async () => {
    const channelId = await createChannel(db);
    const request = tip(channelId);
    await recordPayment(db, request);
    const after = await db.transaction(async (tx) => {
      const replay = await recordPayment(tx, request);
      assert.equal(replay.created, false);
      return (await tx.query<{ n: number }>('SELECT 1 AS n'))[0]!.n;
    });
    assert.equal(after, 1);
  });

  it('refuses an idempotency key reused for a different payment', async () => {
    const channelId = await createChannel(db);
    const request = tip(channelId);
    await recordPayment(db, request);
    await assert.rejects(recordPayment(db, { ...request, gross: eur(2000) }), IdempotencyKeyReusedError);
  });

  it('refuses a provider charge recorded twice under different keys', async () => {
    const channelId = await createChannel(db);
    const request = tip(channelId);
    await recordPayment(db, request);
    await assert.rejects(recordPayment(db, { ...request, idempotencyKey: newKey() }), DuplicateExternalRefError);
  });

  it('refuses mixed currencies, in the request and in postings', async () => {
    const channelId = await createChannel(db);
    await assert.rejects(recordPayment(db, tip(channelId, { processorFee: money(45, 'USD') })), CurrencyMismatchError);
    await assert.rejects(
      postTransaction(db, {
        idempotencyKey: newKey(),
        kind: 'fee_adjustment',
        occurredAt: at(3, 5),
        postings: [
          { account: accounts.platformFees('EUR'), amount: money(100, 'USD') },
          { account: accounts.processorFees('test', 'USD'), amount: money(-100, 'USD') },
        ],
      }),
      InvalidPostingError,
    );
    await assert.rejects(
      postTransaction(db, {
        idempotencyKey: newKey(),
        kind: 'fee_adjustment',
        occurredAt: at(3, 5),
        postings: [
          { account: accounts.platformFees('EUR'), amount: eur(100) },
          { account: accounts.processorFees('test', 'USD'), amount: money(-100, 'USD') },
        ],
      }),
      UnbalancedTransactionError,
    );
  });

  it('splits one fan payment among several creators in one transaction, to the cent', async () => {
    const [a, b, c] = [await createChannel(db), await createChannel(db), await createChannel(db)];
    const result = await recordSplitPayment(db, {
      idempotencyKey: newKey('budget'),
      fanUserId: await createFan(db),
      source: 'fan_budget',
      provider: 'test',
      externalRef: newKey('ch'),
      gross: eur(1000),
      processorFee: eur(31),
      platformFeeBps: 500,
      occurredAt: at(3, 31),
      shares: [
        { channelId: a, weight: 1 },
        { channelId: b, weight: 1 },
        { channelId: c, weight: 1 },
      ],
    });
    assert.deepEqual(result.total.gross, eur(1000));
    assert.equal(result.shares.reduce((s, x) => s + x.gross.amount, 0), 1000);
    assert.equal(result.shares.reduce((s, x) => s + x.processorFee.amount, 0), 31);
    for (const share of result.shares) {
      assert.ok([333, 334].includes(share.gross.amount));
      assert.equal(share.gross.amount, share.processorFee.amount + share.platformFee.amount + share.net.amount);
      assert.deepEqual(await balanceOf(db, accounts.creatorPayable(share.channelId, 'EUR').code), share.net);
    }
  });

  it('gives the same breakdown when a split payment is replayed', async () => {
    const [a, b] = [await createChannel(db), await createChannel(db)];
    const request = {
      idempotencyKey: newKey('budget'),
      source: 'fan_budget' as const,
      provider: 'test',
      externalRef: newKey('ch'),
      gross: eur(777),
      processorFee: eur(25),
      platformFeeBps: 250,
      occurredAt: at(3, 31),
      shares: [
        { channelId: a, weight: 2 },
        { channelId: b, weight: 1 },
      ],
    };
    const first = await recordSplitPayment(db, request);
    const replay = await recordSplitPayment(db, { ...request, shares: [...request.shares].reverse() });
    assert.deepEqual(replay, { ...first, created: false });
  });

  it('records fifty concurrent tips to one channel with no cent lost or counted twice, replays included', { skip: ENGINE !== 'PostgreSQL' && 'needs several connections' }, async () => {
    const channelId = await createChannel(db);
    const requests = Array.from({ length: 50 }, (_, i) => tip(channelId, { gross: eur(100 + i), processorFee: eur(i % 7), platformFeeBps: 100 * (i % 11) }));
    const results = await Promise.all([...requests, ...requests].map((r) => db.transaction((tx) => recordPayment(tx, r))));
    assert.equal(results.filter((r) => r.created).length, 50);
    const expected = results.filter((r) => r.created).reduce((s, r) => s + r.breakdown.net.amount, 0);
    assert.deepEqual(await balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code), eur(expected));
  });

  it('creates exactly one transaction when the same key arrives at once on several connections', { skip: ENGINE !== 'PostgreSQL' && 'needs several connections' }, async () => {
    const channelId = await createChannel(db);
    const request = tip(channelId);
    const results = await Promise.all(Array.from({ length: 8 }, () => db.transaction((tx) => recordPayment(tx, request))));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => r.transactionId)).size, 1);
    const rows = await db.query('SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1', [request.idempotencyKey]);
    assert.equal(rows.length, 1);
    assert.deepEqual(await balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code), eur(955));
  });
});
