#!/usr/bin/env node
// `npx fanfare <command>`: runs the TypeScript CLI through tsx (installed as a dependency).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { supportedNode } from '../scripts/node-runtime.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(supportedNode(), ['--import', 'tsx', path.join(root, 'src', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
