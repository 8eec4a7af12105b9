// Bad input, route by route (PeerTube's "check-params" idea, on `app.request`). Every case is generated
// from the route table (`mountedRoutes`) and the site's own pages, so a new capability's routes are
// covered without editing this file:
//   1. every Studio route refuses anonymous visitors, fans and the admin of another channel, and never
//      fails for the owner;
//   2. every form route (POST in the public, account and Studio areas) refuses an empty body, oversized
//      fields, wrong types and control characters with a 4xx, keeping what was typed;
//   3. every API, webhook and federation route answers malformed JSON, a wrong content type and an
//      oversized body with a 4xx in JSON;
//   4. every route with path parameters answers malformed ones (a NUL byte, an overlong or almost-id value)
//      with neither a success nor a failure.
// Nothing may answer 5xx or leak a stack trace, and a refused request may change nothing in the database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { MAX_FORM_BYTES, type MountedRoute } from '../../src/app.js';
import { AREA_POLICIES } from '../../src/core/http/areas.js';
import { TestClient } from '../support/client.js';
import { createFixture, databaseWatch, leaksInternals } from './fixture.js';
import { discoverForms, editableFields, formForRoute, isKeptText, isNumberField, type FormField, type PageForm } from './forms.js';

const f = await createFixture();
const forms = await discoverForms(f.routes, f.concretePath, (area) => (area === 'studio' ? [f.owner] : [f.fan, f.owner, f.anonymous]), f.extraPages);
after(() => f.site.close());
const watch = databaseWatch(f.site);

const SAFE = new Set(['GET', 'HEAD']);
const FORM_TYPE = 'application/x-www-form-urlencoded';
const label = (route: MountedRoute) => `${route.method} ${route.path}`;

/** Set when a request may have changed the site (it was not refused): the fixture is put back before the next. */
let dirty = false;

interface Sent {
  res: Response;
  body: string;
}

/** Every hostile request this suite sends, counted for the summary printed at the end. */
let tried = 0;
after(() => console.log(`bad-input: ${tried} hostile requests tried (a 5xx or a stack trace in any answer fails its test)`));

async function send(client: TestClient, method: string, path: string, init: { body?: string | URLSearchParams; type?: string; headers?: Record<string, string> } = {}): Promise<Sent> {
  tried++;
  const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
  if (!SAFE.has(method) && client.csrf) headers['x-csrf-token'] ??= client.csrf;
  if (init.type) headers['content-type'] = init.type;
  const res = await client.request(path, { method, body: init.body, headers });
  return { res, body: method === 'HEAD' ? '' : await res.text() };
}

/**
 * Runs a request on a fixture put back in place, and checks what every answer must satisfy: no 5xx, no
 * stack trace, and a refusal (4xx) that changed nothing in the database.
 */
async function checked(what: string, method: string, run: () => Promise<Sent>): Promise<Sent> {
  if (dirty) {
    await f.restore();
    dirty = false;
  }
  await watch.start();
  const sent = await run();
  const { status } = sent.res;
  assert.ok(status < 500, `${what}: answered ${status}\n${sent.body.slice(0, 500)}`);
  assert.ok(!leaksInternals(sent.body), `${what}: the body shows internals\n${sent.body.slice(0, 2000)}`);
  if (status >= 400) assert.deepEqual(await watch.changed(), [], `${what}: refused with ${status}, yet the database changed`);
  else if (!SAFE.has(method)) dirty = true;
  return sent;
}

// ---------------------------------------------------------------------------------------------------
// 1. The Studio: who may enter.

/**
 * A request with nothing but the CSRF token (in a Studio route, the guard must answer before any handler).
 * It carries the upload protocol's version header, so upload routes get as far as their own permission
 * check (tus refuses a request without it first); other routes ignore it.
 */
function bareRequest(client: TestClient, route: MountedRoute, path: string, extra: Record<string, string> = {}): Promise<Sent> {
  const headers = { 'tus-resumable': '1.0.0', ...extra };
  if (route.method === 'POST') return send(client, 'POST', path, { body: new URLSearchParams({ _csrf: client.csrf }), type: FORM_TYPE, headers });
  return send(client, route.method, path, { headers });
}

