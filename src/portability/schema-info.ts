import type { Queryable } from '../core/db/index.js';

/** One column as the database describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** PostgreSQL's type name (`uuid`, `int8`, `_text` for text[], `jsonb`…). */
  readonly type: string;
  readonly nullable: boolean;
  /** Computed by the database (GENERATED ALWAYS AS … STORED): never written. */
  readonly generated: boolean;
  /** GENERATED … AS IDENTITY: given a new value on import. */
  readonly identity: boolean;
}

/** A foreign key: `columns` of the table point at `refColumns` of `refTable`. */
export interface ForeignKey {
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly ForeignKey[];
}

/**
 * What the database itself says about the tables of the public schema: columns, primary and foreign keys.
 * Read from pg_catalog, which PGlite and PostgreSQL both have, so the copier follows the schema the
 * migrations made instead of a second description of it.
 */
export async function readSchema(db: Queryable): Promise<Map<string, TableInfo>> {
  const columns = await db.query<{ table_name: string; name: string; type: string; not_null: boolean; generated: string; identity: string }>(
    `SELECT c.relname AS table_name, a.attname AS name, t.typname AS type, a.attnotnull AS not_null,
            a.attgenerated::text AS generated, a.attidentity::text AS identity
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const constraints = await db.query<{ table_name: string; kind: string; cols: string[]; ref_table: string | null; ref_cols: string[] | null }>(
    `SELECT c.relname AS table_name, k.contype::text AS kind,
            array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS x (n, i)
                    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.n ORDER BY x.i) AS cols,
            r.relname AS ref_table,
            CASE WHEN k.contype = 'f' THEN array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS x (n, i)
                    JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.n ORDER BY x.i) END AS ref_cols
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class r ON r.oid = k.confrelid
      WHERE n.nspname = current_schema() AND k.contype IN ('p', 'f')
      ORDER BY c.relname, k.conname`,
  );
  const tables = new Map<string, { name: string; columns: ColumnInfo[]; primaryKey: string[]; foreignKeys: ForeignKey[] }>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) tables.set(name, (t = { name, columns: [], primaryKey: [], foreignKeys: [] }));
    return t;
  };
  for (const c of columns) {
    table(c.table_name).columns.push({ name: c.name, type: c.type, nullable: !c.not_null, generated: c.generated !== '', identity: c.identity !== '' });
  }
  for (const k of constraints) {
    if (k.kind === 'p') table(k.table_name).primaryKey.push(...k.cols);
    else table(k.table_name).foreignKeys.push({ columns: k.cols, refTable: k.ref_table!, refColumns: k.ref_cols! });
  }
  return tables;
}

/** The one column of a single-column primary key, or undefined (composite keys, no key). */
export function singleKey(table: TableInfo): ColumnInfo | undefined {
  if (table.primaryKey.length !== 1) return undefined;
  return table.columns.find((c) => c.name === table.primaryKey[0]);
}

/** Whether rows of this table get a new key on import (a uuid or an identity column). */
export function hasNewKeys(table: TableInfo): boolean {
  const key = singleKey(table);
  return key !== undefined && (key.type === 'uuid' || key.identity);
}
