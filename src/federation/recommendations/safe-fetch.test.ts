import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { safeFetch, SafeFetchError, type FetchFailure, type HostLookup } from './safe-fetch.js';
import { startTestSites, type TestSites } from '../../../test/fakes/video-sites.js';

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SafeFetchError) return error;
    throw error;
  }
  assert.fail('expected a SafeFetchError');
}

async function reason(promise: Promise<unknown>): Promise<FetchFailure> {
  return (await failure(promise)).reason;
}

describe('safe fetcher', () => {
  let sites: TestSites;
  before(async () => {
    sites = await startTestSites();
  });
  after(() => sites.close());
  const local = { accept: 'text/html', allowPrivateAddresses: true } as const;

  it('fetches a page and says what it is', async () => {
    const res = await safeFetch(`${sites.url}/og-video`, local);
    assert.equal(res.status, 200);
    assert.equal(res.mediaType, 'text/html');
    assert.equal(res.charset, 'utf-8');
    assert.match(Buffer.from(res.body).toString(), /Rock &amp; roll/);
    assert.equal(sites.requests.at(-1)?.accept, 'text/html');
  });

  it('follows up to five redirects, relative ones included, and reports the final address', async () => {
    const res = await safeFetch(`${sites.url}/redirect-3`, local);
    assert.equal(res.url, `${sites.url}/og-video`);
    assert.equal(await reason(safeFetch(`${sites.url}/redirect-3`, { ...local, maxRedirects: 2 })), 'too_many_redirects');
    assert.equal(await reason(safeFetch(`${sites.url}/redirect-loop`, local)), 'too_many_redirects');
  });

  it('refuses a redirect to another scheme', async () => {
    assert.equal(await reason(safeFetch(`${sites.url}/redirect-javascript`, local)), 'scheme');
  });

  it('refuses private addresses unless allowed, before connecting', async () => {
    const before = sites.requests.length;
    for (const url of [sites.url, 'http://localhost:9/', 'http://[::1]:9/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:127.0.0.1]:9/', 'http://0.0.0.0:9/', 'http://2130706433:9/']) {
      const error = await failure(safeFetch(url, { accept: 'text/html' }));
      assert.equal(error.reason, 'refused_address', url);
    }
    assert.equal(sites.requests.length, before, 'nothing reached the server');
  });

  it('refuses a redirect that leads to a private address, even from an allowed host', async () => {
    const allowOne = { accept: 'text/html', allowedAddresses: ['127.0.0.1'] };
    assert.equal((await safeFetch(`${sites.url}/og-video`, allowOne)).status, 200);
    const metadata = await failure(safeFetch(`${sites.url}/redirect-private`, allowOne));
    assert.equal(metadata.reason, 'refused_address');
    assert.equal(metadata.details.addressClass, 'link_local');
    const loopback = await failure(safeFetch(`${sites.url}/redirect-loopback-v6`, allowOne));
    assert.equal(loopback.reason, 'refused_address');
    assert.equal(loopback.details.address, '::1');
  });

  it('refuses a host name when any of its addresses is private', async () => {
    const lookup: HostLookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    const error = await failure(safeFetch('http://mixed.example/', { accept: 'text/html', lookup }));
    assert.equal(error.reason, 'refused_address');
    assert.equal(error.details.address, '10.1.2.3');
  });

  it('connects to the address it checked, not to a second answer of the name server', async () => {
    let lookups = 0;
    const lookup: HostLookup = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const res = await safeFetch(`http://rebind.example:${sites.port}/echo-host`, { accept: 'text/plain', lookup, allowedAddresses: ['127.0.0.1'] });
    assert.equal(Buffer.from(res.body).toString(), `rebind.example:${sites.port}`, 'the site still sees its own name');
    assert.equal(lookups, 1, 'the name is resolved once per hop');
  });

  it('reports a name that does not resolve, and a host that refuses connections', async () => {
    const lookup: HostLookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    assert.equal(await reason(safeFetch('http://nowhere.invalid/', { accept: 'text/html', lookup })), 'dns');
    assert.equal(await reason(safeFetch('http://127.0.0.1:1/', local)), 'unreachable');
  });

  it('refuses addresses that are not http(s) or carry credentials', async () => {
    assert.equal(await reason(safeFetch('javascript:alert(1)', local)), 'scheme');
    assert.equal(await reason(safeFetch('file:///etc/passwd', local)), 'scheme');
    assert.equal(await reason(safeFetch('ftp://example.org/', local)), 'scheme');
    assert.equal(await reason(safeFetch('not a url', local)), 'invalid_url');
    assert.equal(await reason(safeFetch('http://user:secret@example.org/', local)), 'invalid_url');
  });

  it('gives up at the time limit', async () => {
    const started = Date.now();
    assert.equal(await reason(safeFetch(`${sites.url}/slow`, { ...local, timeoutMs: 200 })), 'timeout');
    assert.ok(Date.now() - started < 2000);
    const outer = AbortSignal.timeout(150);
    assert.equal(await reason(safeFetch(`${sites.url}/slow`, { ...local, signal: outer })), 'timeout');
  });

  it('stops reading at the size limit, or cuts the body when asked to', async () => {
    assert.equal(await reason(safeFetch(`${sites.url}/huge`, local)), 'too_large');
    assert.equal(await reason(safeFetch(`${sites.url}/huge-body`, local)), 'too_large', 'refused on the declared length');
    const cut = await safeFetch(`${sites.url}/huge`, { ...local, overflow: 'truncate', maxBytes: 4096 });
    assert.equal(cut.truncated, true);
    assert.equal(cut.body.length, 4096);
  });

  it('decompresses gzip bodies', async () => {
    const res = await safeFetch(`${sites.url}/gzip-video`, local);
    assert.match(Buffer.from(res.body).toString(), /Squeezed/);
  });

  it('reports error statuses with the status', async () => {
    const error = await failure(safeFetch(`${sites.url}/not-found`, local));
    assert.equal(error.reason, 'http_status');
    assert.equal(error.details.status, 404);
  });
});
