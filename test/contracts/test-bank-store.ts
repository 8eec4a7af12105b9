import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewTestBankRecord, TestBankStore } from '../../src/funding/providers/test-provider/store.js';

let seq = 0;

function record(overrides: Partial<NewTestBankRecord> = {}): NewTestBankRecord {
  seq += 1;
  return {
    id: `pi_test_contract_${process.pid}_${seq}`,
    kind: 'payment',
    idempotencyKey: `key-${process.pid}-${seq}`,
    fingerprint: 'f1',
    data: { amount: 1000, nested: { list: [1, 2] } },
    createdAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

/**
 * The behaviour every `TestBankStore` must have, as a test suite. Run it against each implementation:
 * `testBankStoreContract('SQL store', async () => createSqlTestBankStore(db))`.
 */
export function testBankStoreContract(name: string, open: () => Promise<TestBankStore>): void {
  describe(`${name} (TestBankStore contract)`, () => {
    it('returns what was inserted, at version 0', async () => {
      const store = await open();
      const r = record();
      const { record: stored, created } = await store.insert(r);
      assert.equal(created, true);
      assert.deepEqual(stored, { ...r, version: 0 });
      assert.deepEqual(await store.get(r.id), { ...r, version: 0 });
    });

    it('returns the first record when the same kind and idempotency key are inserted again', async () => {
      const store = await open();
      const first = record();
      await store.insert(first);
      const again = await store.insert({ ...first, id: `${first.id}_other`, fingerprint: 'f2', data: { amount: 1 } });
      assert.equal(again.created, false);
      assert.equal(again.record.id, first.id);
      assert.equal(again.record.fingerprint, 'f1');
      assert.equal(await store.get(`${first.id}_other`), undefined);
    });

    it('keeps idempotency keys apart between kinds', async () => {
      const store = await open();
      const payment = record();
      await store.insert(payment);
      const refund = await store.insert({ ...payment, id: `${payment.id}_refund`, kind: 'refund' });
      assert.equal(refund.created, true);
    });

    it('allows any number of records without an idempotency key', async () => {
      const store = await open();
      assert.equal((await store.insert(record({ idempotencyKey: null }))).created, true);
      assert.equal((await store.insert(record({ idempotencyKey: null }))).created, true);
    });

    it('updates only at the expected version, and counts versions up', async () => {
      const store = await open();
      const r = record();
      await store.insert(r);
      assert.equal(await store.update(r.id, 0, { amount: 2000 }), true);
      assert.equal(await store.update(r.id, 0, { amount: 3000 }), false);
      const stored = await store.get(r.id);
      assert.equal(stored?.version, 1);
      assert.deepEqual(stored?.data, { amount: 2000 });
    });

    it('answers undefined for an unknown id and refuses to update it', async () => {
      const store = await open();
      assert.equal(await store.get('pi_test_missing'), undefined);
      assert.equal(await store.update('pi_test_missing', 0, {}), false);
    });

    it('lets exactly one of two concurrent inserts with the same key create the record', async () => {
      const store = await open();
      const r = record();
      const results = await Promise.all([store.insert(r), store.insert({ ...r, id: `${r.id}_twin` })]);
      assert.equal(results.filter((x) => x.created).length, 1);
      assert.equal(results[0].record.id, results[1].record.id);
    });
  });
}
