import { after, before } from 'node:test';
import { openTestDb } from '../../../../test/support/db.js';
import type { Db } from '../../../core/db/index.js';
import { testBankStoreContract } from '../../../../test/contracts/test-bank-store.js';
import { createMemoryTestBankStore } from '../../../../test/fakes/test-bank-memory-store.js';
import { createSqlTestBankStore } from './sql-store.js';

/** The table README.md asks core/db to add; created here only until that migration exists. */
const TEST_BANK_TABLE = `
CREATE TABLE IF NOT EXISTS test_bank_objects (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('checkout', 'payment', 'payment_method', 'refund')),
  idempotency_key text,
  fingerprint text,
  data jsonb NOT NULL,
  version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
  created_at timestamptz NOT NULL,
  CONSTRAINT test_bank_objects_idempotency UNIQUE (kind, idempotency_key)
)`;

testBankStoreContract('in-memory store', async () => createMemoryTestBankStore());

let db: Db;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb());
  await db.exec(TEST_BANK_TABLE);
});
after(() => drop());

testBankStoreContract(`SQL store on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () => createSqlTestBankStore(db));
