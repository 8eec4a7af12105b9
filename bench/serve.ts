// Media serving through the full app, as a fan's player reaches it: a real Fanfare process (src/main.ts,
// every middleware, its database) against nginx with sendfile on the same segment files, the same wrk
// settings, in alternating rounds. The player's addresses are the ones the master playlist hands out
// (signed, see src/videos/media-token.ts). Writes bench/results/serve.json.
//   npx tsx bench/serve.ts [--duration 5] [--rounds 4] [--connections 64] [--segments 110] [--engine pglite|postgres]
//                          [--cases public,cookie,members,checked]
// Cases: `public` anonymous public segments (the headline ratio); `cookie` the same with a signed-in fan's
// session cookie (cookieRatio); `members` a members-only video's segments with the cookie of someone allowed
// to watch it (membersRatio); `checked` the old per-request-checked address /media/v/<id>/… with the cookie,
// for comparison. The segments (110 × 1.5 MB per video by default) outweigh the 128 MiB memory cache.
// Needs Debian's nginx and wrk (installed here with apt-get when running as root).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSessionFor } from '../src/accounts/index.js';
import { cookiePolicy } from '../src/core/http/cookies.js';
import { ensureBuilt, putTestLadder, startFanfare, withSetUpSite } from './lib/fanfare.js';
import { startNginx, stopChild } from './lib/nginx.js';
import { startServer as startThrowawayPostgres } from './lib/postgres.js';
import { cpuSeconds, freePort } from './lib/processes.js';
import { ensureDebianPackages, versionOf } from './lib/system-tools.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

const GOAL = { ratio: 0.9, cookieRatio: 0.9, membersRatio: 0.7 };
const SEGMENT_BYTES = 1_500_000; // 4 s of 720p at 3 Mb/s
const FOLDER = 'hls-bench-1';
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.join(here, '..');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '64' },
    threads: { type: 'string', default: '1' },
    segments: { type: 'string', default: '110' },
    engine: { type: 'string', default: 'pglite' },
    cases: { type: 'string', default: 'public,cookie,members,checked' },
    output: { type: 'string', default: path.join(here, 'results', 'serve.json') },
  },
});
const settings = {
  durationSeconds: Number(args.duration),
  rounds: Number(args.rounds),
  connections: Number(args.connections),
  threads: Number(args.threads),
  segments: Number(args.segments),
  engine: args.engine as 'pglite' | 'postgres',
  cases: args.cases!.split(','),
};

interface Seeded {
  videos: Record<'public' | 'members', { id: string; shortId: string }>;
  sessionCookie: string;
}

