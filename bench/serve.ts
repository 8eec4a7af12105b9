// Media serving: Fanfare's serveStoredFile (Hono on Node) against nginx with sendfile, on the same
// files, with the same wrk settings, in alternating rounds. Writes bench/results/serve.json.
//   npx tsx bench/serve.ts [--duration 5] [--rounds 8] [--connections 32] [--workers 1] [--segments 60] [--pin]
//                          [--cases segments,segmentsWithoutMemoryCache,playlists]
// Needs Debian's nginx and wrk (installed here with apt-get when running as root).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startNginx, stopChild } from './lib/nginx.js';
import { cpuSeconds, freePort, waitForHttp } from './lib/processes.js';
import { ensureDebianPackages, hasCommand, versionOf } from './lib/system-tools.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

const GOAL = 0.9;
const SEGMENT_BYTES = 1_500_000; // 4 s of 720p at 3 Mb/s
const here = path.dirname(new URL(import.meta.url).pathname);

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    segments: { type: 'string', default: '60' },
    cases: { type: 'string', default: 'segments,segmentsWithoutMemoryCache,playlists' },
    pin: { type: 'boolean', default: false },
    output: { type: 'string', default: path.join(here, 'results', 'serve.json') },
  },
});
const settings = {
  durationSeconds: Number(args.duration),
  rounds: Number(args.rounds),
  connections: Number(args.connections),
  threads: Number(args.threads),
  workers: Number(args.workers),
  segments: Number(args.segments),
  cases: args.cases!.split(','),
  // --pin: wrk on CPU 0, every server process on CPU 1, so each side has one core of its own. Off by
  // default: on a machine doing other work too, a pinned server cannot escape a busy core, and the
  // rounds got noisier, not cleaner. Needs 2 CPUs and taskset (util-linux).
  pin: args.pin! && os.cpus().length >= 2 && hasCommand('taskset'),
};
const SERVER_CPU = '1';
const CLIENT_CPU = '0';

/** Writes an HLS folder like the transcoder's: segments, init segment, media and master playlists, captions. */
async function createMedia(root: string): Promise<{ segmentPaths: string[]; smallPaths: string[] }> {
  const renditions = ['1080p', '720p', '480p', '360p'];
  const listed = 150; // a 10-minute video's media playlist lists 150 segments of 4 s
  const segmentPaths: string[] = [];
  for (const name of renditions) {
    await mkdir(path.join(root, 'v', name), { recursive: true });
    const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MAP:URI="init.mp4"'];
    for (let i = 1; i <= listed; i++) lines.push('#EXTINF:4.000000,', `seg-${String(i).padStart(5, '0')}.m4s`);
    lines.push('#EXT-X-ENDLIST', '');
    await writeFile(path.join(root, 'v', name, 'index.m3u8'), lines.join('\n'));
  }
  await writeFile(path.join(root, 'v', '720p', 'init.mp4'), randomBytes(1200));
  // Random bytes, like compressed video: nothing along the way can shrink them.
  for (let i = 1; i <= settings.segments; i++) {
    const name = `seg-${String(i).padStart(5, '0')}.m4s`;
    await writeFile(path.join(root, 'v', '720p', name), randomBytes(SEGMENT_BYTES));
    segmentPaths.push(`/media/v/720p/${name}`);
  }
  const master = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const [i, name] of renditions.entries()) master.push(`#EXT-X-STREAM-INF:BANDWIDTH=${6_000_000 >> i},CODECS="avc1.640028,mp4a.40.2"`, `${name}/index.m3u8`);
  await writeFile(path.join(root, 'v', 'master.m3u8'), `${master.join('\n')}\n`);
  const cues = Array.from({ length: 40 }, (_, i) => `${i + 1}\n00:${String(i).padStart(2, '0')}.000 --> 00:${String(i).padStart(2, '0')}.900\nLine ${i + 1} of the captions\n`);
  await writeFile(path.join(root, 'v', 'captions.en.vtt'), `WEBVTT\n\n${cues.join('\n')}`);
  const smallPaths = ['/media/v/master.m3u8', ...renditions.map((r) => `/media/v/${r}/index.m3u8`), '/media/v/captions.en.vtt'];
  return { segmentPaths, smallPaths };
}

