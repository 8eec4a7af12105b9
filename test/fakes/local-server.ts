import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a fake API sees it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What a fake API answers: a status, a JSON body, extra headers. */
export interface FakeResponse {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

/** A fake API on 127.0.0.1 for tests; `requests` keeps everything it was sent. */
export interface LocalServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on the loopback interface, on a free port, answering with `handle`. Nothing
 * else is reachable from tests: fakes of Stripe and BTCPay Server are built on this.
 */
export async function startLocalServer(handle: (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      Promise.resolve()
        .then(() => handle(request))
        .catch((error: unknown): FakeResponse => ({ status: 500, json: { error: { message: String(error) } } }))
        .then((answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Reads a body the way Stripe's API does: `a[b][0][c]=1` becomes `{ a: { b: { 0: { c: '1' } } } }`.
 * Values stay strings, as on the wire.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}
