// Requests another server makes us send: every URL a library would fetch goes through Fanfare's own
// guard, in every address form that reaches loopback or link-local, and redirects only through it.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { findChannelById } from '../channels/index.js';
import { PermanentJobError, type JobContext } from '../core/jobs/index.js';
import { createFederationTestSite, type FederationTestSite } from '../../test/support/federation-site.js';
import { followRemoteActor } from './follow.js';
import { deliverToActorHandler } from './recommend.js';
import { assertFetchableUrl, createDocumentLoader, isPublicAddress, limitedFetch, lookUpRemoteObject, RemoteFetchError } from './remote-fetch.js';

describe('no request to loopback, private or link-local addresses (SSRF)', () => {
  let site: FederationTestSite;
  let canary: Server;
  let port: number;
  let origin: string;
  const hits: string[] = [];

  before(async () => {
    site = await createFederationTestSite();
    // The default: private addresses closed (the test site opens them for its fake remote servers).
    site.fed.limits.allowPrivateAddress = false;
    canary = createServer((req, res) => {
      hits.push(req.url ?? '');
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
      if (req.url?.startsWith('/redirect') && to) return void res.writeHead(302, { location: to.replaceAll('PORT', String(port)) }).end();
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end('{"id":"http://127.0.0.1/secret","type":"Person","inbox":"http://127.0.0.1/inbox"}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    port = (canary.address() as { port: number }).port;
    origin = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    canary.close();
    await site.close();
  });

  /** Loopback and link-local in every spelling a URL accepts. */
  const loopbackForms = () => [
    `http://[::ffff:7f00:1]:${port}/users/x`, // IPv4-mapped IPv6, as URLs write ::ffff:127.0.0.1
    `http://[::ffff:127.0.0.1]:${port}/users/x`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/users/x`,
    `http://[::ffff:0:7f00:1]:${port}/users/x`, // IPv4-translated
    `http://[2002:7f00:1::1]:${port}/users/x`, // 6to4 around 127.0.0.1
    `http://2130706433:${port}/users/x`, // decimal
    `http://0177.0.0.1:${port}/users/x`, // octal
    `http://0x7f.0.0.1:${port}/users/x`, // hex
    `http://0x7f000001:${port}/users/x`,
    `http://127.1:${port}/users/x`,
    `http://localhost:${port}/users/x`,
    `http://[::1]:${port}/users/x`,
  ];
  const linkLocalForms = ['http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'http://169.254.169.254/latest/meta-data/', 'http://2852039166/latest/meta-data/', 'http://[fe80::1]/x', 'http://0xa9.0xfe.0xa9.0xfe/'];

  it('judges IPv6 forms by the IPv4 address they carry', () => {
    for (const a of ['::ffff:a9fe:a9fe', '::ffff:169.254.169.254', '::ffff:0:7f00:1', '2002:a9fe:a9fe::1', '2002:0a00:0001::', '::7f00:1', '64:ff9b::7f00:1', '2001::1', 'fec0::1', '::']) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ['::ffff:5db8:d822', '2002:5db8:d822::1', '2606:4700::1111', '8.8.8.8']) assert.equal(isPublicAddress(a), true, a);
  });

  it('refuses every spelling of loopback and link-local before connecting', async () => {
    for (const url of [...loopbackForms(), ...linkLocalForms]) {
      await assert.rejects(assertFetchableUrl(url, false), (e: RemoteFetchError) => e.reason === 'private_address', url);
    }
    assert.deepEqual(hits, []);
  });

  it('a channel admin cannot make the server follow a loopback or link-local target', async () => {
    const channel = (await findChannelById(site.deps.db, site.channelId))!;
    const targets = [...loopbackForms(), ...linkLocalForms, `@x@0x7f.0.0.1:${port}`, `@x@2130706433:${port}`, `@x@localhost:${port}`];
    for (const target of targets) {
      await assert.rejects(followRemoteActor(site.deps, site.fed, channel, target), (e: Error) => (e as { status?: number }).status === 400, target);
    }
    assert.deepEqual(hits, [], 'nothing reached the loopback server');
  });

  it('the actor of a recommended object is looked up through the guard too', async () => {
    const handler = deliverToActorHandler(site.deps, site.fed);
    for (const actor of [`http://[::ffff:7f00:1]:${port}/users/x`, 'http://[::ffff:a9fe:a9fe]/latest/meta-data/']) {
      const job = { payload: { channelId: site.channelId, actor, activity: { id: 'https://fanfare.test/x', type: 'Announce' } } } as JobContext['job'];
      await assert.rejects(handler({ job, signal: new AbortController().signal, reportProgress: async () => {} }), PermanentJobError, actor);
    }
    assert.deepEqual(hits, []);
  });

  it("Fedify's document loaders are ours: they refuse the same addresses", async () => {
    const loaders = [createDocumentLoader(site.fed.limits), await site.fed.context().getDocumentLoader({ identifier: 'a/owner' }), site.fed.context().documentLoader];
    for (const load of loaders) {
      for (const url of [`http://[::ffff:7f00:1]:${port}/users/x`, 'http://[::ffff:a9fe:a9fe]/latest/meta-data/']) {
        await assert.rejects(load(url), (e: RemoteFetchError) => e.reason === 'private_address', url);
      }
    }
    await assert.rejects(lookUpRemoteObject(`http://[::ffff:7f00:1]:${port}/users/x`, { limits: site.fed.limits, documentLoader: createDocumentLoader(site.fed.limits) }), RemoteFetchError);
    assert.deepEqual(hits, []);
  });

  it('follows redirects only through the guard: a redirect to a private address is refused', async () => {
    // Only the redirecting URL is let through, as a public server would be.
    const limits = { ...site.fed.limits, guard: async (url: string) => (url.startsWith(`${origin}/redirect`) ? new URL(url) : assertFetchableUrl(url, false)) };
    const targets = ['http://[::ffff:7f00:1]:PORT/secret', 'http://2130706433:PORT/secret', 'http://localhost:PORT/secret', 'http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'http://10.0.0.1/secret'];
    for (const to of targets) {
      await assert.rejects(limitedFetch(`${origin}/redirect?to=${encodeURIComponent(to)}`, {}, limits), (e: RemoteFetchError) => e.reason === 'private_address', to);
      const load = createDocumentLoader(limits);
      await assert.rejects(load(`${origin}/redirect?to=${encodeURIComponent(to)}`), (e: RemoteFetchError) => e.reason === 'private_address', to);
    }
    assert.ok(hits.length > 0 && hits.every((h) => h.startsWith('/redirect')), `only the redirects were fetched: ${hits.join(', ')}`);
  });
});
