// A throwaway PostgreSQL for benchmarks (like scripts/test-postgres.sh) and a fresh database on it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './processes.js';

export interface Server {
  url: string;
  settings: string;
  stop(): void;
}

/** A throwaway PostgreSQL on a free port (as the postgres user when root), removed by stop(). */
export async function startServer(durable = process.env.BENCH_DURABLE === '1'): Promise<Server> {
  execFileSync('bash', [path.join(import.meta.dirname, '..', '..', 'scripts', 'ensure-system-packages.sh'), 'postgresql'], { stdio: 'inherit' });
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`;
  const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-bench-pg-'));
  const runAs: string[] = [];
  if (process.getuid?.() === 0) {
    if (spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0) execFileSync('useradd', ['--system', '--home-dir', '/var/lib/postgresql', 'postgres']);
    execFileSync('chown', ['postgres', dir]);
    chmodSync(dir, 0o700);
    runAs.push('runuser', '-u', 'postgres', '--');
  }
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = [...runAs, `${bin}/${cmd}`, ...args];
    execFileSync(file!, rest, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const port = await freePort();
  const durability = durable ? '' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ${durability}`.trim();
  run('initdb', ['-D', `${dir}/data`, '-U', 'fanfare', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-o', settings, 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', `${dir}/data`, '-m', 'immediate', 'stop']);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgres://fanfare@127.0.0.1:${port}/postgres`, settings: durability || 'fsync=on, synchronous_commit=on', stop };
}

/** A fresh database on the server at `url`, dropped by the returned function. */
export async function freshDatabase(url: string, suffix = ''): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fanfare_bench_${process.pid}${suffix}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

