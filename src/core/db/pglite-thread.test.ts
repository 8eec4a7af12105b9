import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isUniqueViolation, migrate, type Db } from './index.js';
import { openPgliteThread } from './pglite-thread.js';

describe('the embedded engine in its own thread', () => {
  let db: Db;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fanfare-pglite-thread-'));
  before(async () => {
    db = await openPgliteThread(path.join(dir, 'db'));
    await migrate(db);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, big int8, at timestamptz, doc jsonb, bytes bytea)');
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns int8 as a number, timestamps as Date, jsonb as objects and bytea as bytes, as in-process', async () => {
    await db.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5)', [1, 9_007_199_254_740_991, new Date('2026-01-02T03:04:05Z'), JSON.stringify({ a: 1 }), new Uint8Array([1, 2, 3])]);
    const [row] = await db.query<{ big: number; at: Date; doc: unknown; bytes: Uint8Array }>('SELECT big, at, doc, bytes FROM t WHERE id = 1');
    assert.equal(row!.big, 9_007_199_254_740_991);
    assert.ok(row!.at instanceof Date);
    assert.equal(row!.at.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.deepEqual(row!.doc, { a: 1 });
    assert.deepEqual([...row!.bytes], [1, 2, 3]);
  });

  it('keeps the fields of a database error (a unique violation is still recognised)', async () => {
    await assert.rejects(db.query('INSERT INTO t (id) VALUES (1)'), (error) => isUniqueViolation(error, 't_pkey'));
    await assert.rejects(db.query('SELECT nope FROM t'), /column "nope" does not exist/);
  });

  it('rolls a failed transaction back whole, and commits one that succeeds', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (2)');
        await tx.query('INSERT INTO t (id) VALUES (2)');
      }),
      (error) => isUniqueViolation(error),
    );
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 2')).length, 0);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (4)');
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 4')).length, 0);
    assert.equal(await db.transaction(async (tx) => (await tx.query('INSERT INTO t (id) VALUES (3)'), 'done')), 'done');
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 3')).length, 1);
  });

  it('lets a query outside a transaction wait for it, never see its writes half-done', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (q) => {
      await q.query('INSERT INTO t (id) VALUES (10)');
      await held;
      await q.query('INSERT INTO t (id) VALUES (11)');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id IN (10, 11)');
    release();
    await tx;
    assert.equal((await outside)[0]!.n, 2);
  });

  it('keeps what it wrote across a reopen of the same folder', async () => {
    await db.close();
    db = await openPgliteThread(path.join(dir, 'db'));
    assert.equal((await db.query('SELECT 1 FROM t WHERE id = 3')).length, 1);
  });
});
