#!/usr/bin/env node
// `npx fanfare <command>`: runs the compiled CLI (dist/cli.js, rebuilt first when a source is newer) on a
// supported Node; falls back to the TypeScript sources through tsx when the build cannot run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { supportedNode } from '../scripts/node-runtime.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
const command = built.status === 0 ? [path.join(root, 'dist', 'cli.js')] : ['--import', 'tsx', path.join(root, 'src', 'cli.ts')];
const result = spawnSync(supportedNode(), [...command, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
