import type { TablePortability } from '../core/module.js';
import type { TableInfo } from './schema-info.js';

export type RowsDeclaration = Extract<TablePortability, { export: 'rows' }>;

/** One table the archive carries, with what the database and its manifest say about it. */
export interface TablePlan {
  readonly name: string;
  /** The capability whose manifest declares it. */
  readonly owner: string;
  readonly info: TableInfo;
  readonly declaration: RowsDeclaration;
}

/** What the capabilities declare, as the assembly hands it over (`MODULES`). */
export interface DeclaringManifest {
  readonly name: string;
  readonly tables: Readonly<Record<string, TablePortability>>;
}

/**
 * The tables an archive carries, parents before children (so a row's references are imported before it),
 * and what keeps the archive from being complete: a declared table the database does not have, a table of
 * the database no manifest declares, a `rows` table pointing at a table that does not travel and that
 * it cannot do without (a non-null reference), or references that go round in a circle.
 */
export function planTables(schema: ReadonlyMap<string, TableInfo>, manifests: readonly DeclaringManifest[]): { tables: TablePlan[]; problems: string[] } {
  const problems: string[] = [];
  const declared = new Map<string, { owner: string; declaration: TablePortability }>();
  for (const m of manifests) for (const [table, declaration] of Object.entries(m.tables)) declared.set(table, { owner: m.name, declaration });
  for (const table of schema.keys()) if (!declared.has(table) && table !== 'schema_migrations') problems.push(`${table}: no manifest says how it travels`);
  const rows = new Map<string, TablePlan>();
  for (const [name, { owner, declaration }] of declared) {
    const info = schema.get(name);
    if (!info) {
      problems.push(`${name}: declared by ${owner} but not in the database`);
      continue;
    }
    if (declaration.export === 'rows') rows.set(name, { name, owner, info, declaration });
  }
  for (const plan of rows.values()) {
    const columns = new Set(plan.info.columns.map((c) => c.name));
    for (const column of [...(plan.declaration.files ?? []), ...(plan.declaration.folders ?? []), ...(plan.declaration.match ?? []), ...Object.keys(plan.declaration.importAs ?? {})]) {
      if (!columns.has(column)) problems.push(`${plan.name}: its declaration names a column ${column} it does not have`);
    }
    if (plan.declaration.archiveOnly) continue;
    for (const fk of plan.info.foreignKeys) {
      if (rows.has(fk.refTable) && !rows.get(fk.refTable)!.declaration.archiveOnly) continue;
      const required = fk.columns.filter((c) => !plan.info.columns.find((x) => x.name === c)!.nullable);
      if (required.length && fk.refTable !== plan.name) {
        problems.push(`${plan.name}: needs ${fk.refTable} (${required.join(', ')}), which does not travel: declare ${plan.name} archiveOnly with a reason, or ${fk.refTable} as rows`);
      }
    }
  }
  // Parents first (Kahn's algorithm; a table's references to itself are ordered within it on import).
  const order: TablePlan[] = [];
  const pending = new Map([...rows].map(([name, plan]) => [name, new Set(plan.info.foreignKeys.map((fk) => fk.refTable).filter((t) => t !== name && rows.has(t)))]));
  while (pending.size) {
    const ready = [...pending].filter(([, parents]) => parents.size === 0).map(([name]) => name).sort();
    if (!ready.length) {
      problems.push(`tables that reference each other in a circle: ${[...pending.keys()].sort().join(', ')}`);
      order.push(...[...pending.keys()].sort().map((n) => rows.get(n)!));
      break;
    }
    for (const name of ready) {
      order.push(rows.get(name)!);
      pending.delete(name);
      for (const parents of pending.values()) parents.delete(name);
    }
  }
  return { tables: order, problems };
}
