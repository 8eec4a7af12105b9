// A Fanfare process for benchmarks, as `npm start` runs it: the compiled server (dist/, built if stale)
// on the Node from the npm registry, and a seeded site (one channel, one ready public video on local disk).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { boot } from '../../src/boot.js';
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

/** A site set up with one channel and one ready public video whose HLS files are on local disk. */
export async function seedSite(dataDir: string, databaseUrl?: string): Promise<void> {
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

/** Starts `node dist/main.js` on `port` and waits until it answers (minutes on a busy machine). */
export async function startFanfare(dataDir: string, port: number, databaseUrl?: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(siteNode(), [path.join(ROOT, 'dist', 'main.js')], {
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
