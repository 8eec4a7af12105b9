// npm run bench:pages — the watch, channel and home pages as an anonymous visitor gets them, through the
// whole app (`node dist/start.js`, as `npm start` runs it), against nginx serving the same HTML, with the
// same wrk settings, in alternating rounds, on PGlite (the default) and PostgreSQL. Also what the watch
// page costs before play (bytes and requests, as a browser asking for brotli would fetch them).
// Writes bench/results/pages.json {ratio, goal, p99Ms, watchBytesBeforePlay, watchRequestsBeforePlay}.
// Options: --seconds 10 --rounds 3 --connections 64 --warmup 5 (seconds per page, not counted) --engines pglite,postgres
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, ROOT, SHORT_ID, seedSite, siteNode, startFanfare } from './lib/fanfare.js';
import { machineInfo, median } from './lib/measure.js';
import { startNginx, stopChild } from './lib/nginx.js';
import { startServer as startThrowawayPostgres } from './lib/postgres.js';
import { freePort } from './lib/processes.js';
import { ensureDebianPackages, versionOf } from './lib/system-tools.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const GOAL = { ratio: 0.3, p99Ms: 50, watchBytesBeforePlay: 150 * 1024 };
const PAGES = { watch: `/v/${SHORT_ID}`, channel: '/c/camille', home: '/' } as const;
type PageName = keyof typeof PAGES;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '5' },
    engines: { type: 'string', default: 'pglite,postgres' },
    output: { type: 'string', default: path.join(here, 'results', 'pages.json') },
  },
});
const settings = { seconds: Number(args.seconds), rounds: Number(args.rounds), connections: Number(args.connections), warmup: Number(args.warmup), engines: args.engines!.split(',') as ('pglite' | 'postgres')[] };

/** What a browser fetches for the watch page before the viewer presses play: the page, its stylesheet, scripts and their static imports, the poster. */
async function beforePlay(base: string): Promise<{ bytes: number; requests: number; urls: string[] }> {
  const seen = new Map<string, number>();
  const fetchCounted = async (url: string): Promise<string> => {
    const res = await fetch(new URL(url, base), { headers: { 'accept-encoding': 'br, gzip' } });
    const body = Buffer.from(await res.arrayBuffer());
    // fetch decodes the body; count what travelled: the compressed length the server declared.
    seen.set(url, Number(res.headers.get('content-length') ?? body.byteLength));
    return res.headers.get('content-encoding') ? '' : body.toString('utf8');
  };
  const page = await fetch(new URL(PAGES.watch, base), { headers: { 'accept-encoding': 'br, gzip' } });
  const html = await page.text();
  seen.set(PAGES.watch, Number(page.headers.get('content-length') ?? Buffer.byteLength(html)));
  const refs = [...html.matchAll(/<(?:link rel="stylesheet" href|script type="module" src|img[^>]* src|video[^>]* poster)="([^"]+)"/g)].map((m) => m[1]!);
  for (const ref of refs) {
    if (seen.has(ref)) continue;
    await fetchCounted(ref);
    if (ref.endsWith('.js')) {
      // Static imports of the entry (a shared chunk); dynamic import() (hls.js) waits for play.
      const code = await (await fetch(new URL(ref, base))).text();
      for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+)["']/g)) {
        const chunk = new URL(`./${m[1]}`, new URL(ref, base)).pathname;
        if (!seen.has(chunk)) await fetchCounted(chunk);
      }
    }
  }
  return { bytes: [...seen.values()].reduce((a, b) => a + b, 0), requests: seen.size, urls: [...seen.keys()] };
}

/**
 * The ceiling of Fanfare's own stack: Node with @hono/node-server answering the same HTML from memory, no
 * middleware, no database. What Fanfare reaches over this is what its own code costs; what this reaches
 * over nginx is the platform's (one event loop, Web Response objects) and no change in Fanfare lifts it.
 */