async function startFanfare(root: string, port: number, workers: number, cacheMiB?: number) {
  const script = path.join(here, 'lib', 'media-server.ts');
  const args = ['--import', 'tsx', script, root, String(port), String(workers), ...(cacheMiB === undefined ? [] : [String(cacheMiB)])];
  const child = settings.pin
    ? spawn('taskset', ['-c', SERVER_CPU, process.execPath, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHttp(`http://127.0.0.1:${port}/`, child);
  return { process: child, stop: () => stopChild(child) };
}

/** Both servers must send the same bytes, or the comparison means nothing. */
async function checkSameBytes(paths: string[], nginxUrl: string, fanfareUrl: string): Promise<void> {
  for (const p of paths) {
    const [a, b] = await Promise.all([fetch(nginxUrl + p), fetch(fanfareUrl + p)]);
    const [x, y] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
    if (a.status !== 200 || b.status !== 200 || !Buffer.from(x).equals(Buffer.from(y))) {
      throw new Error(`${p}: nginx ${a.status} (${x.byteLength} B) vs Fanfare ${b.status} (${y.byteLength} B)`);
    }
  }
}

interface Run extends WrkResult {
  round: number;
  serverCpuSeconds: number;
  bytesPerServerCpuSecond: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  ensureDebianPackages({ nginx: 'nginx', wrk: 'wrk' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fanfare-bench-serve-'));
  // nginx workers run as an unprivileged user when started by root: they must be able to read the files.
  await chmod(dir, 0o755);
  const root = path.join(dir, 'media');
  const { segmentPaths, smallPaths } = await createMedia(root);
  const [nginxPort, fanfarePort, uncachedPort] = [await freePort(), await freePort(), await freePort()];
  // Whatever started is stopped at the end, also when a later start fails.
  const running: { stop(): Promise<void> }[] = [];
  const cleanUp = async () => {
    await Promise.all(running.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  let nginxSide, fanfareSide, uncachedSide;
  try {
    const nginx = await startNginx({
      root,
      urlPrefix: '/media/',
      port: nginxPort,
      workers: settings.workers,
      dir: path.join(dir, 'nginx'),
      cpu: settings.pin ? SERVER_CPU : undefined,
      // The headers serve.ts adds, so both responses are about the same size.
      extraDirectives: ['add_header Cache-Control "public, max-age=31536000, immutable";', 'add_header X-Content-Type-Options nosniff;'],
    });
    running.push(nginx);
    const fanfare = await startFanfare(root, fanfarePort, settings.workers);
    running.push(fanfare);
    // The same server with serve.ts's memory cache off: every request reads the file from the page cache.
    const uncached = await startFanfare(root, uncachedPort, settings.workers, 0);
    running.push(uncached);
    nginxSide = { url: `http://127.0.0.1:${nginxPort}`, pid: nginx.process.pid! };
    fanfareSide = { url: `http://127.0.0.1:${fanfarePort}`, pid: fanfare.process.pid! };
    uncachedSide = { url: `http://127.0.0.1:${uncachedPort}`, pid: uncached.process.pid! };
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const loadBefore = os.loadavg();
  try {
    await checkSameBytes([...smallPaths, segmentPaths[0]!], nginxSide.url, fanfareSide.url);
    await checkSameBytes([...smallPaths, segmentPaths[0]!], nginxSide.url, uncachedSide.url);
    const cases = {
      segments: { paths: segmentPaths, servers: { nginx: nginxSide, fanfare: fanfareSide } },
      segmentsWithoutMemoryCache: { paths: segmentPaths, servers: { nginx: nginxSide, fanfare: uncachedSide } },
      playlists: { paths: smallPaths, servers: { nginx: nginxSide, fanfare: fanfareSide } },
    };
    const results: Record<string, Record<'nginx' | 'fanfare', Run[]>> = {};
    for (const [name, { paths, servers }] of Object.entries(cases).filter(([name]) => settings.cases.includes(name))) {
      const wrk = (url: string, durationSeconds: number) =>
        runWrk({ baseUrl: url, paths, threads: settings.threads, connections: settings.connections, durationSeconds, dir, cpu: settings.pin ? CLIENT_CPU : undefined });
      // Warm-up: page cache, JIT, connection pools; not recorded.
      for (const server of Object.values(servers)) await wrk(server.url, 3);
      results[name] = { nginx: [], fanfare: [] };
      for (let round = 0; round < settings.rounds; round++) {
        // A-B then B-A: slow drift of the machine (thermal, neighbours) hits both sides alike.
        const order = round % 2 === 0 ? (['nginx', 'fanfare'] as const) : (['fanfare', 'nginx'] as const);
        for (const side of order) {
          const cpuBefore = cpuSeconds(servers[side].pid);
          const result = await wrk(servers[side].url, settings.durationSeconds);
          const serverCpuSeconds = cpuSeconds(servers[side].pid) - cpuBefore;
          results[name]![side].push({ ...result, round, serverCpuSeconds, bytesPerServerCpuSecond: result.bytes / serverCpuSeconds });
          console.error(`${name} round ${round + 1} ${side}: ${(result.bytesPerSecond / 1e6).toFixed(0)} MB/s, ${result.requestsPerSecond.toFixed(0)} req/s, server CPU ${serverCpuSeconds.toFixed(1)} s`);
        }
      }
    }
    const summary = (runs: Run[]) => ({
      medianRequestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      medianBytesPerSecond: median(runs.map((r) => r.bytesPerSecond)),
      medianBytesPerServerCpuSecond: median(runs.map((r) => r.bytesPerServerCpuSecond)),
      errors: runs.reduce((n, r) => n + Object.values(r.errors).reduce((a, b) => a + b, 0), 0),
    });
    const report = Object.fromEntries(
      Object.entries(results).map(([name, sides]) => {
        const n = summary(sides.nginx);
        const f = summary(sides.fanfare);
        // Each round's two runs are back to back, so their ratio is the least disturbed by the machine's other work.
        const paired = sides.fanfare.map((run, i) => run.bytesPerSecond / sides.nginx[i]!.bytesPerSecond);
        return [name, {
          nginx: n,
          fanfare: f,
          ratioBytesPerSecond: median(paired),
          ratioOfMedianBytesPerSecond: f.medianBytesPerSecond / n.medianBytesPerSecond,
          pairedRatiosBytesPerSecond: paired,
          ratioRequestsPerSecond: f.medianRequestsPerSecond / n.medianRequestsPerSecond,
          ratioBytesPerServerCpuSecond: f.medianBytesPerServerCpuSecond / n.medianBytesPerServerCpuSecond,
          runs: sides,
        }];
      }),
    );
    const pkg = async (name: string) => JSON.parse(await readFile(path.join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version as string;
    const output = {
      benchmark: 'serve: Fanfare serveStoredFile (Hono + @hono/node-server, local disk) vs nginx (sendfile on, tcp_nopush on)',
      date: new Date().toISOString(),
      goal: GOAL,
      ratio: report.segments?.ratioBytesPerSecond ?? null,
      ratioMeans: 'Fanfare / nginx bytes/s on 1.5 MB HLS segments: the median over rounds of the ratio of the two back-to-back runs of each round (headline); see cases for the rest',
      meetsGoal: report.segments ? report.segments.ratioBytesPerSecond >= GOAL : null,
      // Bytes per CPU-second of each server's own processes: a capacity figure that moves much less than
      // throughput when other work shares the machine (throughput also depends on who the scheduler favours).
      cpuEfficiencyRatio: report.segments?.ratioBytesPerServerCpuSecond ?? null,
      warning:
        Math.max(loadBefore[0]!, os.loadavg()[0]!) > os.cpus().length
          ? `the machine was busy with other work (1-minute load average up to ${Math.max(loadBefore[0]!, os.loadavg()[0]!).toFixed(1)} on ${os.cpus().length} CPUs): throughput figures are noisy, compare pairedRatiosBytesPerSecond and cpuEfficiencyRatio`
          : undefined,
      settings: {
        wrk: { threads: settings.threads, connections: settings.connections, durationSeconds: settings.durationSeconds, keepAlive: true },
        rounds: settings.rounds,
        order: 'alternating A-B / B-A per round, after a 3 s unrecorded warm-up of each server per case',
        workers: { nginx: `worker_processes ${settings.workers}`, fanfare: settings.workers > 1 ? `node:cluster, ${settings.workers} workers` : '1 process' },
        files: { segments: `${settings.segments} × ${SEGMENT_BYTES} B .m4s, cycled`, playlists: `${smallPaths.length} files (master + 4 media playlists + captions), cycled` },
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release() },
        pinning: settings.pin ? `taskset: wrk on CPU ${CLIENT_CPU}, nginx and Node (all their processes and threads) on CPU ${SERVER_CPU}` : 'none',
        note: 'the machine runs other work too (see loadAverage): rounds alternate and ratios are taken within a round; server CPU seconds come from /proc for each server process tree',
        loadAverage: { before: loadBefore, after: os.loadavg() },
        fanfareCache: 'serve.ts sharedFileCache at its default (128 MiB, files up to 8 MiB) except in segmentsWithoutMemoryCache, where it is off',
      },
      versions: {
        node: process.version,
        nginx: versionOf('nginx'),
        wrk: versionOf('wrk').split(' [')[0],
        hono: await pkg('hono'),
        '@hono/node-server': await pkg('@hono/node-server'),
      },
      cases: report,
    };
    await mkdir(path.dirname(args.output!), { recursive: true });
    await writeFile(args.output!, `${JSON.stringify(output, null, 2)}\n`);
    const { cases: _cases, ...head } = output;
    console.log(JSON.stringify({ ...head, cases: Object.fromEntries(Object.entries(report).map(([k, v]) => [k, { ...v, runs: undefined }])) }, null, 2));
  } finally {
    await cleanUp();
  }
}

await main();
