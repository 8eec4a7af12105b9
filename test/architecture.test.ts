import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The architecture's rules. Imports and `process.env` reads come from parsing every .ts/.tsx under src/
 * with the TypeScript compiler (syntax only, no type checking: well under a second); the tables and areas
 * come from the manifests themselves (src/modules.ts, imported as the app does).
 *
 * Words: a *capability* is a top-level folder of src/ other than core/ and web/ (nested folders such as
 * funding/tips are parts of theirs); its *public face* is its top-level index.ts plus the index.ts of each
 * manifest listed in src/modules.ts (funding has no top-level index: funding/tips/index.ts and its
 * siblings are its faces). The *assembly* is the files directly in src/ (entry points, app, site, modules).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

/** Tests, and the fakes and fixtures they use that still live under src/ (they are moving to test/). */
const TEST_SUPPORT = [/\.test\.tsx?$/, /\/testing(\/|\.ts$)/, /\/fixtures\//, /\/test-support\.ts$/, /\/test-[\w-]+\.ts$/, /-test-server\.ts$/];
const isTestFile = (file: string) => TEST_SUPPORT.some((re) => re.test(file));

/** Files allowed to read `process.env`: the configuration and the entry points that hand it the environment. */
const ENV_READERS = new Set(['src/core/config.ts', 'src/main.ts', 'src/worker.ts', 'src/cli.ts']);

/*
 * Known exceptions, each being removed on another branch. Delete an entry once its work has landed; an
 * entry that no longer applies (its file moved, or reads no process.env) is reported as a diagnostic.
 */
/** Test fakes under src/ that import test/support, being moved to test/ (where that import is fine). */
const MOVING_TO_TEST = new Set<string>([]);
/** Settings still read from process.env, being moved into configuration fragments (core/config.ts). */
const MOVING_TO_CONFIG = new Set<string>([]);

type EdgeKind = 'value' | 'type' | 'dynamic';
interface Edge {
  readonly from: string;
  /** Repository-relative path of the imported file, or null when it is not a TypeScript file of this repository. */
  readonly to: string | null;
  readonly specifier: string;
  readonly kind: EdgeKind;
  readonly line: number;
}
interface SourceInfo {
  readonly file: string;
  readonly imports: Edge[];
  /** Lines where `process.env` is read. */
  readonly envReads: number[];
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const rel = (full: string) => path.relative(ROOT, full).split(path.sep).join('/');

/** NodeNext-style resolution of a relative specifier (`./x.js` is `./x.ts` or `./x.tsx`). */
function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(ROOT, path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts')];
  for (const candidate of candidates) if (existsSync(candidate) && statSync(candidate).isFile()) return rel(candidate);
  return null;
}

function readSource(file: string): SourceInfo {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: Edge[] = [];
  const envReads: number[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node, specifier: ts.Expression | undefined, kind: EdgeKind) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    imports.push({ from: file, to: resolveSpecifier(file, specifier.text), specifier: specifier.text, kind, line: lineOf(node) });
  };
  const isProcessEnv = (node: ts.Node) =>
    (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'env') ||
    (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env') ||
    // const { env } = process
    (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer !== undefined && ts.isIdentifier(node.initializer) && node.initializer.text === 'process' &&
      node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === 'env'));
  const visit = (node: ts.Node): void => {
    // Only `import type …` and `export type … from` vanish at run time: under verbatimModuleSyntax,
    // `import { type A } from './a.js'` still loads ./a.js (as `import {} from`), so it is a value edge.
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? 'type' : 'value');
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly ? 'type' : 'value');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression, node.isTypeOnly ? 'type' : 'value');
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], 'dynamic');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal as ts.Expression, 'type');
    if (isProcessEnv(node)) envReads.push(lineOf(node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, imports, envReads };
}

const SOURCES = listSources(SRC).map(rel).sort().map(readSource);
const FILES = new Set(SOURCES.map((s) => s.file));

const CAPABILITIES = readdirSync(SRC, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'core' && e.name !== 'web')
  .map((e) => e.name)
  .sort();

/** Where a file belongs: a capability's name, `core`, `web`, or `assembly` (the files directly in src/). */
function zoneOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return 'outside';
  if (parts.length === 2) return 'assembly';
  return parts[1]!;
}

/** Each capability's top-level index.ts, and the index.ts of every manifest src/modules.ts lists. */
const PUBLIC_FACES = new Set([
  ...CAPABILITIES.map((c) => `src/${c}/index.ts`).filter((f) => FILES.has(f)),
  ...SOURCES.find((s) => s.file === 'src/modules.ts')!.imports.flatMap((e) => (e.to && /\/index\.ts$/.test(e.to) && CAPABILITIES.includes(zoneOf(e.to)) ? [e.to] : [])),
]);

