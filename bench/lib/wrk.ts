import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One wrk run: where, how hard, for how long, and which paths to cycle through. */
export interface WrkOptions {
  baseUrl: string;
  paths: string[];
  threads: number;
  connections: number;
  durationSeconds: number;
  /** Folder for the generated Lua script. */
  dir: string;
  /** Run wrk on this CPU only (taskset), to keep it off the server's core. */
  cpu?: string;
  /** Headers sent with every request (a session cookie). */
  headers?: Record<string, string>;
  /** wrk's per-request timeout (its default is 2 s, which a busy machine serving large files exceeds). */
  timeoutSeconds?: number;
}

/** What wrk measured: totals, rates and latency, plus any errors (a fair run has none). */
export interface WrkResult {
  requests: number;
  bytes: number;
  seconds: number;
  requestsPerSecond: number;
  bytesPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number };
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

// Cycles through the paths on every connection and prints the summary as one JSON line, so nothing
// depends on parsing wrk's human-readable units.
const script = (paths: string[], headers: Record<string, string> = {}) => `
local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local headers = { ${Object.entries(headers).map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join(', ')} }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
done = function(s, latency, requests)
  io.write(string.format('WRK_JSON {"requests":%d,"bytes":%d,"duration_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p99":%d,"mean":%.1f}}\\n',
    s.requests, s.bytes, s.duration, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,
    s.errors.timeout, latency:percentile(50), latency:percentile(99), latency.mean))
end
`;

/** Runs wrk once and returns its measurements. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const scriptPath = path.join(options.dir, `wrk-${process.pid}.lua`);
  await writeFile(scriptPath, script(options.paths, options.headers));
  const args = ['-t', String(options.threads), '-c', String(options.connections), '-d', `${options.durationSeconds}s`, '-s', scriptPath, ...(options.timeoutSeconds ? ['--timeout', `${options.timeoutSeconds}s`] : []), options.baseUrl];
  const output = await new Promise<string>((resolve, reject) => {
    const child = options.cpu === undefined ? spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn('taskset', ['-c', options.cpu, 'wrk', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}: ${out}`))));
  });
  const line = output.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`no summary in wrk output: ${output}`);
  const raw = JSON.parse(line.slice('WRK_JSON '.length));
  const seconds = raw.duration_us / 1e6;
  return {
    requests: raw.requests,
    bytes: raw.bytes,
    seconds,
    requestsPerSecond: raw.requests / seconds,
    bytesPerSecond: raw.bytes / seconds,
    latencyMs: { p50: raw.latency_us.p50 / 1000, p99: raw.latency_us.p99 / 1000, mean: raw.latency_us.mean / 1000 },
    errors: raw.errors,
  };
}
