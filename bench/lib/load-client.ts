// The HTTP side of bench/load.ts: a browser stand-in (its own keep-alive connections and cookies) that
// records every request's kind, status and time, on node:http so nothing pools connections behind our back.
import http from 'node:http';

/** One request as the load generator saw it. */
export interface Sample {
  kind: string;
  status: number;
  /** From sending the request to the last byte of the answer. */
  ms: number;
  /** From sending the request to the first byte of the answer. */
  firstByteMs: number;
  error?: string;
}

/** Collects samples of one run; `recording` is off during warm-up. */
export class Recorder {
  readonly samples: Sample[] = [];
  recording = false;
  add(sample: Sample): void {
    if (this.recording) this.samples.push(sample);
  }
}

/** Requests give up after this long (a stuck request is an error, never a hang of the benchmark). */
const TIMEOUT_MS = 60_000;

/** A browser: up to 6 connections kept alive, a cookie jar, the CSRF token of the last page. */
export class LoadClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly base: string,
    private readonly recorder: Recorder,
  ) {}

  close(): void {
    this.agent.destroy();
  }

  async request(kind: string, path: string, options: { method?: string; form?: Record<string, string>; keepBody?: boolean } = {}): Promise<{ status: number; location?: string; body: string }> {
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    const headers: Record<string, string> = { 'accept-language': 'en', accept: 'text/html' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const started = performance.now();
    let firstByte = 0;
    return new Promise((resolve) => {
      const fail = (error: string, status = 0) => {
        const ms = performance.now() - started;
        this.recorder.add({ kind, status, ms, firstByteMs: firstByte || ms, error });
        resolve({ status, body: '' });
      };
      const req = http.request(`${this.base}${path}`, { method: options.method ?? 'GET', headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        firstByte = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (options.keepBody) chunks.push(chunk);
        });
        res.on('error', (error) => fail(error.message, res.statusCode ?? 0));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            const eq = pair.indexOf('=');
            if (/max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
            else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          const text = Buffer.concat(chunks).toString('utf8');
          const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
          if (token) this.csrf = token;
          const status = res.statusCode ?? 0;
          const ms = performance.now() - started;
          this.recorder.add({ kind, status, ms, firstByteMs: firstByte, ...(status >= 400 ? { error: `HTTP ${status}` } : {}) });
          resolve({ status, location: res.headers.location, body: text });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', (error) => fail(error.message));
      req.end(body);
    });
  }
}

/** p-th percentile (nearest rank) of `values`, or null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Errors, slow requests and percentiles per request kind, and over all. */
export function summarize(samples: Sample[]) {
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  const one = (list: Sample[]) => {
    const ms = list.map((s) => s.ms);
    const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
    return {
      requests: list.length,
      errors: list.filter((s) => s.error).length,
      slowOver5s: list.filter((s) => s.ms > 5000).length,
      p50Ms: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
      p99Ms: round(percentile(ms, 99)),
      maxMs: round(ms.length ? Math.max(...ms) : null),
      p99FirstByteMs: round(percentile(list.map((s) => s.firstByteMs), 99)),
    };
  };
  const errorExamples = [...new Set(samples.filter((s) => s.error).map((s) => `${s.kind}: ${s.error}`))].slice(0, 10);
  return { all: one(samples), byKind: Object.fromEntries(kinds.map((k) => [k, one(samples.filter((s) => s.kind === k))])), errorExamples };
}
