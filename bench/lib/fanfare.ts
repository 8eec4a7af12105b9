import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild } from './nginx.js';
import { waitForHttp } from './processes.js';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/**
 * Starts a real Fanfare (src/main.ts through tsx, its job worker on) on 127.0.0.1:`port` over `dataDir`,
 * on PGlite or the PostgreSQL at `databaseUrl`, and waits until /healthz answers.
 */
export async function startFanfare(dataDir: string, port: number, databaseUrl?: string): Promise<ChildProcess> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    // Starting PGlite (compiling its WebAssembly) takes seconds, minutes on a machine this busy.
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 300_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return child;
}
