import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assertFetchableUrl, createDocumentLoader, isPublicAddress, limitedFetch, RemoteFetchError } from './remote-fetch.js';

describe('requests to other servers', () => {
  let server: Server;
  let origin: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'application/activity+json' }).end('x'.repeat(5000));
      if (req.url === '/chunked-big') {
        res.writeHead(200, { 'content-type': 'application/activity+json' });
        res.write('x'.repeat(3000));
        return void res.end('x'.repeat(3000));
      }
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('{}'), 2000);
      if (req.url?.startsWith('/redirect-to?')) return void res.writeHead(302, { location: new URL(req.url, 'http://x').searchParams.get('to')! }).end();
      if (req.url === '/redirect-private') return void res.writeHead(302, { location: 'http://10.0.0.1/actor' }).end();
      if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="alternate" type="application/activity+json" href="/actor"></head></html>');
      if (req.url === '/actor') return void res.writeHead(200, { 'content-type': 'application/activity+json' }).end('{"id":"x","type":"Person"}');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  const limits = { allowPrivateAddress: true, timeoutMs: 500, maxBytes: 4096, userAgent: 'test' };

  it('tells public addresses from loopback, private, link-local and reserved ones', () => {
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:5db8:d822']) assert.ok(isPublicAddress(a), a);
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a00:1', 'not-an-ip']) {
      assert.ok(!isPublicAddress(a), a);
    }
  });

  it('refuses loopback and private addresses unless allowed, and non-http URLs always', async () => {
    for (const url of ['http://127.0.0.1/x', 'http://localhost/x', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest/meta-data']) {
      await assert.rejects(assertFetchableUrl(url, false), (e: RemoteFetchError) => e.reason === 'private_address', url);
    }
    await assert.rejects(assertFetchableUrl('file:///etc/passwd', true), (e: RemoteFetchError) => e.reason === 'bad_url');
    await assertFetchableUrl('http://127.0.0.1/x', true);
  });

  it('refuses a redirect to a private address', async () => {
    const strict = { ...limits, allowPrivateAddress: false };
    await assert.rejects(limitedFetch(`${origin}/redirect-private`, {}, strict), (e: RemoteFetchError) => e.reason === 'private_address');
  });

  it('cuts bodies over the limit, declared or streamed', async () => {
    // A generous time limit here: on a loaded machine 500 ms can pass before the body is read.
    const patient = { ...limits, timeoutMs: 10_000 };
    await assert.rejects(limitedFetch(`${origin}/big`, {}, patient), (e: RemoteFetchError) => e.reason === 'too_large');
    await assert.rejects(limitedFetch(`${origin}/chunked-big`, {}, patient), (e: RemoteFetchError) => e.reason === 'too_large');
  });

  it('gives up on a server that does not answer in time', async () => {
    const started = Date.now();
    await assert.rejects(limitedFetch(`${origin}/slow`, {}, limits), (e: RemoteFetchError) => e.reason === 'timeout');
    assert.ok(Date.now() - started < 1500);
  });

  it('loads documents as JSON, following an HTML page to its ActivityPub alternate', async () => {
    const load = createDocumentLoader(limits);
    const doc = await load(`${origin}/page`);
    assert.deepEqual(doc.document, { id: 'x', type: 'Person' });
    assert.equal(doc.documentUrl, `${origin}/actor`);
    const context = await load('https://www.w3.org/ns/activitystreams');
    assert.ok(context.document, 'known contexts are never fetched');
  });

  it('connects to the address it vetted, never to what a second lookup answers (DNS rebinding), also after a redirect', async () => {
    // Two servers on one port: 127.0.0.1 plays the vetted public host, 127.0.0.2 the internal one a
    // rebinding name answers on its next lookup.
    const port = (server.address() as { port: number }).port;
    const internalHits: string[] = [];
    const internal = createServer((req, res) => {
      internalHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end('{"secret":true}');
    });
    await new Promise<void>((resolve, reject) => internal.once('error', reject).listen(port, '127.0.0.2', resolve));
    try {
      const lookups: string[] = [];
      const policy = {
        ...limits,
        allowPrivateAddress: false,
        addressAllowed: (a: string) => a === '127.0.0.1',
        // First answer vetted, every later answer internal: what a rebinding name does.
        resolve: async (host: string) => {
          lookups.push(host);
          return [host === 'rebind.test' && lookups.filter((h) => h === host).length === 1 ? '127.0.0.1' : '127.0.0.2'];
        },
      };
      const { response, body } = await limitedFetch(`http://rebind.test:${port}/actor`, {}, policy);
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(body)), { id: 'x', type: 'Person' });
      assert.deepEqual(lookups, ['rebind.test'], 'one lookup per hop, the vetted one');
      // A redirect to another name is vetted on its own: its internal address is refused before connecting.
      await assert.rejects(limitedFetch(`${origin.replace('127.0.0.1', 'rebind.test')}/redirect-to?to=${encodeURIComponent(`http://other.test:${port}/x`)}`, {}, { ...policy, resolve: async (h: string) => (h === 'other.test' ? ['127.0.0.2'] : ['127.0.0.1']) }), (e: RemoteFetchError) => e.reason === 'private_address');
      assert.deepEqual(internalHits, []);
    } finally {
      internal.close();
    }
  });
});
