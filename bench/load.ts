// The embedded default under load: 200 viewers (watch page, playlists, segments) plus 20 tips a second,
// for 60 s, against a real Fanfare process (src/main.ts, its job worker on) on PGlite and on a throwaway
// PostgreSQL; then the same static requests (playlists, segments) against nginx serving the same files.
// Loopback only, bounded (each request gives up after 60 s). Writes bench/results/load.json.
//   npx tsx bench/load.ts [--duration 60] [--viewers 200] [--tips 20] [--engines pglite,postgres] [--nginx-duration 20]
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/core/config.js';
import { MODULES } from '../src/modules.js';
import { performSetup } from '../src/setup/index.js';
import { configFragments, subscriberIndex } from '../src/site.js';
import { LoadClient, Recorder, summarize } from './lib/load-client.js';
import { machineInfo } from './lib/measure.js';
import { startFanfare } from './lib/fanfare.js';
import { startNginx, stopChild } from './lib/nginx.js';
import { startServer as startThrowawayPostgres } from './lib/postgres.js';
import { freePort } from './lib/processes.js';
import { ensureDebianPackages, versionOf } from './lib/system-tools.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const GOAL = { errors: 0, slowOver5s: 0, p99WatchMsPostgres: 1000 };

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    viewers: { type: 'string', default: '200' },
    tips: { type: 'string', default: '20' },
    engines: { type: 'string', default: 'pglite,postgres' },
    'nginx-duration': { type: 'string', default: '20' },
    output: { type: 'string', default: path.join(here, 'results', 'load.json') },
  },
});
const settings = {
  durationSeconds: Number(args.duration),
  warmupSeconds: Number(args.warmup),
  viewers: Number(args.viewers),
  tipsPerSecond: Number(args.tips),
  engines: args.engines!.split(',') as ('pglite' | 'postgres')[],
  nginxSeconds: Number(args['nginx-duration']),
};

const SHORT_ID = 'LoadTest0001';
const SEGMENTS = 30;
const SEGMENT_BYTES = 250_000; // about 4 s of 480p
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A site set up with one channel and one ready public video whose HLS files are on local disk. */
async function seed(dataDir: string, databaseUrl?: string): Promise<void> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, { fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  try {
    await performSetup(deps, {
      displayName: 'Camille',
      language: 'en',
      email: 'camille@example.org',
      password: '',
      channel: { handle: 'camille', name: 'Camille fait des films', description: 'Load test', language: 'en' },
    });
    const [channel] = await deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    const prefix = `videos/${SHORT_ID}/hls`;
    await deps.db.query(
      `INSERT INTO videos (id, short_id, channel_id, title, description, status, visibility, hls_prefix, duration_seconds, width, height) VALUES ($1, $2, $3, 'A film under load', 'Watched by many.', 'ready', 'public', $4, $5, 854, 480)`,
      [randomUUID(), SHORT_ID, channel!.id, prefix, SEGMENTS * 4],
    );
    const playlist = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MAP:URI="init.mp4"'];
    for (let i = 0; i < SEGMENTS; i++) playlist.push('#EXTINF:4.000000,', `seg-${i}.m4s`);
    playlist.push('#EXT-X-ENDLIST', '');
    await deps.storage.put(`${prefix}/480p/index.m3u8`, new TextEncoder().encode(playlist.join('\n')));
    await deps.storage.put(`${prefix}/480p/init.mp4`, randomBytes(1200));
    for (let i = 0; i < SEGMENTS; i++) await deps.storage.put(`${prefix}/480p/seg-${i}.m4s`, randomBytes(SEGMENT_BYTES));
    await deps.storage.put(`${prefix}/master.m3u8`, new TextEncoder().encode('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=854x480\n480p/index.m3u8\n'));
  } finally {
    deps.mailer.close();
    await deps.db.close();
  }
}