/** The route's path with its parameters naming nothing (fresh ids), for comparison. */
function unknownPath(route: MountedRoute): string {
  return route.path.replace(/:\w+(\{[^}]*\})?|\*/g, (_, pattern: string | undefined) => (pattern ? f.concretePath({ path: `:x${pattern}` }) : randomUUID()));
}

describe('Studio routes: who may enter', () => {
  for (const route of f.routes.filter((r) => r.area === 'studio')) {
    const page = SAFE.has(route.method) && !route.jsonErrors;
    const names = /[:*]/.test(route.path);

    it(`${label(route)} anonymously → ${page ? '303 to /login' : SAFE.has(route.method) ? '401' : '401 or 403'}`, async () => {
      const path = f.concretePath(route);
      const { res } = await checked('anonymous', route.method, () => bareRequest(f.anonymous, route, path));
      if (page) {
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), `/login?back=${encodeURIComponent(path)}`);
      } else if (SAFE.has(route.method)) {
        assert.equal(res.status, 401);
      } else {
        assert.ok([401, 403].includes(res.status), `answered ${res.status}`);
      }
    });

    it(`${label(route)} as a fan → 403`, async () => {
      const { res } = await checked('fan', route.method, () => bareRequest(f.fan, route, f.concretePath(route)));
      assert.equal(res.status, 403);
    });

    // Paths with parameters name camille's things; the others (the Studio home, a new upload) are the
    // other admin's own too, and only must not fail.
    const otherExpected = !names ? 'no 5xx' : route.method === 'OPTIONS' ? 'the same answer as for nothing' : '403 or 404';
    it(`${label(route)} as the admin of another channel → ${otherExpected}`, async () => {
      const path = f.concretePath(route);
      const { res } = await checked('other channel admin', route.method, () => bareRequest(f.otherAdmin, route, path));
      if (!names) return;
      if (route.method === 'OPTIONS') {
        // OPTIONS tells what a protocol supports, whatever the path names: it must say nothing more about camille's thing than about none.
        const none = await checked('other channel admin, nothing named', route.method, () => bareRequest(f.otherAdmin, route, unknownPath(route)));
        assert.equal(res.status, none.res.status);
        return;
      }
      if ([403, 404].includes(res.status)) return;
      // A script endpoint checks the request's shape before whose thing it names: a refusal the owner gets
      // too says nothing about camille's things (page routes must check rights first: 403 or 404).
      assert.ok(route.jsonErrors && res.status >= 400, `answered ${res.status}`);
      const owner = await checked('owner, same request', route.method, () => bareRequest(f.owner, route, path));
      assert.equal(res.status, owner.res.status, `answered ${res.status} where the owner gets ${owner.res.status}`);
    });

    it(`${label(route)} as the owner → no 5xx`, async () => {
      await checked('owner', route.method, () => bareRequest(f.owner, route, f.concretePath(route)));
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 2. Forms: bad input is refused, and what was typed is kept.

/** Field names tried on a route whose form no page shows. */
const COMMON_FIELDS: FormField[] = ['name', 'title', 'email', 'description', 'message', 'amount', 'url'].map((name) => ({ name, kind: name === 'email' ? 'email' : 'text', value: '' }));
const TEXT_KINDS = new Set(['text', 'email', 'url', 'search', 'tel', 'textarea', 'password']);
const OVERSIZED = 'x'.repeat(100 * 1024);
// Starts like a path, so fields used as one (a `back` address) get it too.
const CONTROL = '/bad\u0000value\u0007\u001b[31m\u007f';

/** A value the field accepts (as far as the page tells): what the page shows, else a recognisable marker. */
function goodValue(field: FormField): string | undefined {
  if (field.kind === 'file') return undefined;
  if (field.value !== '' || !TEXT_KINDS.has(field.kind)) return field.value;
  if (isNumberField(field)) return '1';
  const marker = `kept_${field.name.replace(/\W/g, '_').toLowerCase()}`;
  if (field.kind === 'email' || /email/i.test(field.name)) return `${marker}@example.org`;
  if (field.kind === 'password') return `${marker}_password`;
  if (field.kind === 'url' || /^(url|uri)$/i.test(field.name)) return `https://127.0.0.1/${marker}`;
  return marker;
}

interface BadCase {
  name: string;
  /** The input may well be valid (a number is valid text): accepted (303) or refused (4xx). */
  mayPass?: boolean;
  /** The fields whose value is the bad one (the others carry good values and must be kept). */
  bad: string[];
  fill(body: URLSearchParams): void;
}

function withGood(fields: FormField[], body: URLSearchParams, except: (field: FormField) => boolean): void {
  for (const field of fields) {
    if (except(field)) continue;
    const value = goodValue(field);
    if (value !== undefined) body.append(field.name, value);
  }
}

function badCases(fields: FormField[], junk: boolean): BadCase[] {
  const all = fields.map((x) => x.name);
  const cases: BadCase[] = [
    { name: 'with an empty body', bad: all, fill: () => undefined },
    { name: 'with every field oversized (100 KB)', bad: all, fill: (b) => fields.forEach((x) => b.append(x.name, OVERSIZED)) },
    { name: 'with every field sent twice (a=1&a=2)', bad: all, fill: (b) => fields.forEach((x) => (b.append(x.name, '1'), b.append(x.name, '2'))) },
  ];
  if (junk) {
    cases.push({ name: 'with control characters in every field', bad: all, fill: (b) => fields.forEach((x) => b.append(x.name, CONTROL)) });
    return cases;
  }
  const texts = fields.filter((x) => TEXT_KINDS.has(x.kind) && !isNumberField(x));
  const numbers = fields.filter(isNumberField);
  if (texts.length) {
    const bad = new Set(texts);
    cases.push({ name: 'with numbers in the text fields', mayPass: true, bad: texts.map((x) => x.name), fill: (b) => (withGood(fields, b, (x) => bad.has(x)), texts.forEach((x) => b.append(x.name, '12345'))) });
  }
  if (numbers.length) {
    const bad = new Set(numbers);
    const numbersAre = (value: string) => (b: URLSearchParams) => (withGood(fields, b, (x) => bad.has(x)), numbers.forEach((x) => b.append(x.name, value)));
    cases.push({ name: 'with text in the number fields', bad: numbers.map((x) => x.name), fill: numbersAre('not a number') });
    cases.push({ name: 'with huge numbers in the number fields (1e400, 30 nines)', bad: numbers.map((x) => x.name), fill: (b) => (withGood(fields, b, (x) => bad.has(x)), numbers.forEach((x, i) => b.append(x.name, i % 2 ? '1e400' : '9'.repeat(30)))) });
    cases.push({ name: 'with negative numbers in the number fields', mayPass: true, bad: numbers.map((x) => x.name), fill: numbersAre('-5') });
    // Arabic-Indic and full-width digits: a page may read them as numbers or refuse them, never fail.
    cases.push({ name: 'with unicode digits in the number fields (٣, ５)', mayPass: true, bad: numbers.map((x) => x.name), fill: numbersAre('٣５') });
  }
  for (const field of fields) {
    cases.push({ name: `with control characters and NUL in ${field.name}`, bad: [field.name], fill: (b) => (withGood(fields, b, (x) => x === field), b.append(field.name, CONTROL)) });
  }
  return cases;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

describe('forms: bad input is refused', () => {
  for (const route of f.routes.filter((r) => r.method === 'POST' && ['public', 'account', 'studio'].includes(r.area))) {
    const studio = AREA_POLICIES[route.area].guard === 'studio';
    const client = studio ? f.owner : f.fan;
    const form: PageForm | undefined = formForRoute(forms, route, f.concretePath(route));
    // Post where the page's form posts (it names the things the page shows: the archived tier for "unarchive").
    const path = form?.action ?? f.concretePath(route);
    // A form with nothing to fill in (delete, archive, log out) is an action: it may do it and redirect.
    const action = form !== undefined && editableFields(form).length === 0;
    const fields = form?.fields.length ? form.fields : COMMON_FIELDS;

    for (const c of badCases(fields, fields === COMMON_FIELDS)) {
      const expected = action ? 'no 5xx' : c.mayPass ? '4xx or 303' : '4xx';
      it(`${label(route)} as the ${studio ? 'owner' : 'fan'} ${c.name} → ${expected}`, async () => {
        const body = new URLSearchParams({ _csrf: client.csrf });
        c.fill(body);
        const { res, body: html } = await checked(c.name, 'POST', () => send(client, 'POST', path, { body, type: FORM_TYPE }));
        const where = res.headers.get('location') ? ` to ${res.headers.get('location')}` : '';
        if (!action && !(c.mayPass && res.status === 303)) assert.ok(res.status >= 400 && res.status < 500, `answered ${res.status}${where}`);
        if (res.status === 422 && (res.headers.get('content-type') ?? '').includes('text/html')) {
          for (const field of fields) {
            const value = goodValue(field);
            if (c.bad.includes(field.name) || !isKeptText(field) || !value) continue;
            assert.ok(html.includes(escapeHtml(value)), `the re-shown form lost ${field.name}=${JSON.stringify(value)}`);
          }
        }
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------
// 3. Machine endpoints: JSON in, JSON errors out.

const MACHINE_CASES: { name: string; body: string; type: string }[] = [
  { name: 'with malformed JSON', body: '{"type": "Follow", "actor": ', type: 'application/json' },
  { name: 'with a form body (wrong content type)', body: 'position=1&type=Follow', type: FORM_TYPE },
  { name: 'with plain text (wrong content type)', body: 'hello', type: 'text/plain' },
  { name: `with a body over the size limit (${MAX_FORM_BYTES + 1} bytes)`, body: `{"a":"${'x'.repeat(MAX_FORM_BYTES - 7)}"}`, type: 'application/json' },
];

describe('API, webhook and federation routes: bad bodies get JSON errors', () => {
  for (const route of f.routes.filter((r) => ['api', 'webhook', 'federation'].includes(r.area) && !SAFE.has(r.method))) {
    // The site's own scripts call the API signed in; providers and other servers come without cookies.
    const client = route.area === 'api' ? f.fan : new TestClient(f.site.app);
    for (const c of MACHINE_CASES) {
      it(`${label(route)} ${c.name} → 4xx JSON`, async () => {
        const { res, body } = await checked(c.name, route.method, () => send(client, route.method, f.concretePath(route), { body: c.body, type: c.type, headers: { accept: 'application/json' } }));
        assert.ok(res.status >= 400 && res.status < 500, `answered ${res.status}`);
        assert.match(res.headers.get('content-type') ?? '', /json/, `answered ${res.headers.get('content-type')}: ${body.slice(0, 200)}`);
        const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
        assert.equal(typeof parsed.error?.code, 'string', body);
        assert.equal(typeof parsed.error?.message, 'string', body);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------
// 4. Path parameters that cannot name anything.

const MALFORMED: [string, string][] = [
  ['36 dashes', '-'.repeat(36)],
  ['a NUL byte', '%00'],
  ['300 characters', 'a'.repeat(300)],
];

describe('path parameters: malformed values name nothing', () => {
  for (const route of f.routes.filter((r) => /[:*]/.test(r.path) && r.method !== 'OPTIONS')) {
    const client = route.area === 'studio' ? f.owner : ['federation', 'webhook', 'feed', 'media'].includes(route.area) ? new TestClient(f.site.app) : f.fan;
    // Other servers ask the federation routes for ActivityPub JSON.
    const accept: Record<string, string> = route.area === 'federation' ? { accept: 'application/activity+json' } : {};
    it(`${label(route)} with malformed parameters (${MALFORMED.map(([what]) => what).join(', ')}) → no 2xx, no 5xx`, async () => {
      for (const [what, bad] of MALFORMED) {
        // A choice between fixed words (`{approve|reject}`) keeps its first word; every other parameter is bad.
        const path = route.path.replace(/:\w+(\{[^}]*\})?|\*/g, (whole, pattern: string | undefined) =>
          pattern && /^\{[\w-]+(\|[\w-]+)*\}$/.test(pattern) ? f.concretePath({ path: whole }) : bad,
        );
        const { res } = await checked(what, route.method, () => bareRequest(client, route, path, accept));
        assert.ok(res.status >= 300, `${path.slice(0, 80)}: answered ${res.status}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 5. The address itself: hostile query strings and over-long paths on every route that reads one.

const HOSTILE_QUERIES: [string, string][] = [
  ['NUL and other controls in the usual parameters', '?q=a%00b&page=1%0b&back=/%09/evil.example&notice=%1b[31m&token=%00'],
  ['unicode digits and huge numbers', `?page=%D9%A3%EF%BC%95&q=x&month=2026-%D9%A1%D9%A2&maxwidth=${'9'.repeat(40)}&page=1e400`],
  ['a 5,000-character value', `?q=${'x'.repeat(5000)}`],
  ['malformed escapes', '?q=%E0%A4%A&back=%'],
];

describe('every route: hostile query strings and over-long paths', () => {
  for (const route of f.routes.filter((r) => r.method === 'GET')) {
    const client = route.area === 'studio' ? f.owner : ['federation', 'webhook', 'feed', 'media'].includes(route.area) ? new TestClient(f.site.app) : f.fan;
    it(`${label(route)} with ${HOSTILE_QUERIES.map(([what]) => what).join(', ')} → no 5xx`, async () => {
      for (const [what, query] of HOSTILE_QUERIES) {
        const { res } = await checked(what, 'GET', () => send(client, 'GET', `${f.concretePath(route)}${query}`));
        if (/%00|%0b|%09|%1b/.test(query)) assert.equal(res.status, 400, `${what}: answered ${res.status}`);
      }
    });
    if (!/[:*]/.test(route.path)) continue;
    it(`${label(route)} with every parameter 5,000 characters long → 404, no 5xx`, async () => {
      const path = route.path.replace(/:\w+(\{[^}]*\})?|\*/g, () => 'a'.repeat(5000));
      const { res } = await checked('over-long path', 'GET', () => send(client, 'GET', path));
      assert.equal(res.status, 404);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 6. JSON bodies with escaped control characters (`\u0000` gets past byte-level checks).

describe('API, webhook and federation routes: escaped NUL in JSON', () => {
  for (const route of f.routes.filter((r) => ['api', 'webhook', 'federation'].includes(r.area) && !SAFE.has(r.method))) {
    const client = route.area === 'api' ? f.fan : new TestClient(f.site.app);
    it(`${label(route)} with \\u0000 in every string → no 5xx`, async () => {
      const body = JSON.stringify({ type: 'Follow\u0000', id: 'x\u0000', actor: 'https://a.example/\u0000', position: 1, data: { object: { id: '\u0000' } } });
      await checked('escaped NUL in JSON', route.method, () => send(client, route.method, f.concretePath(route), { body, type: 'application/json', headers: { accept: 'application/json' } }));
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 7. The same form sent twice at once (a double click, two tabs): neither copy fails.

describe('forms: duplicate and concurrent submissions', () => {
  for (const route of f.routes.filter((r) => r.method === 'POST' && ['public', 'account', 'studio'].includes(r.area))) {
    const studio = AREA_POLICIES[route.area].guard === 'studio';
    const client = studio ? f.owner : f.fan;
    const form = formForRoute(forms, route, f.concretePath(route));
    if (!form) continue;
    it(`${label(route)} sent 3 times at once with the page's values → no 5xx, no stack trace`, async () => {
      if (dirty) await f.restore();
      dirty = true;
      const body = new URLSearchParams({ _csrf: client.csrf });
      withGood(form.fields, body, () => false);
      const answers = await Promise.all([0, 1, 2].map(() => send(client, 'POST', form.action, { body: new URLSearchParams(body), type: FORM_TYPE })));
      for (const { res, body: html } of answers) {
        assert.ok(res.status < 500, `answered ${res.status}\n${html.slice(0, 300)}`);
        assert.ok(!leaksInternals(html), html.slice(0, 1000));
      }
    });
  }
});
