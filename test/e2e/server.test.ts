import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { createServerData, startServer, type RunningServer, type ServerData } from '../support/server.js';

/** Keeps cookies between fetches to one server, the way a browser would (names and values only). */
class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.header());
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GETs a page with a form and returns the CSRF token it carries (the cookie lands in the jar). */
  async csrfToken(url: string): Promise<string> {
    const html = await (await this.fetch(url)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(token, `no CSRF token on ${url}`);
    return token;
  }
}

const OWNER = {
  display_name: 'Camille',
  email: 'camille@example.org',
  password: 'correct horse battery',
  channel_name: 'Camille fait des films',
  handle: 'camille',
  description: 'Des courts métrages.',
  channel_language: 'fr',
};

describe('the real server process', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const start = async (data?: ServerData): Promise<RunningServer> => {
    const server = await startServer({ data });
    cleanups.push(() => server.close());
    return server;
  };

  it('answers /healthz with 200 and a JSON status', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { status: string; database: string };
    assert.match(body.status, /^(ok|low_disk)$/, 'low_disk only on a machine short of space');
    assert.equal(body.database, process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('keeps the site and the signed-in session across a SIGTERM restart', async () => {
    const data = await createServerData();
    cleanups.push(() => data.remove());
    const first = await start(data);
    const jar = new CookieJar();
    const csrf = await jar.csrfToken(`${first.url}/setup`);
    const setup = await jar.fetch(`${first.url}/setup`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, ...OWNER }) });
    assert.equal(setup.status, 303, await setup.text());
    assert.equal(setup.headers.get('location'), '/studio?notice=setup_done');
    assert.ok(jar.cookies.has('ff_session'), 'setup logs the owner in');
    assert.equal((await jar.fetch(`${first.url}/studio`)).status, 200);

    assert.equal(await first.stop('SIGTERM'), 0);
    assert.match(first.output(), /"msg":"stopped cleanly"/);

    const second = await start(data);
    const studio = await jar.fetch(`${second.url}/studio`);
    assert.equal(studio.status, 200, 'the same session cookie still opens the Studio');
    assert.match(await studio.text(), /Camille fait des films/);
    const setupAgain = await jar.fetch(`${second.url}/setup`);
    assert.equal(setupAgain.status, 409, 'the site is still set up');
  });

  it('finishes a request that is in flight when SIGTERM arrives, then exits 0', async () => {
    const server = await start();
    const jar = new CookieJar();
    const csrf = await jar.csrfToken(`${server.url}/setup`);
    const body = new URLSearchParams({ _csrf: csrf, lang: 'fr', back: '/setup' }).toString();

    // Deterministic in-flight request, no timing involved: the client sends only the headers, with
    // "Expect: 100-continue". Node answers "100 Continue" in the same step as it hands the request
    // to the app, so once the client sees it the request is being handled (its handler waits for
    // the body). SIGTERM is sent then, the body only after the server has logged that it is
    // shutting down; the response must still come back whole before the process exits.
    const req = http.request(`${server.url}/language`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        expect: '100-continue',
        cookie: jar.header(),
      },
    });
    const continued = once(req, 'continue');
    const responded = once(req, 'response') as Promise<[http.IncomingMessage]>;
    req.flushHeaders();
    await continued;

    const exitCode = server.stop('SIGTERM');
    await server.waitForOutput(/shutting down: finishing in-flight requests/);
    req.end(body);
    const [res] = await responded;
    let text = '';
    for await (const chunk of res) text += String(chunk);

    assert.equal(res.statusCode, 303, text);
    assert.equal(res.headers.location, '/setup');
    assert.ok(
      (res.headers['set-cookie'] ?? []).some((c) => c.startsWith('ff_lang=fr')),
      'the request was handled in full: the language cookie is set',
    );
    assert.equal(await exitCode, 0);
    assert.match(server.output(), /"path":"\/language","status":303/);
    assert.match(server.output(), /"msg":"stopped cleanly"/);
  });

  it('refuses to start with an invalid PORT, naming it, with no stack trace', async () => {
    const server = await startServer({ env: { PORT: 'abc' }, waitUntilReady: false });
    cleanups.push(() => server.close());
    const code = await server.exited;
    assert.notEqual(code, 0);
    assert.match(server.output(), /Invalid configuration: PORT/);
    assert.doesNotMatch(server.output(), /^\s+at /m, 'no stack trace');
  });
});