/** One viewer after another in each slot: opens the watch page (unless `staticOnly`), the playlists, then four segments a second apart. */
async function viewerSlot(base: string, recorder: Recorder, until: () => boolean, staticOnly: boolean, mediaPrefix: string): Promise<void> {
  let segment = Math.floor(Math.random() * SEGMENTS);
  while (!until()) {
    const client = new LoadClient(base, recorder);
    try {
      if (!staticOnly) await client.request('watch', `/v/${SHORT_ID}`);
      await client.request('playlist', `${mediaPrefix}/master.m3u8`);
      await client.request('playlist', `${mediaPrefix}/480p/index.m3u8`);
      for (let i = 0; i < 4 && !until(); i++) {
        await client.request('segment', `${mediaPrefix}/480p/seg-${segment}.m4s`);
        segment = (segment + 1) % SEGMENTS;
        await sleep(1000);
      }
    } finally {
      client.close();
    }
    await sleep(Math.random() * 1000);
  }
}

/** A fan tipping: the watch page, the tip form, the test bank's page, the card. */
async function tip(base: string, recorder: Recorder): Promise<void> {
  const client = new LoadClient(base, recorder);
  try {
    await client.request('tip', `/v/${SHORT_ID}`, { keepBody: true });
    const started = await client.request('tip', `/v/${SHORT_ID}/tip`, { method: 'POST', form: { _csrf: client.csrf, amount: '5', message: 'Merci !', provider: 'test' } });
    if (!started.location) return;
    const pay = new URL(started.location, base).pathname;
    await client.request('tip', pay, { keepBody: true });
    await client.request('tip', pay, { method: 'POST', form: { _csrf: client.csrf, number: '4242424242424242', expiry: '12/34', cvc: '123' } });
  } finally {
    client.close();
  }
}

