import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root: the real server is started from here, as `npm start` would. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// A cold start (tsx compiling every module) can take minutes on a loaded 2-core machine: TEST_SERVER_READY_SECONDS.
const READY_TIMEOUT_MS = Number(process.env.TEST_SERVER_READY_SECONDS ?? 240) * 1000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Where one site keeps its state: a data folder and, when DATABASE_URL is set (npm run
 * test:postgres), a fresh database of its own on that server. Servers started on the same
 * `ServerData` see the same site, which is how a restart is tested.
 */
export interface ServerData {
  dataDir: string;
  /** The site's own database on the PostgreSQL server; undefined on the embedded engine. */
  databaseUrl?: string;
  /** Drops the database and deletes the data folder. Stop every server using it first. */
  remove(): Promise<void>;
}

/** A fresh data folder, plus a fresh PostgreSQL database when DATABASE_URL is set. */
export async function createServerData(): Promise<ServerData> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fanfare-e2e-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { dataDir, remove: async () => removeDir() };

  // Two spawned servers pointed at DATABASE_URL would share one site; each gets its own database.
  const name = `fanfare_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: dbUrl.toString(),
    async remove() {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A port nobody listens on right now (the OS picks it; released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface StartServerOptions {
  /** The site's state; a fresh one (removed by `close()`) when omitted. */
  data?: ServerData;
  /** Extra environment for the server; wins over the defaults set here (e.g. `{ PORT: 'abc' }`). */
  env?: Record<string, string>;
  /** Wait until /healthz answers (default). Turn off to watch a server that should fail to start. */
  waitUntilReady?: boolean;
  /**
   * PUBLIC_URL's host (same port) when it should not be the 127.0.0.1 the server listens on, e.g. 'localhost':
   * a site reached under another address than its own. `url` stays the 127.0.0.1 one.
   */
  publicHost?: string;
}

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  dataDir: string;
  data: ServerData;
  child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far, interleaved in arrival order. */
  output(): string;
  /** Resolves when a line of output matches `pattern` (already written or still to come). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the process has ended (null if killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code; SIGKILLs after 20 s. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the server if it still runs, then removes its data if this helper created it. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A failed assertion must not leave servers behind holding ports and databases.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the real server (`src/main.ts` through tsx, as `npm start` does) as a child process on a
 * free port of 127.0.0.1, and waits until /healthz answers. With DATABASE_URL set the server runs on
 * PostgreSQL, in a database of its own. On a start-up failure the error shows the server's output.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  try {
    return await startServerOnce(options);
  } catch (error) {
    // A native crash of the runtime itself while starting (once in CI: glibc's "corrupted size vs.
    // prev_size" abort before the first log line, never seen again on the same code) is not what a test
    // is about: it is said loudly in the test output and the start is tried once more. Any other failure
    // to start, and a second crash, fail the test.
    if (!(error instanceof NativeCrashAtStart)) throw error;
    process.stderr.write(`\n[test/support/server] ${error.message}\n[test/support/server] starting the server once more\n`);
    return startServerOnce(options);
  }
}

const NATIVE_CRASH_SIGNALS = new Set(['SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL']);

class NativeCrashAtStart extends Error {}

async function startServerOnce(options: StartServerOptions): Promise<RunningServer> {
  const ownsData = !options.data;
  const data = options.data ?? (await createServerData());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    // The browser visits 127.0.0.1: links in e-mails must point there too, or cookies would not match.
    PUBLIC_URL: options.publicHost ? `http://${options.publicHost}:${port}` : url,
    DATA_DIR: data.dataDir,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  // The site's own database, never the shared server's default one.
  if (!options.env?.DATABASE_URL) {
    delete env.DATABASE_URL;
    if (data.databaseUrl) env.DATABASE_URL = data.databaseUrl;
  }

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let captured = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    captured += chunk.toString('utf8');
    for (const check of watchers) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      running.delete(child);
      for (const check of watchers) check();
      resolve(code);
    });
  });

  const waitForOutput = (pattern: RegExp, timeoutMs = READY_TIMEOUT_MS) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`server output never matched ${pattern}; it was:\n${captured}`)), timeoutMs);
      const check = () => {
        if (pattern.test(captured)) finish();
        else if (exitCode !== undefined) finish(new Error(`server exited (${exitCode}) before its output matched ${pattern}; it was:\n${captured}`));
      };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        watchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      watchers.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exitCode !== undefined) return exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const server: RunningServer = {
    url,
    dataDir: data.dataDir,
    data,
    child,
    output: () => captured,
    waitForOutput,
    exited,
    stop,
    async close() {
      await stop();
      if (ownsData) await data.remove();
    },
  };
  if (options.waitUntilReady === false) return server;
  try {
    await waitUntilHealthy(url, () => exitCode !== undefined);
  } catch (error) {
    await server.close();
    const message = `${(error as Error).message}\n--- server output ---\n${captured}`;
    if (child.signalCode && NATIVE_CRASH_SIGNALS.has(child.signalCode)) throw new NativeCrashAtStart(`the server died of ${child.signalCode} while starting: ${message}`);
    throw new Error(message);
  }
  return server;
}

async function waitUntilHealthy(url: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the server exited before answering /healthz');
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer ${url}/healthz within ${READY_TIMEOUT_MS / 1000} s`);
}
