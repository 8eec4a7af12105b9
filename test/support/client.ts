import type { Hono } from 'hono';

type Fetchable = Pick<Hono<any>, 'request'>;

/**
 * A browser stand-in for route tests: keeps cookies, finds the CSRF token in pages, posts forms.
 * Requests go through `app.request`, the real app with every middleware.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  private readonly defaults: Record<string, string>;

  /** Each client gets its own address (test sites trust X-Forwarded-For), as separate browsers would. */
  constructor(
    private readonly app: Fetchable,
    defaults: Record<string, string> = {},
  ) {
    this.defaults = { 'x-forwarded-for': `192.0.2.${++TestClient.seq % 250}`, ...defaults };
  }
  private static seq = 0;

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
      // A new session or CSRF nonce (login, logout) voids the token, as in a browser: fetch it again.
      if (/ff_(csrf|session)$/.test(name)) this.csrf = '';
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.defaults)) if (!headers.has(k)) headers.set(k, v);
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(path, { ...init, headers });
    this.remember(res);
    return res;
  }

  /** GET a page and remember the CSRF token it carries. */
  async get(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; html: string }> {
    const res = await this.request(path, { headers });
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { res, html };
  }

  /** Any page with a form carries the token: the login page once set up, the setup page before. */
  async loadCsrf(): Promise<void> {
    await this.get('/login');
    if (!this.csrf) await this.get('/setup');
    if (!this.csrf) throw new Error('no CSRF token found on /login or /setup');
  }

  /** POST a urlencoded form with the CSRF token (fetching a page first if none is known yet). */
  async post(path: string, fields: Record<string, string>, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    if (options.csrf !== false && !this.csrf) await this.loadCsrf();
    const body = new URLSearchParams(options.csrf === false ? fields : { _csrf: this.csrf, ...fields });
    const res = await this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    });
    return { res, html: await res.text() };
  }

  /** POST multipart form data (file uploads). */
  async postMultipart(path: string, form: FormData, options: { csrf?: boolean } = {}) {
    if (options.csrf !== false) {
      if (!this.csrf) await this.loadCsrf();
      form.set('_csrf', this.csrf);
    }
    const res = await this.request(path, { method: 'POST', body: form });
    return { res, html: await res.text() };
  }
}

/** Fields of a valid first-run setup form. */
export function setupFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    display_name: 'Camille',
    email: 'camille@example.org',
    password: 'correct horse battery',
    channel_name: 'Camille fait des films',
    handle: 'camille',
    description: 'Des courts métrages.\n\nEt des making-of.',
    channel_language: 'fr',
    ...overrides,
  };
}
