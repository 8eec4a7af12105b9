#!/usr/bin/env node
// Runs every *.test.ts(x) under src/ and test/ with Node's test runner (TypeScript through tsx).
// Extra arguments narrow the run: `npm test -- src/accounts` runs the files under that path.
// Every test process first loads test/support/messages.ts: the capabilities' words, for tests that render
// pages without building a site.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
// The tests run on a supported Node (22+), the registry's Node 24 when the system one is older.
const result = spawnSync(
  supportedNode(),
  ['--import', 'tsx', '--import', new URL('../test/support/messages.ts', import.meta.url).href, '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
