// The database keeps the books right even against SQL written by hand.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../../test/support/db.js';
import type { Db, Queryable } from '../../core/db/index.js';
import { money } from '../money.js';
import { accounts } from './accounts.js';
import { checkLedgerInvariants } from './invariants.js';
import { recordPayment } from './payments.js';
import { at, createChannel, createFan, newKey } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const HASH = '0'.repeat(64);

function code(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

describe(`ledger schema (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let channelId: string;
  let payable: number;
  let clearing: number;
  let platform: number;
  before(async () => {
    ({ db, drop } = await openTestDb());
    channelId = await createChannel(db);
    // Creates the accounts through the normal path.
    await recordPayment(db, {
      idempotencyKey: newKey(),
      channelId,
      source: 'tip',
      provider: 'test',
      externalRef: newKey(),
      gross: money(1000, 'EUR'),
      processorFee: money(0, 'EUR'),
      platformFeeBps: 1000,
      occurredAt: at(5, 1),
    });
    const ids = async (c: string) => (await db.query<{ id: number }>('SELECT id FROM ledger_accounts WHERE code = $1', [c]))[0]!.id;
    payable = await ids(accounts.creatorPayable(channelId, 'EUR').code);
    clearing = await ids(accounts.providerClearing('test', 'EUR').code);
    platform = await ids(accounts.platformFees('EUR').code);
  });
  after(async () => {
    assert.deepEqual(await checkLedgerInvariants(db), []);
    await drop();
  });

  async function insertTransaction(tx: Queryable, kind = 'fee_adjustment'): Promise<number> {
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO ledger_transactions (idempotency_key, request_hash, kind, occurred_at, source, provider, external_ref, platform_fee_bps)
       VALUES ($1, $2, $3, now(), $4, $5, $6, $7) RETURNING id`,
      [newKey(), HASH, kind, kind === 'payment' ? 'tip' : null, kind === 'payment' ? 'test' : null, kind === 'payment' ? newKey() : null, kind === 'payment' ? 1000 : null],
    );
    return rows[0]!.id;
  }
  const post = (tx: Queryable, transactionId: number, accountId: number, amount: number, currency = 'EUR', channel: string | null = channelId) =>
    tx.query(
      `INSERT INTO ledger_postings (transaction_id, line, account_id, currency, amount, channel_id)
       VALUES ($1, (SELECT coalesce(max(line), 0) + 1 FROM ledger_postings WHERE transaction_id = $1), $2, $3, $4, $5)`,
      [transactionId, accountId, currency, amount, channel],
    );

  it('refuses at commit a transaction whose postings do not sum to zero', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        const id = await insertTransaction(tx);
        await post(tx, id, payable, 100);
        await post(tx, id, platform, -99);
      }),
      (e: unknown) => code(e) === '23514' && /unbalanced/.test(String(e)),
    );
  });

  it('accepts a balanced transaction written by hand', async () => {
    await db.transaction(async (tx) => {
      const id = await insertTransaction(tx);
      await post(tx, id, payable, 1);
      await post(tx, id, platform, -1);
    });
  });

  it('refuses a transaction without postings, and a posting of zero', async () => {
    await assert.rejects(db.transaction((tx) => insertTransaction(tx)), (e: unknown) => code(e) === '23514');
    await assert.rejects(
      db.transaction(async (tx) => {
        const id = await insertTransaction(tx);
        await post(tx, id, payable, 0);
      }),
      (e: unknown) => code(e) === '23514',
    );
  });

  it('refuses postings added later to an already recorded transaction, even balanced ones', async () => {
    const [{ id }] = (await db.query<{ id: number }>("SELECT id FROM ledger_transactions WHERE kind = 'payment' LIMIT 1")) as [{ id: number }];
    await assert.rejects(
      db.transaction(async (tx) => {
        await post(tx, id, payable, 5);
        await post(tx, id, platform, -5);
      }),
      (e: unknown) => code(e) === '23503',
    );
  });

  it('refuses a posting in another currency than its account', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        const id = await insertTransaction(tx);
        await post(tx, id, payable, 100, 'USD');
        await post(tx, id, platform, -100, 'USD');
      }),
      (e: unknown) => code(e) === '23503',
    );
  });

  it('refuses a payment whose platform fee is above 10 %', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        const id = await insertTransaction(tx, 'payment');
        await post(tx, id, clearing, -100);
        await post(tx, id, platform, 11);
        await post(tx, id, payable, 89);
      }),
      (e: unknown) => code(e) === '23514' && /platform fee/.test(String(e)),
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE of journal rows', async () => {
    for (const sql of [
      'UPDATE ledger_postings SET amount = amount * 2',
      'DELETE FROM ledger_postings',
      "UPDATE ledger_transactions SET description = 'edited'",
      'DELETE FROM ledger_transactions',
      "UPDATE ledger_accounts SET kind = 'refunds'",
      'DELETE FROM ledger_accounts',
      'TRUNCATE ledger_postings',
    ]) {
      await assert.rejects(db.query(sql), (e: unknown) => code(e) === '23001' && /append-only/.test(String(e)), sql);
    }
  });

  it('forgets a deleted fan without touching the money', async () => {
    const fanUserId = await createFan(db);
    const { transactionId } = await recordPayment(db, {
      idempotencyKey: newKey(),
      channelId,
      fanUserId,
      source: 'tip',
      provider: 'test',
      externalRef: newKey(),
      gross: money(500, 'EUR'),
      processorFee: money(0, 'EUR'),
      platformFeeBps: 0,
      occurredAt: at(5, 2),
    });
    await db.query('DELETE FROM users WHERE id = $1', [fanUserId]);
    const rows = await db.query<{ fan_user_id: string | null }>('SELECT fan_user_id FROM ledger_transactions WHERE id = $1', [transactionId]);
    assert.equal(rows[0]!.fan_user_id, null);
  });

  it('keeps a channel with a money history from being deleted', async () => {
    await assert.rejects(db.query('DELETE FROM channels WHERE id = $1', [channelId]), (e: unknown) => code(e) === '23503');
  });
});
