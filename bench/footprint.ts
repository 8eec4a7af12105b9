// npm run bench:footprint — memory and start time of the site as it runs in production (`node dist/start.js`,
// the command `npm start` ends in; every process of the started tree counted), on the embedded database:
// the first start on an empty data folder (migrations), then a restart on the same data.
// Writes bench/results/footprint.json {ratio, goal, idleRssMb, firstStartIdleRssMb, coldStartMs, emptyColdStartMs}.
// Options: --idle 10 (seconds to wait before reading the idle memory), --postgres (also on PostgreSQL)
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, startFanfare } from './lib/fanfare.js';
import { machineInfo } from './lib/measure.js';
import { stopChild } from './lib/nginx.js';
import { startServer as startThrowawayPostgres } from './lib/postgres.js';
import { cpuSeconds, freePort, processTree } from './lib/processes.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const GOAL = { idleRssMb: 150, coldStartMs: 2000, emptyColdStartMs: 5000 };
const { values: args } = parseArgs({
  options: {
    idle: { type: 'string', default: '10' },
    postgres: { type: 'boolean', default: false },
    output: { type: 'string', default: path.join(here, 'results', 'footprint.json') },
  },
});

/** Resident memory of a process and all its descendants, in MiB (Linux /proc). */
function treeRssMb(pid: number): { totalMb: number; processes: number } {
  let kb = 0;
  const pids = processTree(pid);
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return { totalMb: Math.round(kb / 102.4) / 10, processes: pids.length };
}

/** Starts the site, times it until /healthz answers, lets it idle, reads its memory, stops it. */
async function startAndMeasure(dataDir: string, databaseUrl?: string) {
  const port = await freePort();
  const started = performance.now();
  let child: ChildProcess | undefined;
  try {
    child = await startFanfare(dataDir, port, databaseUrl);
    const coldStartMs = Math.round(performance.now() - started);
    // CPU time to get there: what the start costs, less skewed than wall time on a shared machine.
    const coldStartCpuMs = Math.round(cpuSeconds(child.pid!) * 1000);
    await new Promise((r) => setTimeout(r, Number(args.idle) * 1000));
    const rss = treeRssMb(child.pid!);
    return { coldStartMs, coldStartCpuMs, idleRssMb: rss.totalMb, processes: rss.processes };
  } finally {
    if (child) await stopChild(child);
  }
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `fanfare-bench-footprint-${engine}-`));
  const pg = engine === 'postgres' ? await startThrowawayPostgres() : undefined;
  try {
    console.error(`${engine}: first start on an empty data folder…`);
    const first = await startAndMeasure(dataDir, pg?.url);
    console.error(`${engine}: restart on the same data…`);
    const again = await startAndMeasure(dataDir, pg?.url);
    return { first, again };
  } finally {
    pg?.stop();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function main() {
  ensureBuilt();
  const pglite = await runEngine('pglite');
  const postgres = args.postgres ? await runEngine('postgres') : undefined;
  const worst = Math.max(pglite.first.idleRssMb, pglite.again.idleRssMb);
  const output = {
    benchmark: 'footprint: `node dist/start.js` (the process `npm start` runs; every process of its tree counted), idle memory and time until /healthz answers, first start on an empty folder then a restart',
    date: new Date().toISOString(),
    goal: GOAL,
    ratio: Math.round((worst / GOAL.idleRssMb) * 100) / 100,
    ratioMeans: 'the larger idle RSS (first start, restart) over 150 MB: ≤ 1 meets the goal',
    idleRssMb: pglite.again.idleRssMb,
    firstStartIdleRssMb: pglite.first.idleRssMb,
    coldStartMs: pglite.again.coldStartMs,
    emptyColdStartMs: pglite.first.coldStartMs,
    coldStartCpuMs: pglite.again.coldStartCpuMs,
    emptyColdStartCpuMs: pglite.first.coldStartCpuMs,
    meetsGoal: worst <= GOAL.idleRssMb && pglite.again.coldStartMs <= GOAL.coldStartMs && pglite.first.coldStartMs <= GOAL.emptyColdStartMs,
    runs: { pglite, ...(postgres ? { postgres } : {}) },
    settings: { idleSeconds: Number(args.idle), command: 'node_modules/.bin/node dist/start.js', note: '`npm start` adds the npm process itself (about 60 MB) as the parent: run `node dist/start.js` under a service manager to avoid it' },
    machine: { ...machineInfo(), note: 'a 2-core VM shared with other work: see loadAverage' },
  };
  await mkdir(path.dirname(args.output!), { recursive: true });
  await writeFile(args.output!, `${JSON.stringify(output, null, 2)}\n`);
  console.log(JSON.stringify(output, null, 2));
}

await main();
