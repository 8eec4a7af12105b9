// A Fanfare process for benchmarks, as `npm start` runs it: the compiled server (dist/, built if stale)
// on the Node from the npm registry, and a seeded site (one channel, one ready public video on local disk).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { boot } from '../../src/boot.js';
import type { AppDeps } from '../../src/core/deps.js';
import { loadConfig } from '../../src/core/config.js';
import { MODULES } from '../../src/modules.js';
import { performSetup } from '../../src/setup/index.js';
import { configFragments, subscriberIndex } from '../../src/site.js';
import { stopChild } from './nginx.js';
import { waitForHttp } from './processes.js';

export const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const SHORT_ID = 'LoadTest0001';
export const SEGMENTS = 30;
export const SEGMENT_BYTES = 250_000; // about 4 s of 480p

/** The Node that runs the site: the registry's (node_modules/.bin/node) when there, else this one. */
export function siteNode(): string {
  const bundled = path.join(ROOT, 'node_modules', '.bin', 'node');
  return existsSync(bundled) ? bundled : process.execPath;
}

/** Builds dist/ when a source is newer than the last build (as `npm start` does). */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

/**
 * Boots a fresh site in `dataDir` (PGlite, or PostgreSQL at `databaseUrl`), sets it up with the owner
 * Camille and her channel `camille`, runs `work` with it, and closes it: the seeding step of a benchmark.
 */
export async function withSetUpSite<T>(dataDir: string, env: { databaseUrl?: string; publicUrl?: string }, work: (deps: AppDeps, channelId: string) => Promise<T>): Promise<T> {
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(env.publicUrl ? { PUBLIC_URL: env.publicUrl } : {}), ...(env.databaseUrl ? { DATABASE_URL: env.databaseUrl } : {}) },
    { fragments: configFragments(MODULES) },
  );
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  try {
    await performSetup(deps, {
      displayName: 'Camille',
      language: 'en',
      email: 'camille@example.org',
      password: '',
      channel: { handle: 'camille', name: 'Camille fait des films', description: 'Benchmark', language: 'en' },
    });
    const [channel] = await deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
    return await work(deps, channel!.id);
  } finally {
    deps.mailer.close();
    await deps.db.close();
  }
}

/** One rendition of random segments (like compressed video: nothing along the way can shrink them) and its master playlist. */
export async function putTestLadder(deps: AppDeps, prefix: string, ladder: { rendition: string; segments: number; segmentBytes: number; segmentName: (i: number) => string; streamInf: string }): Promise<void> {
  const playlist = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MAP:URI="init.mp4"'];
  for (let i = 0; i < ladder.segments; i++) playlist.push('#EXTINF:4.000000,', ladder.segmentName(i));
  playlist.push('#EXT-X-ENDLIST', '');
  await deps.storage.put(`${prefix}/${ladder.rendition}/index.m3u8`, new TextEncoder().encode(playlist.join('\n')));
  await deps.storage.put(`${prefix}/${ladder.rendition}/init.mp4`, randomBytes(1200));
  for (let i = 0; i < ladder.segments; i++) await deps.storage.put(`${prefix}/${ladder.rendition}/${ladder.segmentName(i)}`, randomBytes(ladder.segmentBytes));
  await deps.storage.put(`${prefix}/master.m3u8`, new TextEncoder().encode(`#EXTM3U\n#EXT-X-STREAM-INF:${ladder.streamInf}\n${ladder.rendition}/index.m3u8\n`));
}

/** A site set up with one channel and one ready public video whose HLS files are on local disk. */
export async function seedSite(dataDir: string, databaseUrl?: string): Promise<void> {
  await withSetUpSite(dataDir, { databaseUrl }, async (deps, channelId) => {
    const prefix = `videos/${SHORT_ID}/hls`;
    await deps.db.query(
      `INSERT INTO videos (id, short_id, channel_id, title, description, status, visibility, hls_prefix, duration_seconds, width, height) VALUES ($1, $2, $3, 'A film under load', 'Watched by many.', 'ready', 'public', $4, $5, 854, 480)`,
      [randomUUID(), SHORT_ID, channelId, prefix, SEGMENTS * 4],
    );
    await putTestLadder(deps, prefix, { rendition: '480p', segments: SEGMENTS, segmentBytes: SEGMENT_BYTES, segmentName: (i) => `seg-${i}.m4s`, streamInf: 'BANDWIDTH=1200000,RESOLUTION=854x480' });
  });
}

/** Starts `node dist/start.js` (what `npm start` runs) on `port` and waits until it answers (minutes on a busy machine). */
export async function startFanfare(dataDir: string, port: number, databaseUrl?: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(siteNode(), [path.join(ROOT, 'dist', 'start.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    // Starting PGlite (compiling its WebAssembly) takes seconds, minutes on a machine this busy.
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, Number(process.env.BENCH_START_TIMEOUT_MS ?? 300_000));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return child;
}
