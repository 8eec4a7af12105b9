// Which Node runs Fanfare. The site needs Node 22 or later (Fedify 2 does); `npm install` also brings
// Node 24 LTS from the npm registry (the optional `node-<os>-<cpu>` package of this machine, which
// links `node_modules/.bin/node`). Scripts started by npm find it first on their PATH; scripts started
// directly (`node scripts/run-tests.mjs`, `npx fanfare`) ask here, so a machine whose system Node is
// older still runs everything on the supported one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MIN_NODE_MAJOR = 22;
const bundled = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));

function majorOf(version) {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

/** The path of a Node binary of version ≥ 22: this one when it is recent enough, else the registry's. */
export function supportedNode() {
  if (majorOf(process.version) >= MIN_NODE_MAJOR) return process.execPath;
  if (existsSync(bundled)) {
    const probe = spawnSync(bundled, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0 && majorOf(probe.stdout.trim()) >= MIN_NODE_MAJOR) return bundled;
  }
  console.error(
    `Fanfare needs Node ${MIN_NODE_MAJOR} or later (this is ${process.version}) and found no Node from the npm registry ` +
      'in node_modules/.bin: run `npm install` first (it brings Node 24 for Linux x64/arm64, macOS x64 and Windows x64).',
  );
  process.exit(1);
}
