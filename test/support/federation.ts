// Helpers for tests that run two real Fanfare servers federating with each other.
import assert from 'node:assert/strict';
import type { RunningServer } from './server.js';

/** A signed-in browser on one real server: cookies and the CSRF token, as the tus helpers expect. */
export class Session {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new URL(pathOrUrl, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1) === '' || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  /** GETs a page with a form and keeps its CSRF token. */
  async page(pathname: string): Promise<string> {
    const html = await (await this.request(pathname)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return html;
  }

  async post(pathname: string, fields: Record<string, string>, accept = 'text/html'): Promise<Response> {
    return this.request(pathname, { method: 'POST', headers: { accept, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: this.csrf, ...fields }) });
  }
}

/** Polls `check` until it returns a value (not undefined/false), or fails with `what` after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const FEDERATION_ENV = { FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true', FEDERATION_RECONCILE_SECONDS: '1', LOG_LEVEL: 'warn' };

export async function setUpSite(server: RunningServer, handle: string, name: string): Promise<Session> {
  const session = new Session(server.url);
  await session.page('/setup');
  const res = await session.post('/setup', {
    display_name: name, email: `${handle}@example.org`, password: 'correct horse battery', channel_name: `${name}'s channel`, handle, description: `Films by ${name}.`, channel_language: 'en',
  });
  assert.equal(res.status, 303, await res.text());
  return session;
}

export async function followerCount(server: RunningServer, handle: string): Promise<number> {
  const res = await fetch(`${server.url}/ap/c/${handle}/followers`, { headers: { accept: 'application/activity+json' } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { totalItems: number }).totalItems;
}