/** Runs viewers (and tips) against `base` for warm-up plus duration; returns what was recorded after warm-up. */
async function runLoad(base: string, options: { staticOnly: boolean; mediaPrefix: string; seconds: number }) {
  const recorder = new Recorder();
  let stop = false;
  const until = () => stop;
  const slots = Array.from({ length: settings.viewers }, async (_, i) => {
    await sleep((i / settings.viewers) * 2000); // viewers arrive over 2 s
    await viewerSlot(base, recorder, until, options.staticOnly, options.mediaPrefix);
  });
  const tips: Promise<void>[] = [];
  const tipTimer = options.staticOnly ? undefined : setInterval(() => tips.push(tip(base, recorder)), 1000 / settings.tipsPerSecond);
  await sleep(settings.warmupSeconds * 1000);
  recorder.recording = true;
  const loadBefore = os.loadavg();
  await sleep(options.seconds * 1000);
  recorder.recording = false;
  stop = true;
  if (tipTimer) clearInterval(tipTimer);
  await Promise.all([...slots, ...tips]);
  return { ...summarize(recorder.samples), loadAverage: { before: loadBefore, after: os.loadavg() } };
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `fanfare-bench-load-${engine}-`));
  const pg = engine === 'postgres' ? await startThrowawayPostgres() : undefined;
  let server: ChildProcess | undefined;
  try {
    await seed(dataDir, pg?.url);
    const port = await freePort();
    server = await startFanfare(dataDir, port, pg?.url);
    console.error(`${engine}: ${settings.viewers} viewers + ${settings.tipsPerSecond} tips/s for ${settings.durationSeconds} s…`);
    const result = await runLoad(`http://127.0.0.1:${port}`, { staticOnly: false, mediaPrefix: `/media/v/${SHORT_ID}`, seconds: settings.durationSeconds });
    return { engine, postgresSettings: pg?.settings, result };
  } finally {
    if (server) await stopChild(server);
    pg?.stop();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The same viewers' static requests against nginx serving the same HLS folder. */
async function runNginx() {
  ensureDebianPackages({ nginx: 'nginx' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fanfare-bench-load-nginx-'));
  await chmod(dir, 0o755);
  const media = path.join(dir, 'hls');
  await mkdir(path.join(media, '480p'), { recursive: true });
  const playlist = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MAP:URI="init.mp4"'];
  for (let i = 0; i < SEGMENTS; i++) playlist.push('#EXTINF:4.000000,', `seg-${i}.m4s`);
  await writeFile(path.join(media, '480p', 'index.m3u8'), [...playlist, '#EXT-X-ENDLIST', ''].join('\n'));
  for (let i = 0; i < SEGMENTS; i++) await writeFile(path.join(media, '480p', `seg-${i}.m4s`), randomBytes(SEGMENT_BYTES));
  await writeFile(path.join(media, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=854x480\n480p/index.m3u8\n');
  const port = await freePort();
  const nginx = await startNginx({ root: media, urlPrefix: '/media/', port, workers: 1, dir: path.join(dir, 'nginx') });
  try {
    console.error(`nginx: the same ${settings.viewers} viewers' static requests for ${settings.nginxSeconds} s…`);
    return await runLoad(`http://127.0.0.1:${port}`, { staticOnly: true, mediaPrefix: '/media', seconds: settings.nginxSeconds });
  } finally {
    await nginx.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const engines: Record<string, Awaited<ReturnType<typeof runEngine>>> = {};
  for (const engine of settings.engines) engines[engine] = await runEngine(engine);
  const nginx = await runNginx();
  const headline = (engine: string) => {
    const run = engines[engine]?.result;
    if (!run) return null;
    return { errors: run.all.errors, slowOver5s: run.all.slowOver5s, p99WatchMs: run.byKind.watch?.p99Ms ?? null, requests: run.all.requests };
  };
  const pglite = headline('pglite');
  const postgres = headline('postgres');
  // Static requests (playlists and segments): Fanfare's p95 over nginx's, on the embedded default.
  const staticP95 = (run: ReturnType<typeof summarize> | undefined) => {
    const values = ['playlist', 'segment'].map((k) => run?.byKind[k]?.p95Ms).filter((v): v is number => typeof v === 'number');
    return values.length ? Math.max(...values) : null;
  };
  const fanfareStatic = staticP95(engines.pglite?.result ?? engines.postgres?.result);
  const nginxStatic = staticP95(nginx);
  const ratio = fanfareStatic !== null && nginxStatic ? Math.round((fanfareStatic / nginxStatic) * 100) / 100 : null;
  const meetsGoal =
    [pglite, postgres].every((h) => h === null || (h.errors === GOAL.errors && h.slowOver5s === GOAL.slowOver5s)) && (postgres === null || (postgres.p99WatchMs ?? Infinity) < GOAL.p99WatchMsPostgres);
  const output = {
    benchmark: 'load: 200 viewers (watch page, playlists, segments) + 20 tips/s against a Fanfare process (job worker on), PGlite and PostgreSQL; static requests also against nginx',
    date: new Date().toISOString(),
    goal: GOAL,
    meetsGoal,
    ratio,
    ratioMeans: "Fanfare's p95 latency on static requests (the worse of playlists and segments) divided by nginx's under the same viewers (nginx alone, without watch pages or tips): lower is better, 1 means as fast as nginx",
    pglite,
    postgres,
    nginx: { errors: nginx.all.errors, slowOver5s: nginx.all.slowOver5s, p95StaticMs: nginxStatic },
    settings: { ...settings, segments: `${SEGMENTS} × ${SEGMENT_BYTES} B`, viewer: 'a new client (own keep-alive connections) per visit: watch page, master and media playlists, 4 segments 1 s apart, 0–1 s pause', tip: 'watch page, POST tip, test bank page, POST card (4 requests, kind "tip")', warmupSeconds: settings.warmupSeconds },
    machine: { ...machineInfo(), note: 'a 2-core VM shared with other work: see loadAverage in each run' },
    versions: { node: process.version, nginx: versionOf('nginx') },
    runs: { ...Object.fromEntries(Object.entries(engines).map(([k, v]) => [k, { postgresSettings: v.postgresSettings, ...v.result }])), nginx },
  };
  await mkdir(path.dirname(args.output!), { recursive: true });
  await writeFile(args.output!, `${JSON.stringify(output, null, 2)}\n`);
  const { runs, ...head } = output;
  console.log(JSON.stringify({ ...head, byKind: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.byKind])) }, null, 2));
}

await main();
