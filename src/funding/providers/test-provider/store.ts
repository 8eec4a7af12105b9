/**
 * Where the test bank keeps its books. The bank holds no state in memory, so a checkout opened before a
 * restart can be paid after it, and every process of the site sees the same bank.
 *
 * The app implements this with SQL (`createSqlTestBankStore`, on the table described in README.md);
 * tests use `createMemoryTestBankStore` (test/fakes/test-bank-memory-store.ts). Both pass `testBankStoreContract` (test/contracts/test-bank-store.ts).
 */

/** The kinds of object the bank keeps. */
export type TestBankKind = 'checkout' | 'payment' | 'payment_method' | 'refund';

/** The bank's private JSON for one object; only the bank reads it (and validates it when it does). */
export type TestBankData = Record<string, unknown>;

/** One object of the bank. */
export interface TestBankRecord {
  id: string;
  kind: TestBankKind;
  /**
   * Unique per kind when set: inserting a second record of the same kind with the same key returns the
   * first one instead. This is how the bank honours idempotency keys and one-payment-per-checkout.
   */
  idempotencyKey: string | null;
  /** A hash of the request that created the record, to refuse a key reused for a different request. */
  fingerprint: string | null;
  data: TestBankData;
  /** Starts at 0 and goes up by one on every update: the compare-and-set token. */
  version: number;
  createdAt: Date;
}

/** A record to insert: the store sets its version to 0. */
export type NewTestBankRecord = Omit<TestBankRecord, 'version'>;

/** The storage the test bank needs: insert-or-get, read, compare-and-set. */
export interface TestBankStore {
  /**
   * Inserts `record` at version 0, unless one with the same (`kind`, `idempotencyKey`) exists: then
   * nothing is written and the existing record is returned with `created: false`. Atomic, also between
   * processes (a UNIQUE constraint in SQL).
   */
  insert(record: NewTestBankRecord): Promise<{ record: TestBankRecord; created: boolean }>;
  /** The record with this id, or undefined. */
  get(id: string): Promise<TestBankRecord | undefined>;
  /**
   * Replaces the data of record `id` and increments its version, only if its version is still
   * `expectedVersion`. Returns false (and writes nothing) when another writer got there first.
   */
  update(id: string, expectedVersion: number, data: TestBankData): Promise<boolean>;
}
