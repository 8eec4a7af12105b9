// A throwaway PostgreSQL server for a benchmark, started the way scripts/test-postgres.sh starts one:
// Debian's postgresql package, a fresh cluster in a temporary folder, a free loopback port, removed after.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes.js';

/** A running throwaway server: its connection string, and a way to stop and remove it. */
export interface ThrowawayPostgres {
  url: string;
  version: string;
  stop(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    execFileSync('bash', [path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'scripts', 'ensure-system-packages.sh'), 'postgresql'], { stdio: 'inherit' });
    return postgresBin();
  }
  versions.sort((a, b) => Number(a) - Number(b));
  return path.join(root, versions.at(-1)!, 'bin');
}

/** Starts a server on 127.0.0.1 with durability off (fsync, synchronous_commit), as the test script does. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const work = mkdtempSync(path.join(os.tmpdir(), 'fanfare-bench-pg-'));
  // PostgreSQL refuses to run as root: use the postgres system user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    if (spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0) execFileSync('useradd', ['--system', '--home-dir', '/var/lib/postgresql', 'postgres']);
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(work, uid, -1);
  }
  const run = (command: string, args: string[]) => execFileSync(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const data = path.join(work, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'fanfare', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const options = `-p ${port} -k ${work} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(work, 'server.log'), '-w', '-o', options, 'start']);
  const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim().split(' ').at(-1)!;
  return {
    url: `postgres://fanfare@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}