async function startBareHono(htmlDir: string, port: number): Promise<ChildProcess> {
  const program = `
    import { readFileSync } from 'node:fs';
    import { serve } from '@hono/node-server';
    import { Hono } from 'hono';
    const pages = Object.fromEntries(${JSON.stringify(Object.keys(PAGES))}.map((n) => [n, readFileSync(${JSON.stringify(htmlDir)} + '/' + n + '.html', 'utf8')]));
    const app = new Hono();
    app.get('/p/:name{.+\\.html}', (c) => c.html(pages[c.req.param('name').replace(/\\.html$/, '')] ?? ''));
    serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' });`;
  const child = spawn(siteNode(), ['--input-type=module', '-e', program], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/p/home.html`).then((r) => r.ok, () => false);
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the bare Hono server did not start');
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `fanfare-bench-pages-${engine}-`));
  const pg = engine === 'postgres' ? await startThrowawayPostgres() : undefined;
  const nginxDir = await mkdtemp(path.join(os.tmpdir(), 'fanfare-bench-pages-nginx-'));
  let server: ChildProcess | undefined;
  try {
    await seedSite(dataDir, pg?.url);
    const port = await freePort();
    server = await startFanfare(dataDir, port, pg?.url);
    const base = `http://127.0.0.1:${port}`;
    // nginx serves the HTML Fanfare renders for an anonymous visitor, byte for byte.
    await chmod(nginxDir, 0o755);
    const htmlDir = path.join(nginxDir, 'html');
    await mkdir(htmlDir, { recursive: true });
    for (const [name, url] of Object.entries(PAGES)) {
      const res = await fetch(new URL(url, base));
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      await writeFile(path.join(htmlDir, `${name}.html`), await res.text());
    }
    const nginxPort = await freePort();
    const nginx = await startNginx({ root: htmlDir, urlPrefix: '/p/', port: nginxPort, workers: 1, dir: path.join(nginxDir, 'nginx') });
    const barePort = await freePort();
    const bare = await startBareHono(htmlDir, barePort);
    const before = await beforePlay(base);
    const results: Record<PageName, { fanfare: WrkResult[]; nginx: WrkResult[]; bare: WrkResult[] }> = {
      watch: { fanfare: [], nginx: [], bare: [] },
      channel: { fanfare: [], nginx: [], bare: [] },
      home: { fanfare: [], nginx: [], bare: [] },
    };
    try {
      // Warm-up, not counted: the first seconds after a start are V8 compiling PGlite's WebAssembly with its
      // optimizing compiler on both cores, which a site that has run for a minute no longer pays.
      for (const url of Object.values(PAGES)) {
        await runWrk({ threads: 2, connections: settings.connections, durationSeconds: settings.warmup, dir: nginxDir, baseUrl: base, paths: [url] });
      }
      for (let round = 0; round < settings.rounds; round++) {
        for (const [name, url] of Object.entries(PAGES) as [PageName, string][]) {
          console.error(`${engine}: round ${round + 1}/${settings.rounds}, ${name}…`);
          const common = { threads: 2, connections: settings.connections, durationSeconds: settings.seconds, dir: nginxDir };
          results[name].fanfare.push(await runWrk({ ...common, baseUrl: base, paths: [url] }));
          results[name].nginx.push(await runWrk({ ...common, baseUrl: `http://127.0.0.1:${nginxPort}`, paths: [`/p/${name}.html`] }));
          results[name].bare.push(await runWrk({ ...common, baseUrl: `http://127.0.0.1:${barePort}`, paths: [`/p/${name}.html`] }));
        }
      }
    } finally {
      await nginx.stop();
      await stopChild(bare);
    }
    const pages = Object.fromEntries(
      (Object.keys(PAGES) as PageName[]).map((name) => {
        const f = results[name].fanfare;
        const n = results[name].nginx;
        const rps = median(f.map((r) => r.requestsPerSecond));
        const nginxRps = median(n.map((r) => r.requestsPerSecond));
        const errors = f.reduce((sum, r) => sum + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
        const bareRps = median(results[name].bare.map((r) => r.requestsPerSecond));
        return [name, {
          requestsPerSecond: Math.round(rps), p99Ms: median(f.map((r) => r.latencyMs.p99)),
          nginxRequestsPerSecond: Math.round(nginxRps), nginxP99Ms: median(n.map((r) => r.latencyMs.p99)),
          ratio: Math.round((rps / nginxRps) * 1000) / 1000, errors,
          bareHonoRequestsPerSecond: Math.round(bareRps), bareHonoP99Ms: median(results[name].bare.map((r) => r.latencyMs.p99)),
          bareHonoRatio: Math.round((bareRps / nginxRps) * 1000) / 1000,
        }];
      }),
    ) as Record<PageName, { requestsPerSecond: number; p99Ms: number; nginxRequestsPerSecond: number; nginxP99Ms: number; ratio: number; errors: number; bareHonoRequestsPerSecond: number; bareHonoP99Ms: number; bareHonoRatio: number }>;
    return { engine, pages, beforePlay: before };
  } finally {
    if (server) await stopChild(server);
    pg?.stop();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(nginxDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function main() {
  ensureDebianPackages({ nginx: 'nginx', wrk: 'wrk' });
  ensureBuilt();
  const engines: Record<string, Awaited<ReturnType<typeof runEngine>>> = {};
  for (const engine of settings.engines) engines[engine] = await runEngine(engine);
  const headline = engines.pglite ?? engines.postgres!;
  const output = {
    benchmark: 'pages: watch, channel and home pages (anonymous, wrk, keep-alive) through `node dist/start.js` vs nginx serving the same HTML, alternating rounds, medians',
    date: new Date().toISOString(),
    goal: GOAL,
    ratio: headline.pages.watch.ratio,
    ratioMeans: `watch page requests/s on ${headline.engine} over nginx's`,
    bareHonoRatio: headline.pages.watch.bareHonoRatio,
    bareHonoRatioMeans: "the same HTML from memory by a bare @hono/node-server over nginx's: the ceiling of Node and Fanfare's web stack",
    p99Ms: headline.pages.watch.p99Ms,
    watchBytesBeforePlay: headline.beforePlay.bytes,
    watchRequestsBeforePlay: headline.beforePlay.requests,
    meetsGoal: headline.pages.watch.ratio >= GOAL.ratio && headline.pages.watch.p99Ms < GOAL.p99Ms && headline.beforePlay.bytes < GOAL.watchBytesBeforePlay,
    engines: Object.fromEntries(Object.entries(engines).map(([k, v]) => [k, { pages: v.pages, beforePlay: v.beforePlay }])),
    settings: { ...settings, warmupSecondsPerPage: settings.warmup, wrkThreads: 2, cache: 'PAGE_CACHE_SECONDS default (30): anonymous pages from memory' },
    machine: { ...machineInfo(), note: 'a 2-core VM shared with other work: see loadAverage' },
    versions: { node: process.version, nginx: versionOf('nginx') },
  };
  await mkdir(path.dirname(args.output!), { recursive: true });
  await writeFile(args.output!, `${JSON.stringify(output, null, 2)}\n`);
  console.log(JSON.stringify(output, null, 2));
}

await main();