const where = (e: Edge) => `${e.from}:${e.line}`;

/** Fails with one line per problem under `title` (assert.deepEqual would print them twice, in a diff). */
function assertNone(problems: readonly string[], title: string): void {
  if (problems.length) assert.fail(`${title}:\n  ${problems.join('\n  ')}`);
}

describe('architecture rules', () => {
  it('every relative import under src/ resolves to a file (so the rules below see every edge)', () => {
    assert.ok(SOURCES.length > 100, `only ${SOURCES.length} source files found under src/`);
    const unresolved = SOURCES.flatMap((s) => s.imports).filter((e) => e.specifier.startsWith('.') && e.to === null && !/\.(json|css|sql)$/.test(e.specifier));
    assertNone(unresolved.map((e) => `${where(e)} imports ${e.specifier}, which is not a file`), 'relative imports that resolve to no file');
    assert.ok(PUBLIC_FACES.has('src/videos/index.ts') && PUBLIC_FACES.has('src/funding/tips/index.ts'), `public faces: ${[...PUBLIC_FACES].join(', ')}`);
  });

  it('no non-test files import each other in a cycle (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const s of SOURCES) {
      if (isTestFile(s.file)) continue;
      graph.set(s.file, [...new Set(s.imports.filter((e) => e.kind === 'value' && e.to && !isTestFile(e.to)).map((e) => e.to!))]);
    }
    const cycles = stronglyConnected(graph)
      .filter((component) => component.length > 1 || graph.get(component[0]!)!.includes(component[0]!))
      .map((component) => shortestCycle(graph, component).join(' → '));
    assertNone(cycles, 'import cycles (one path per group of files that import each other)');
  });

  it("no file imports another capability's internals, and core/ imports no capability", () => {
    const problems: string[] = [];
    for (const s of SOURCES) {
      if (isTestFile(s.file)) continue;
      const from = zoneOf(s.file);
      for (const e of s.imports) {
        if (!e.to || zoneOf(e.to) === 'outside') continue;
        const to = zoneOf(e.to);
        if (to === from || to === 'core') continue;
        if (from === 'core' || from === 'web') {
          problems.push(`${where(e)}: ${from}/ imports ${e.to} (${from}/ may import nothing outside ${from}/)`);
        } else if (CAPABILITIES.includes(to) && !PUBLIC_FACES.has(e.to)) {
          const face = [...PUBLIC_FACES].filter((f) => zoneOf(f) === to).join(' or ');
          problems.push(`${where(e)}: imports ${e.to}, an internal file of ${to} (import ${face} instead)`);
        } else if (to === 'assembly' && from !== 'assembly') {
          problems.push(`${where(e)}: imports ${e.to} (only the entry points use the assembly files)`);
        }
      }
    }
    assertNone(problems, 'imports across boundaries');
  });

  it('no src/ file but a test imports from test/', (t) => {
    const intoTest = (s: SourceInfo) => s.imports.filter((e) => e.specifier.startsWith('.') && path.posix.join(path.posix.dirname(e.from), e.specifier).startsWith('test/'));
    for (const file of MOVING_TO_TEST) {
      const source = SOURCES.find((s) => s.file === file);
      if (!source || intoTest(source).length === 0) t.diagnostic(`${file} no longer imports test/ from src/: remove it from MOVING_TO_TEST`);
    }
    const problems = SOURCES.filter((s) => !/\.test\.tsx?$/.test(s.file) && !MOVING_TO_TEST.has(s.file))
      .flatMap(intoTest)
      .map((e) => `${where(e)} imports ${e.specifier}`);
    assertNone(problems, 'src/ files importing test/ (move the file to test/, or what it needs into src/)');
  });

  it('only core/config.ts and the entry points read process.env', (t) => {
    for (const file of MOVING_TO_CONFIG) {
      if (!SOURCES.find((s) => s.file === file)?.envReads.length) t.diagnostic(`${file} no longer reads process.env: remove it from MOVING_TO_CONFIG`);
    }
    const problems = SOURCES.filter((s) => !isTestFile(s.file) && !ENV_READERS.has(s.file) && !MOVING_TO_CONFIG.has(s.file)).flatMap((s) =>
      s.envReads.map((line) => `${s.file}:${line}`),
    );
    assertNone(problems, 'process.env read outside the configuration (add the setting to a configuration fragment instead)');
  });

  it('every capability has a CONTEXT.md (the words of its domain)', () => {
    const missing = CAPABILITIES.filter((c) => !existsSync(path.join(SRC, c, 'CONTEXT.md')));
    assertNone(missing.map((c) => `src/${c}/CONTEXT.md`), 'capabilities without a glossary');
  });

  it("every table the migrations create is declared in exactly one manifest's tables", async () => {
    const { MODULES } = await import('../src/modules.js');
    const migrations = path.join(SRC, 'core', 'db', 'migrations');
    // The tables that exist after every migration: created, less those dropped, under their last name.
    const created = new Map<string, string>();
    const NAME = String.raw`((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)`;
    const tableName = (raw: string) => raw.replace(/"/g, '').replace(/^public\./, '');
    const statement = new RegExp(
      String.raw`\bCREATE\s+(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}|\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${NAME}|\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}\s+RENAME\s+TO\s+${NAME}`,
      'gi',
    );
    for (const name of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) {
      const sql = readFileSync(path.join(migrations, name), 'utf8').replace(/--.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const m of sql.matchAll(statement)) {
        if (m[1]) created.set(tableName(m[1]), name);
        else if (m[2]) created.delete(tableName(m[2]));
        else if (m[3] && m[4]) {
          created.delete(tableName(m[3]));
          created.set(tableName(m[4]), name);
        }
      }
    }
    assert.ok(created.size > 10, `only ${created.size} tables found in the migrations`);
    const owners = new Map<string, string[]>();
    for (const m of MODULES) for (const table of Object.keys(m.tables)) owners.set(table, [...(owners.get(table) ?? []), m.name]);
    const problems = [...created].flatMap(([table, migration]) => {
      const by = owners.get(table) ?? [];
      if (by.length === 0) return [`${table} (${migration}) is declared by no manifest`];
      if (by.length > 1) return [`${table} (${migration}) is declared by ${by.join(', ')}`];
      return [];
    });
    for (const table of owners.keys()) if (!created.has(table)) problems.push(`${table} is declared by ${owners.get(table)!.join(', ')} but created by no migration`);
    assertNone(problems, "tables and the manifests' declarations disagree");
  });

  it('every table has an exporter and importer, or says why not (archive completeness, src/portability)', async () => {
    const { MODULES } = await import('../src/modules.js');
    const problems = MODULES.flatMap((m) =>
      Object.entries(m.tables).flatMap(([table, d]) => {
        if (d.export === 'none') return d.why.trim().length >= 10 ? [] : [`${m.name}: ${table} stays behind without a reason (why)`];
        if (d.archiveOnly !== undefined && d.archiveOnly.trim().length < 10) return [`${m.name}: ${table} is archiveOnly without a reason`];
        return [];
      }),
    );
    assertNone(problems, 'tables without an exporter/importer or a reason');
    // The rows tables travel through the generic copier; that it can recreate each of them from the
    // database's own keys is checked against a migrated database in src/portability/portability.test.ts.
    assert.ok(MODULES.some((m) => m.name === 'portability'), 'the portability capability is in src/modules.ts');
  });

  it('every route group is mounted in a known area', async () => {
    const { MODULES } = await import('../src/modules.js');
    const { AREA_POLICIES } = await import('../src/core/http/areas.js');
    const areas = new Set(Object.keys(AREA_POLICIES));
    const problems = MODULES.flatMap((m) =>
      (m.routes ?? []).flatMap((r, i) => (areas.has(r.area as string) ? [] : [`${m.name}: route group ${i} (${r.path}) has area ${JSON.stringify(r.area)}, not one of ${[...areas].join(', ')}`])),
    );
    assertNone(problems, 'route groups without a known area');
  });

  // Messages are still one catalog (src/core/i18n/messages/{en,fr}.ts); this rule starts when they move per capability.
  it('every capability has its own English and French messages (their contents are checked in test/messages.test.ts)', async () => {
    const { MODULES } = await import('../src/modules.js');
    const missing = MODULES.filter((m) => !m.messages || typeof m.messages.en !== 'object' || typeof m.messages.fr !== 'object').map((m) => m.name);
    assertNone(missing, 'manifests without messages: { en, fr }');
  });
});

/** Tarjan's strongly connected components. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);
  return components;
}

/** The shortest cycle through the first file of a component, as a path that ends where it starts. */
function shortestCycle(graph: Map<string, string[]>, component: string[]): string[] {
  const inside = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const cycle = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u)) cycle.unshift(u);
        cycle.unshift(start);
        return cycle;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}
