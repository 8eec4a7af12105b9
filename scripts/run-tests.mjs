#!/usr/bin/env node
// Runs every *.test.ts(x) under src/ and test/ with Node's test runner (TypeScript through tsx).
// Extra arguments narrow the run: `npm test -- src/accounts` runs the files under that path.
// Every test process first loads test/support/messages.ts: the capabilities' words, for tests that render
// pages without building a site.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { supportedNode } from './node-runtime.mjs';

// `--without-browser-walks` leaves out the files that drive Chromium (they import test/support/browser):
// the PostgreSQL run uses it (see scripts/test-postgres.sh).
const args = process.argv.slice(2);
const withoutBrowserWalks = args.includes('--without-browser-walks');
const paths = args.filter((arg) => arg !== '--without-browser-walks');
const roots = paths.length ? paths : ['src', 'test'];
const drivesChromium = (file) => /from '[./]*(test\/)?support\/browser\.js'/.test(readFileSync(file, 'utf8'));
const files = [];
function walk(p) {
  const info = statSync(p);
  if (info.isDirectory()) {
    for (const entry of readdirSync(p)) if (entry !== 'node_modules') walk(path.join(p, entry));
  } else if (/\.test\.tsx?$/.test(p)) {
    if (!(withoutBrowserWalks && drivesChromium(p))) files.push(p);
  }
}
for (const root of roots) walk(root);
files.sort();
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// The results also go, as TAP, to a file the runner reads afterwards (see `killedBySignal`).
const tapDir = mkdtempSync(path.join(os.tmpdir(), 'fanfare-tests-'));
const runFiles = (list, tapFile) =>
  // The tests run on a supported Node (22+), the registry's Node 24 when the system one is older.
  spawnSync(
    supportedNode(),
    [
      '--import', 'tsx', '--import', new URL('../test/support/messages.ts', import.meta.url).href,
      '--test', `--test-concurrency=${concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
      ...list,
    ],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );

/**
 * The test files whose process a signal killed (SIGABRT, SIGSEGV…), read from the TAP results (`tap`): Node's
 * test runner reports such a file as one failure, `signal: 'SIGABRT'`, whatever its tests had done.
 * Seen twice in CI, never on a developer's machine in hundreds of runs: glibc aborting on a corrupted heap
 * inside the Node runtime, in processes that run PGlite's WebAssembly in a worker thread (Node's known
 * trouble with WebAssembly in workers, nodejs/node#47748). A failed assertion, a thrown error or an
 * exit code is never in this list: those fail the run as they always did.
 */
function killedBySignal(tap) {
  const killed = [];
  const failures = /^not ok \d+ - (.+)\n((?:  .*\n)*?)  \.\.\.$/gm;
  for (const [, name, details] of tap.matchAll(failures)) {
    const signal = /^  signal: '(SIG[A-Z]+)'$/m.exec(details)?.[1];
    const location = /^  location: '(.+):1:1'$/m.exec(details)?.[1];
    if (signal && location) killed.push({ file: path.relative(process.cwd(), location) || name, signal });
  }
  return killed;
}
/** How many tests failed, from the TAP summary. */
const failedCount = (tap) => Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? -1);

const firstTap = path.join(tapDir, 'all.tap');
const result = runFiles(files, firstTap);
let status = result.status ?? 1;
if (status !== 0) {
  const tap = existsSync(firstTap) ? readFileSync(firstTap, 'utf8') : '';
  const killed = killedBySignal(tap);
  // Only when every failure of the run is such a crash: each of those files runs once more, alone, and the
  // run passes only if they all pass then. Said loudly, so that a crash that comes back is seen.
  if (killed.length > 0 && killed.length === failedCount(tap)) {
    for (const { file, signal } of killed) {
      console.error(`\n!!! ${file}: its process was killed by ${signal} (a crash of the runtime, not a failed test). Running it once more, alone.\n`);
    }
    const again = runFiles(killed.map((k) => k.file), path.join(tapDir, 'again.tap'));
    status = again.status ?? 1;
    console.error(status === 0 ? `\n!!! The ${killed.length} file(s) killed by a signal passed when run again.` : '\n!!! Run again, they failed.');
  }
}
rmSync(tapDir, { recursive: true, force: true });
process.exit(status);
