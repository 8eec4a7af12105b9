import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../../test/support/db.js';
import { isUniqueViolation, migrate, type Db } from './index.js';

describe(`database adapter (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await openTestDb());
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, big int8, at timestamptz, doc jsonb)');
  });
  after(() => drop());

  it('applies migrations once: running them again changes nothing', async () => {
    assert.deepEqual(await migrate(db), []);
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.ok(rows.length >= 1);
    assert.equal(rows[0]!.version, 1);
  });

  it('returns int8 as a number, timestamps as Date and jsonb as objects on both engines', async () => {
    await db.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [1, 9_007_199_254_740_991, new Date('2026-01-02T03:04:05Z'), JSON.stringify({ a: 1 })]);
    const [row] = await db.query<{ big: number; at: Date; doc: unknown }>('SELECT big, at, doc FROM t WHERE id = 1');
    assert.equal(row!.big, 9_007_199_254_740_991);
    assert.ok(row!.at instanceof Date);
    assert.equal(row!.at.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.deepEqual(row!.doc, { a: 1 });
  });

  it('rolls a failed transaction back whole', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (2)');
        await tx.query('INSERT INTO t (id) VALUES (2)');
      }),
      (error) => isUniqueViolation(error),
    );
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 2')).length, 0);
  });

  it('commits a transaction that succeeds', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (3)');
      return 'done';
    });
    assert.equal(value, 'done');
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 3')).length, 1);
  });
});
