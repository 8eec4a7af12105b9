import type { Queryable } from '../../../core/db/index.js';
import type { NewTestBankRecord, TestBankData, TestBankRecord, TestBankStore } from './store.js';

interface Row {
  id: string;
  kind: TestBankRecord['kind'];
  idempotency_key: string | null;
  fingerprint: string | null;
  data: TestBankData | string;
  version: number;
  created_at: Date;
}

function toRecord(row: Row): TestBankRecord {
  return {
    id: row.id,
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    fingerprint: row.fingerprint,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as TestBankData) : row.data,
    version: Number(row.version),
    createdAt: row.created_at,
  };
}

const COLUMNS = 'id, kind, idempotency_key, fingerprint, data, version, created_at';

/**
 * The test bank's books in the site database, table `test_bank_objects` (see README.md for its
 * definition; the migration belongs to core/db). Works on PGlite and PostgreSQL alike.
 */
export function createSqlTestBankStore(db: Queryable): TestBankStore {
  return {
    async insert(record: NewTestBankRecord) {
      const inserted = await db.query<Row>(
        `INSERT INTO test_bank_objects (id, kind, idempotency_key, fingerprint, data, version, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6)
         ON CONFLICT (kind, idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [record.id, record.kind, record.idempotencyKey, record.fingerprint, JSON.stringify(record.data), record.createdAt],
      );
      if (inserted[0]) return { record: toRecord(inserted[0]), created: true };
      const existing = await db.query<Row>(`SELECT ${COLUMNS} FROM test_bank_objects WHERE kind = $1 AND idempotency_key = $2`, [
        record.kind,
        record.idempotencyKey,
      ]);
      if (!existing[0]) throw new Error(`test bank insert of ${record.id} neither inserted nor found an existing record`);
      return { record: toRecord(existing[0]), created: false };
    },
    async get(id) {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM test_bank_objects WHERE id = $1`, [id]);
      return rows[0] && toRecord(rows[0]);
    },
    async update(id, expectedVersion, data) {
      const rows = await db.query<{ id: string }>(
        'UPDATE test_bank_objects SET data = $3, version = version + 1 WHERE id = $1 AND version = $2 RETURNING id',
        [id, expectedVersion, JSON.stringify(data)],
      );
      return rows.length === 1;
    },
  };
}
