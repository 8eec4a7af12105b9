import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/server.js';

/** Generous: tsx compiles the whole app on each start, which takes a while on a busy machine. */
const EXIT_TIMEOUT_MS = 120_000;

const INIT_ARGS = ['init', '--email', 'owner@example.org', '--name', 'Owner', '--channel-name', 'Films', '--handle', 'films', '--language', 'en'];

/** What a process printed and how it ended. */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point (through tsx, as npm start does) with the machine's environment plus `env`, in a fresh DATA_DIR. */
function run(entry: string, args: string[], env: Record<string, string>, dataDir: string): Promise<Run> {
  const full: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env };
  // The embedded engine, so that "no database" means "no DATA_DIR/db".
  delete full.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: REPO_ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // A process that starts anyway would run until killed: fail the case instead of hanging.
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const STRIPE = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
const BTCPAY = { BTCPAY_URL: 'https://pay.example.org', BTCPAY_API_KEY: 'key', BTCPAY_STORE_ID: 'STORE', BTCPAY_WEBHOOK_SECRET: 'secret' };

/** [bad environment, the variable stderr must name] */
const CASES: Array<[Record<string, string>, string]> = [
  [{ PORT: 'abc' }, 'PORT'],
  [{ FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'maybe' }, 'FEDERATION_ALLOW_PRIVATE_ADDRESSES'],
  [{ FEDERATION_RECONCILE_SECONDS: 'abc' }, 'FEDERATION_RECONCILE_SECONDS'],
  [{ ...STRIPE, STRIPE_SECRET_KEY: 'bad' }, 'STRIPE_SECRET_KEY'],
  [{ STRIPE_SECRET_KEY: STRIPE.STRIPE_SECRET_KEY }, 'STRIPE_WEBHOOK_SECRET'],
  [{ ...BTCPAY, BTCPAY_URL: 'not-a-url' }, 'BTCPAY_URL'],
  [{ PAYMENTS_TEST_PROVIDER: 'maybe' }, 'PAYMENTS_TEST_PROVIDER'],
  [{ FFMPEG_PATH: '/usr/bin/ffmpeg' }, 'FFPROBE_PATH'],
];

describe('an invalid setting stops the start before the database is opened', { concurrency: 2 }, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const check = async (entry: string, args: string[], env: Record<string, string>, variable: string) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fanfare-config-start-'));
    dirs.push(dataDir);
    const { code, stdout, stderr } = await run(entry, args, env, dataDir);
    const output = `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    assert.notEqual(code, 0, output);
    assert.notEqual(code, null, `still running after ${EXIT_TIMEOUT_MS / 1000} s (it started anyway?), killed\n${output}`);
    assert.match(stderr, /^Invalid configuration: /, output);
    assert.ok(stderr.includes(variable), `stderr names ${variable}\n${output}`);
    assert.doesNotMatch(stderr, /\n {4}at /, `no stack trace\n${output}`);
    assert.equal(existsSync(path.join(dataDir, 'db')), false, `no database was created (DATA_DIR holds: ${readdirSync(dataDir).join(', ') || 'nothing'})`);
  };

  for (const [env, variable] of CASES) {
    it(`npm start with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} names ${variable}`, () => check('src/main.ts', [], env, variable));
  }

  it('npm run worker with FEDERATION_RECONCILE_SECONDS=abc names it', () => check('src/worker.ts', [], { FEDERATION_RECONCILE_SECONDS: 'abc' }, 'FEDERATION_RECONCILE_SECONDS'));

  it('fanfare init with BTCPAY_URL=not-a-url names it', () => check('src/cli.ts', INIT_ARGS, { ...BTCPAY, BTCPAY_URL: 'not-a-url' }, 'BTCPAY_URL'));
});