/** A site with one channel, a public and a members-only ready video (HLS on local disk), and the owner's session. */
async function seed(dataDir: string, databaseUrl: string | undefined, publicUrl: string): Promise<Seeded> {
  return withSetUpSite(dataDir, { databaseUrl, publicUrl }, async (deps, channelId) => {
    const [owner] = await deps.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'camille@example.org'`);
    const videos = {} as Seeded['videos'];
    for (const visibility of ['public', 'members'] as const) {
      const id = randomUUID();
      const shortId = visibility === 'public' ? 'ServePublic1' : 'ServeMember1';
      const prefix = `videos/${id}/${FOLDER}`;
      await deps.db.query(
        `INSERT INTO videos (id, short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds, width, height) VALUES ($1, $2, $3, $4, 'ready', $5, $6, $7, 1280, 720)`,
        [id, shortId, channelId, `Serve bench (${visibility})`, visibility, prefix, settings.segments * 4],
      );
      await putTestLadder(deps, prefix, { rendition: '720p', segments: settings.segments, segmentBytes: SEGMENT_BYTES, segmentName, streamInf: 'BANDWIDTH=3000000,RESOLUTION=1280x720' });
      videos[visibility] = { id, shortId };
    }
    const token = await createSessionFor(deps, deps.db, owner!.id);
    return { videos, sessionCookie: `${cookiePolicy(publicUrl).session}=${token}` };
  });
}

const segmentName = (i: number) => `seg-${String(i).padStart(5, '0')}.m4s`;

/** The signed folder address the master playlist gives this visitor (with `cookie`, as that fan). */
async function signedBase(base: string, shortId: string, cookie?: string): Promise<string> {
  const res = await fetch(`${base}/media/v/${shortId}/master.m3u8`, { headers: cookie ? { cookie } : {} });
  if (res.status !== 200) throw new Error(`master playlist of ${shortId}: ${res.status}`);
  const line = (await res.text()).split('\n').find((l) => l.endsWith('720p/index.m3u8'));
  if (!line?.startsWith('/media/s/')) throw new Error(`master playlist of ${shortId} has no signed address: ${line}`);
  return line.slice(0, -'720p/index.m3u8'.length);
}

/** Both servers must send the same bytes, or the comparison means nothing. */
async function checkSameBytes(pairs: [string, string][], headers: Record<string, string>): Promise<void> {
  for (const [a, b] of pairs) {
    const [x, y] = await Promise.all([fetch(a), fetch(b, { headers })]);
    const [bx, by] = await Promise.all([x.arrayBuffer(), y.arrayBuffer()]);
    if (x.status !== 200 || y.status !== 200 || !Buffer.from(bx).equals(Buffer.from(by))) throw new Error(`${a}: ${x.status} (${bx.byteLength} B) vs ${b}: ${y.status} (${by.byteLength} B)`);
    if (y.headers.get('set-cookie')) throw new Error(`${b} set a cookie`);
  }
}

interface Run extends WrkResult {
  round: number;
  serverCpuSeconds: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  ensureDebianPackages({ nginx: 'nginx', wrk: 'wrk' });
  ensureBuilt();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fanfare-bench-serve-'));
  // nginx workers run as an unprivileged user when started by root: they must be able to read the files.
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const running: { stop(): Promise<void> | void }[] = [];
  const cleanUp = async () => {
    for (const p of running.reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pg = settings.engine === 'postgres' ? await startThrowawayPostgres() : undefined;
    if (pg) running.push({ stop: () => pg.stop() });
    const fanfarePort = await freePort();
    const fanfareUrl = `http://127.0.0.1:${fanfarePort}`;
    console.error(`seeding ${settings.segments} × 2 segments of ${SEGMENT_BYTES} B…`);
    const seeded = await seed(dataDir, pg?.url, fanfareUrl);
    await new Promise<void>((resolve, reject) => spawn('chmod', ['-R', 'a+rX', dataDir]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chmod ${code}`)))));
    const server = await startFanfare(dataDir, fanfarePort, pg?.url);
    running.push({ stop: () => stopChild(server) });
    const nginxPort = await freePort();
    const nginxUrl = `http://127.0.0.1:${nginxPort}`;
    const nginx = await startNginx({
      root: path.join(dataDir, 'media', 'videos'),
      urlPrefix: '/videos/',
      port: nginxPort,
      workers: 1,
      dir: path.join(dir, 'nginx'),
      extraDirectives: ['add_header Cache-Control "public, max-age=31536000, immutable";', 'add_header X-Content-Type-Options nosniff;'],
    });
    running.push(nginx);

    const cookie = { cookie: seeded.sessionCookie };
    const segments = Array.from({ length: settings.segments }, (_, i) => `720p/${segmentName(i)}`);
    const nginxPaths = (v: 'public' | 'members') => segments.map((s) => `/videos/${seeded.videos[v].id}/${FOLDER}/${s}`);
    const publicBase = await signedBase(fanfareUrl, seeded.videos.public.shortId);
    const cookieBase = await signedBase(fanfareUrl, seeded.videos.public.shortId, seeded.sessionCookie);
    const membersBase = await signedBase(fanfareUrl, seeded.videos.members.shortId, seeded.sessionCookie);
    const cases: Record<string, { fanfare: string[]; nginx: string[]; headers: Record<string, string> }> = {
      public: { fanfare: segments.map((s) => publicBase + s), nginx: nginxPaths('public'), headers: {} },
      cookie: { fanfare: segments.map((s) => cookieBase + s), nginx: nginxPaths('public'), headers: cookie },
      members: { fanfare: segments.map((s) => membersBase + s), nginx: nginxPaths('members'), headers: cookie },
      checked: { fanfare: segments.map((s) => `/media/v/${seeded.videos.public.shortId}/${s}`), nginx: nginxPaths('public'), headers: cookie },
    };
    for (const c of Object.values(cases)) await checkSameBytes([[nginxUrl + c.nginx[0], fanfareUrl + c.fanfare[0]]], c.headers);

    const loadBefore = os.loadavg();
    const sides = { nginx: { url: nginxUrl, pid: nginx.process.pid! }, fanfare: { url: fanfareUrl, pid: server.pid! } };
    const results: Record<string, Record<'nginx' | 'fanfare', Run[]>> = {};
    for (const [name, c] of Object.entries(cases).filter(([name]) => settings.cases.includes(name))) {
      const wrk = (side: 'nginx' | 'fanfare', durationSeconds: number) =>
        runWrk({
          baseUrl: sides[side].url,
          paths: side === 'nginx' ? c.nginx : c.fanfare,
          headers: side === 'nginx' ? {} : c.headers,
          threads: settings.threads,
          connections: settings.connections,
          durationSeconds,
          dir,
          timeoutSeconds: 30,
        });
      // Warm-up: page cache, JIT, connection pools; not recorded.
      for (const side of ['nginx', 'fanfare'] as const) await wrk(side, 3);
      results[name] = { nginx: [], fanfare: [] };
      for (let round = 0; round < settings.rounds; round++) {
        // A-B then B-A: slow drift of the machine (thermal, neighbours) hits both sides alike.
        const order = round % 2 === 0 ? (['nginx', 'fanfare'] as const) : (['fanfare', 'nginx'] as const);
        for (const side of order) {
          const cpuBefore = cpuSeconds(sides[side].pid);
          const result = await wrk(side, settings.durationSeconds);
          const serverCpuSeconds = cpuSeconds(sides[side].pid) - cpuBefore;
          results[name]![side].push({ ...result, round, serverCpuSeconds });
          const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
          console.error(`${name} round ${round + 1} ${side}: ${result.requestsPerSecond.toFixed(0)} req/s, ${(result.bytesPerSecond / 1e6).toFixed(0)} MB/s, p99 ${result.latencyMs.p99.toFixed(0)} ms, server CPU ${serverCpuSeconds.toFixed(1)} s${errors ? `, ${errors} errors` : ''}`);
        }
      }
    }
    const summary = (runs: Run[]) => ({
      medianRequestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      medianBytesPerSecond: median(runs.map((r) => r.bytesPerSecond)),
      medianP99Ms: median(runs.map((r) => r.latencyMs.p99)),
      medianBytesPerServerCpuSecond: median(runs.map((r) => r.bytes / r.serverCpuSeconds)),
      errors: runs.reduce((n, r) => n + Object.values(r.errors).reduce((a, b) => a + b, 0), 0),
    });
    const report = Object.fromEntries(
      Object.entries(results).map(([name, s]) => {
        // Each round's two runs are back to back, so their ratio is the least disturbed by the machine's other work.
        const paired = s.fanfare.map((run, i) => run.bytesPerSecond / s.nginx[i]!.bytesPerSecond);
        const f = summary(s.fanfare);
        const n = summary(s.nginx);
        return [name, { ratio: median(paired), pairedRatios: paired, cpuEfficiencyRatio: f.medianBytesPerServerCpuSecond / n.medianBytesPerServerCpuSecond, fanfare: f, nginx: n, runs: s }];
      }),
    );
    const round2 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 100) / 100);
    const ratios = { ratio: round2(report.public?.ratio), cookieRatio: round2(report.cookie?.ratio), membersRatio: round2(report.members?.ratio), checkedRatio: round2(report.checked?.ratio) };
    const pkg = async (name: string) => JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    const loadMax = Math.max(loadBefore[0]!, os.loadavg()[0]!);
    const output = {
      benchmark: 'serve: HLS segments through the full Fanfare app (src/main.ts, every middleware) vs nginx sendfile on the same files',
      date: new Date().toISOString(),
      goal: GOAL,
      ...ratios,
      ratioMeans: 'Fanfare / nginx bytes/s on 1.5 MB segments, the median over rounds of the ratio of each round\'s two back-to-back runs: ratio = anonymous public segment at its signed address, cookieRatio = the same with a session cookie, membersRatio = members-only segment with the cookie of a viewer allowed to watch it (the channel\'s owner), checkedRatio = the per-request-checked /media/v/ address (session + SQL) for comparison',
      meetsGoal: (ratios.ratio ?? 0) >= GOAL.ratio && (ratios.cookieRatio ?? 0) >= GOAL.cookieRatio && (ratios.membersRatio ?? 0) >= GOAL.membersRatio,
      warning: loadMax > os.cpus().length ? `the machine was busy with other work (1-minute load average up to ${loadMax.toFixed(1)} on ${os.cpus().length} CPUs): throughput figures are noisy, compare pairedRatios and cpuEfficiencyRatio` : undefined,
      settings: {
        engine: settings.engine,
        wrk: { threads: settings.threads, connections: settings.connections, durationSeconds: settings.durationSeconds, keepAlive: true },
        rounds: settings.rounds,
        order: 'alternating A-B / B-A per round, after a 3 s unrecorded warm-up of each server per case',
        workingSet: `${settings.segments} × ${SEGMENT_BYTES} B per video (${((settings.segments * SEGMENT_BYTES) / 2 ** 20).toFixed(0)} MiB), cycled; Fanfare's memory cache holds 128 MiB`,
        servers: 'nginx: 1 worker, sendfile on, tcp_nopush on; Fanfare: one src/main.ts process via tsx, LOG_LEVEL=warn, job worker on',
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release() },
        loadAverage: { before: loadBefore, after: os.loadavg() },
      },
      versions: { node: process.version, nginx: versionOf('nginx'), wrk: versionOf('wrk').split(' [')[0], hono: await pkg('hono'), '@hono/node-server': await pkg('@hono/node-server') },
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
