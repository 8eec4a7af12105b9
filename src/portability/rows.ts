import type { Queryable } from '../core/db/index.js';
import type { TablePlan } from './plan.js';
import type { TableInfo } from './schema-info.js';

/** A row as the database renders it in JSON (`to_jsonb`): lossless, and read back with `jsonb_populate_record`. */
export type Row = Record<string, unknown>;

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** For a foreign key, the column that holds the referenced table's single-column key (and that key). */
export function keyReference(fk: { columns: readonly string[]; refColumns: readonly string[] }, ref: TableInfo | undefined): { column: string; refColumn: string } | undefined {
  if (!ref || ref.primaryKey.length !== 1) return undefined;
  const i = fk.refColumns.indexOf(ref.primaryKey[0]!);
  return i < 0 ? undefined : { column: fk.columns[i]!, refColumn: fk.refColumns[i]! };
}

const typeOf = (info: TableInfo, column: string) => info.columns.find((c) => c.name === column)!.type;

async function select(db: Queryable, info: TableInfo, where: string, params: unknown[]): Promise<Row[]> {
  const order = info.primaryKey.length ? ` ORDER BY ${info.primaryKey.map((c) => `t.${quote(c)}`).join(', ')}` : '';
  const rows = await db.query<{ row: Row }>(`SELECT to_jsonb(t) AS row FROM ${quote(info.name)} t WHERE ${where}${order}`, params);
  const generated = info.columns.filter((c) => c.generated).map((c) => c.name);
  return rows.map(({ row }) => {
    for (const column of generated) delete row[column];
    return row;
  });
}

/**
 * The rows of one channel, table by table: the channel itself, every row of a table with its
 * `channel_id`, every row of a channel-scope table pointing at a row already taken (a video's captions),
 * then, until nothing changes, the rows those rows point at in other tables (the fans behind payments,
 * a provider's ledger account, the payment a refund reverses).
 */
export async function selectChannelRows(db: Queryable, tables: readonly TablePlan[], channelId: string): Promise<Map<string, Row[]>> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const taken = new Map<string, Row[]>(tables.map((t) => [t.name, []]));
  const keys = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set()]));
  const add = (plan: TablePlan, rows: Row[]) => {
    const key = plan.info.primaryKey.length === 1 ? plan.info.primaryKey[0]! : undefined;
    for (const row of rows) {
      const id = key ? String(row[key]) : JSON.stringify(plan.info.primaryKey.map((c) => row[c]));
      if (keys.get(plan.name)!.has(id)) continue;
      keys.get(plan.name)!.add(id);
      taken.get(plan.name)!.push(row);
    }
  };
  for (const plan of tables) {
    const { info } = plan;
    if (plan.name === 'channels') {
      add(plan, await select(db, info, 't.id = $1', [channelId]));
    } else if (info.foreignKeys.some((fk) => fk.refTable === 'channels' && fk.columns.length === 1 && fk.columns[0] === 'channel_id')) {
      add(plan, await select(db, info, 't.channel_id = $1', [channelId]));
    } else if (plan.declaration.scope === 'channel' || info.foreignKeys.some((fk) => byName.get(fk.refTable)?.declaration.scope === 'channel')) {
      for (const fk of info.foreignKeys) {
        const parent = byName.get(fk.refTable);
        if (!parent || parent.name === plan.name || parent.declaration.scope !== 'channel') continue;
        const ref = keyReference(fk, parent.info);
        if (!ref) continue;
        const values = [...keys.get(parent.name)!];
        if (values.length) add(plan, await select(db, info, `t.${quote(ref.column)} = ANY($1::${typeOf(parent.info, ref.refColumn)}[])`, [values]));
      }
    }
  }
  // What the taken rows point at, until nothing new comes (a key asked for once is not asked again).
  const asked = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set()]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of tables) {
      for (const fk of plan.info.foreignKeys) {
        const parent = byName.get(fk.refTable);
        const ref = keyReference(fk, parent?.info);
        if (!parent || !ref) continue;
        const known = keys.get(parent.name)!;
        const wanted = [...new Set(taken.get(plan.name)!.map((r) => r[ref.column]).filter((v) => v !== null && v !== undefined).map(String))].filter((v) => !known.has(v) && !asked.get(parent.name)!.has(v));
        if (!wanted.length) continue;
        for (const v of wanted) asked.get(parent.name)!.add(v);
        add(parent, await select(db, parent.info, `t.${quote(ref.refColumn)} = ANY($1::${typeOf(parent.info, ref.refColumn)}[])`, [wanted]));
        changed = true;
      }
    }
  }
  return taken;
}
