// BitTorrent: (1) hashing a 2 GB file into a torrent (Fanfare's streamed piece hashing) against sha1sum of the
// same file, and (2) aria2c downloading a 1 GB bundle file through the torrent's web seed served by Fanfare
// against the same torrent seeded by nginx, in alternating rounds. Files live under /tmp and are deleted after.
// Writes bench/results/torrent.json {ratio, goal, hashRatio, serveRatio, ...}.
//   npx tsx bench/torrent.ts [--hash-gb 2] [--serve-gb 1] [--rounds 3]
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalStorage } from '../src/core/storage/index.js';
import { buildTorrentInfo, torrentFile } from '../src/downloads/index.js';
import * as bundles from '../src/funding/bundles/queries.js';
import { TestClient, setupFields } from '../test/support/client.js';
import { createTestSite } from '../test/support/harness.js';
import { machineInfo, measure, median } from './lib/measure.js';
import { startNginx } from './lib/nginx.js';
import { freePort } from './lib/processes.js';
import { ensureDebianPackages, versionOf } from './lib/system-tools.js';

const HASH_GOAL = 0.8;
const SERVE_GOAL = 0.9;
const here = path.dirname(new URL(import.meta.url).pathname);
const { values: args } = parseArgs({
  options: {
    'hash-gb': { type: 'string', default: '2' },
    'serve-gb': { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    output: { type: 'string', default: path.join(here, 'results', 'torrent.json') },
  },
});
const GB = 1024 ** 3;
const rounds = Number(args.rounds);

function run(command: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** A file of `bytes` pseudo-random bytes (incompressible, like media), written in 4 MiB blocks. */
async function makeFile(file: string, bytes: number): Promise<void> {
  const { randomBytes } = await import('node:crypto');
  const block = randomBytes(4 * 1024 * 1024);
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += block.length) {
    block[0] = written & 0xff; // every block a little different
    if (!out.write(block.subarray(0, Math.min(block.length, bytes - written)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function hashBench(work: string) {
  const root = path.join(work, 'hash');
  await mkdir(root, { recursive: true });
  const bytes = Number(args['hash-gb']) * GB;
  await makeFile(path.join(root, 'big.bin'), bytes);
  const storage = createLocalStorage(root);
  const ours: number[] = [];
  const reference: number[] = [];
  // Warm the page cache once so both read from memory (24 GiB here); then alternate.
  await run('sha1sum', [path.join(root, 'big.bin')]);
  for (let i = 0; i < rounds; i++) {
    reference.push((await measure(() => run('sha1sum', [path.join(root, 'big.bin')]))).seconds);
    ours.push((await measure(() => buildTorrentInfo(storage, 'big.bin', [{ path: ['big.bin'], key: 'big.bin', length: bytes }]))).seconds);
  }
  await rm(root, { recursive: true, force: true });
  const oursMedian = median(ours);
  const referenceMedian = median(reference);
  return { bytes, fanfareSeconds: ours, sha1sumSeconds: reference, hashRatio: referenceMedian / oursMedian };
}

async function aria2(torrent: string, dir: string): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  const port = await freePort();
  const { seconds } = await measure(() =>
    run('aria2c', [`--dir=${dir}`, '--enable-dht=false', '--enable-dht6=false', '--bt-enable-lpd=false', '--enable-peer-exchange=false', `--listen-port=${port}`, '--seed-time=0', '--console-log-level=error', '--summary-interval=0', '--file-allocation=none', torrent]),
  );
  await rm(dir, { recursive: true, force: true });
  return seconds;
}

async function serveBench(work: string) {
  const bytes = Number(args['serve-gb']) * GB;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const site = await createTestSite({ env: { PUBLIC_URL: base } });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: site.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    // One bundle with one free 1 GB file, stored through the site's media storage.
    const source = path.join(work, 'bundle.bin');
    await makeFile(source, bytes);
    await new TestClient(site.app).post('/setup', setupFields());
    const [channel] = await site.deps.db.query<{ id: string }>('SELECT id FROM channels LIMIT 1');
    const channelId = channel!.id;
    const bundle = await bundles.insertBundle(site.deps.db, channelId, { slug: 'bench', title: 'Bench', description: '', published: true, unlockByEmail: true, unlockByPayment: false, currency: 'EUR', minimumAmount: 0, suggestedAmount: 0, bonusAboveAverage: false });
    await site.deps.storage.putFile('bundles/bench/big.bin', source, { move: true });
    await bundles.insertFile(site.deps.db, { bundle_id: bundle.id, access: 'free', filename: 'big.bin', content_type: 'application/octet-stream', storage_key: 'bundles/bench/big.bin', bytes, video_id: null });
    const res = await fetch(`${base}/bundles/torrents/${bundle.id}/free.torrent`);
    if (res.status !== 200) throw new Error(`torrent: ${res.status}`);
    const fanfareTorrent = path.join(work, 'fanfare.torrent');
    const served = Buffer.from(await res.arrayBuffer());
    await writeFile(fanfareTorrent, new Uint8Array(served));
    // The same info dictionary with nginx as the web seed: nginx serves <name>/<file> from a folder.
    const info = await buildTorrentInfo(site.deps.storage, 'bench', [{ path: ['big.bin'], key: 'bundles/bench/big.bin', length: bytes }]);
    const nginxRoot = path.join(work, 'nginx-root');
    await mkdir(path.join(nginxRoot, 'bench'), { recursive: true });
    await symlink(site.deps.storage.localPath!('bundles/bench/big.bin'), path.join(nginxRoot, 'bench', 'big.bin'));
    const nginxPort = await freePort();
    nginx = await startNginx({ root: nginxRoot, urlPrefix: '/seed/', port: nginxPort, workers: 1, dir: path.join(work, 'nginx') });
    const nginxTorrent = path.join(work, 'nginx.torrent');
    await writeFile(nginxTorrent, new Uint8Array(torrentFile(info.info, { webSeeds: [`http://127.0.0.1:${nginxPort}/seed/`] })));
    const ours: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < rounds; i++) {
      reference.push(await aria2(nginxTorrent, path.join(work, 'dl')));
      ours.push(await aria2(fanfareTorrent, path.join(work, 'dl')));
    }
    return { bytes, fanfareSeconds: ours, nginxSeconds: reference, serveRatio: median(reference) / median(ours), nginx: versionOf('nginx') };
  } finally {
    await nginx?.stop();
    await new Promise((resolve) => server.close(resolve));
    await site.close();
  }
}

async function main(): Promise<void> {
  ensureDebianPackages({ aria2c: 'aria2', nginx: 'nginx', sha1sum: 'coreutils' });
  const work = await mkdtemp('/tmp/fanfare-bench-torrent-');
  try {
    const hash = await hashBench(work);
    console.log(`hashing ${hash.bytes / GB} GiB: Fanfare ${median(hash.fanfareSeconds).toFixed(2)} s, sha1sum ${median(hash.sha1sumSeconds).toFixed(2)} s → ${hash.hashRatio.toFixed(2)}× (goal ≥ ${HASH_GOAL})`);
    const serveResult = await serveBench(work);
    console.log(`web seed ${serveResult.bytes / GB} GiB to aria2c: Fanfare ${median(serveResult.fanfareSeconds).toFixed(2)} s, nginx ${median(serveResult.nginxSeconds).toFixed(2)} s → ${serveResult.serveRatio.toFixed(2)}× (goal ≥ ${SERVE_GOAL})`);
    const hashScore = hash.hashRatio / HASH_GOAL;
    const serveScore = serveResult.serveRatio / SERVE_GOAL;
    // ratio: the smaller of the two, each against its own goal, expressed on the goal of the worse one.
    const worse = hashScore <= serveScore ? { ratio: hash.hashRatio, goal: HASH_GOAL } : { ratio: serveResult.serveRatio, goal: SERVE_GOAL };
    const result = {
      benchmark: 'torrent',
      ratio: Math.round(worse.ratio * 1000) / 1000,
      goal: worse.goal,
      hashRatio: Math.round(hash.hashRatio * 1000) / 1000,
      hashGoal: HASH_GOAL,
      serveRatio: Math.round(serveResult.serveRatio * 1000) / 1000,
      serveGoal: SERVE_GOAL,
      hash,
      serve: serveResult,
      machine: machineInfo(),
      date: new Date().toISOString(),
    };
    await mkdir(path.dirname(args.output!), { recursive: true });
    await writeFile(args.output!, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify({ ratio: result.ratio, goal: result.goal, hashRatio: result.hashRatio, serveRatio: result.serveRatio }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
