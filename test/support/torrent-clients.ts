// Test helper (not shipped code): Debian's aria2c and transmission-cli, run against torrents served by a
// test site, with everything that would reach the Internet switched off (DHT, local peer discovery, peer
// exchange, port mapping): the web seed, and the loopback tracker when a test gives one, are their only sources.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Skips (by throwing a clear error) when a client is missing: `bash scripts/ensure-system-packages.sh aria2 transmission-cli`. */
export function requireTorrentClients(): void {
  for (const bin of ['aria2c', 'transmission-cli']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) throw new Error(`${bin} is missing: run bash scripts/ensure-system-packages.sh aria2 transmission-cli`);
  }
}

/** SHA-256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface ClientRun {
  code: number | null;
  output: string;
}

function run(bin: string, args: string[], options: { timeoutMs: number; until?: () => boolean; env?: NodeJS.ProcessEnv }): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // Asked to stop, a client says goodbye to the tracker first; aria2c can wait on that for minutes
    // (its graceful shutdown), so a client still there 3 s after SIGTERM is killed.
    let askedAt: number | undefined;
    const poll = options.until
      ? setInterval(() => {
          if (askedAt !== undefined) {
            if (Date.now() - askedAt > 3_000) child.kill('SIGKILL');
          } else if (options.until!()) {
            askedAt = Date.now();
            child.kill('SIGTERM');
          }
        }, 200)
      : undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, output });
    });
  });
}

/**
 * aria2c downloads `torrent` into `dir` and exits when done (no seeding). `listenPort` is its BitTorrent
 * port; `seedSeconds` keeps it seeding that long after finishing (for the swarm test).
 */
export function aria2Download(torrent: string, dir: string, options: { listenPort: number; seedSeconds?: number; timeoutMs?: number; until?: () => boolean }): Promise<ClientRun> {
  return run(
    'aria2c',
    [
      `--dir=${dir}`,
      '--enable-dht=false',
      '--enable-dht6=false',
      '--bt-enable-lpd=false',
      '--enable-peer-exchange=false',
      `--listen-port=${options.listenPort}`,
      `--seed-time=${(options.seedSeconds ?? 0) / 60}`,
      '--seed-ratio=0.0',
      '--bt-stop-timeout=120',
      '--check-certificate=false',
      '--console-log-level=warn',
      '--summary-interval=0',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      torrent,
    ],
    { timeoutMs: options.timeoutMs ?? 120_000, until: options.until },
  );
}

/**
 * transmission-cli downloads `torrent` into `dir`. It never exits by itself (it seeds), so a finish script
 * writes a marker file and the run is stopped once the marker appears (or at the timeout).
 */
export function transmissionDownload(torrent: string, dir: string, options: { peerPort: number; timeoutMs?: number; keepSeedingMs?: number }): Promise<ClientRun> {
  const config = path.join(dir, '.transmission');
  mkdirSync(config, { recursive: true });
  writeFileSync(
    path.join(config, 'settings.json'),
    JSON.stringify({ 'dht-enabled': false, 'lpd-enabled': false, 'pex-enabled': false, 'port-forwarding-enabled': false, 'utp-enabled': false, 'peer-port': options.peerPort, 'rpc-enabled': false }),
  );
  const marker = path.join(config, 'finished');
  const script = path.join(config, 'finished.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
  let finishedAt: number | undefined;
  return run('transmission-cli', ['-g', config, '-w', dir, '-p', String(options.peerPort), '-M', '-f', script, torrent], {
    timeoutMs: options.timeoutMs ?? 120_000,
    until: () => {
      if (!existsSync(marker)) return false;
      finishedAt ??= Date.now();
      return Date.now() - finishedAt >= (options.keepSeedingMs ?? 0);
    },
  });
}

/** Where the bencoded value starting at `at` ends (exclusive). */
function valueEnd(bytes: Buffer, at: number): number {
  const c = String.fromCharCode(bytes[at]!);
  if (c === 'i') return bytes.indexOf('e', at) + 1;
  if (c === 'l' || c === 'd') {
    let p = at + 1;
    while (bytes[p] !== 0x65) p = valueEnd(bytes, p);
    return p + 1;
  }
  const colon = bytes.indexOf(':', at);
  return colon + 1 + Number(bytes.subarray(at, colon).toString());
}

/** The v1 info hash of a .torrent file: SHA-1 of its info dictionary's exact bytes. */
export function infoHashOf(torrent: Buffer): string {
  return createHash('sha1').update(infoBytesOf(torrent)).digest('hex');
}

/** The exact bytes of a .torrent's info dictionary (to write another .torrent of the same swarm). */
export function infoBytesOf(torrent: Buffer): Buffer {
  let p = 1;
  while (torrent[p] !== 0x65) {
    const keyEnd = valueEnd(torrent, p);
    const key = torrent.subarray(torrent.indexOf(':', p) + 1, keyEnd).toString();
    const end = valueEnd(torrent, keyEnd);
    if (key === 'info') return torrent.subarray(keyEnd, end);
    p = end;
  }
  throw new Error('no info dictionary');
}
