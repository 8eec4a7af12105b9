// A full disk, simulated by injecting failing writes (no real disk is filled): every write that fails
// with ENOSPC answers 507 with a translated message instead of a 500, and the health check and the
// Studio say when space runs low.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FileStore } from '@tus/file-store';
import { isDiskFull } from '../src/core/storage/disk-space.js';
import { TestClient, setupFields } from './support/client.js';
import { createTestSite, type TestSite } from './support/harness.js';
import { tusCreate, tusPatch } from './support/tus.js';

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write '/srv/fanfare/data/uploads/abc'"), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

describe('a full disk', () => {
  let site: TestSite;
  let owner: TestClient;
  let free = 50 * 1024 ** 3;
  before(async () => {
    site = await createTestSite({ services: { diskSpace: async () => ({ freeBytes: free, totalBytes: 100 * 1024 ** 3, low: free < 2 * 1024 ** 3 }) } });
    owner = new TestClient(site.app, { 'accept-language': 'fr' });
    await owner.post('/setup', setupFields());
    await owner.get('/studio'); // the CSRF token of the new session (login rotates it)
  });
  after(() => site.close());

  it('recognises ENOSPC and EDQUOT, also as the cause of another error', () => {
    assert.ok(isDiskFull(enospc()));
    assert.ok(isDiskFull(Object.assign(new Error('quota'), { code: 'EDQUOT' })));
    assert.ok(isDiskFull(new Error('outbox write failed', { cause: enospc() })));
    assert.ok(!isDiskFull(Object.assign(new Error('gone'), { code: 'ENOENT' })));
  });

  it('answers an upload chunk the disk cannot hold with 507 and a translated message, not tus_500', async () => {
    // Declared larger than the probed head (the first MiBs are checked as a video once they are all there):
    // this first chunk is short of it, so it goes straight to the (failing) write.
    const created = await tusCreate(owner, 8 * 1024 * 1024, { filename: 'film.mp4', filetype: 'video/mp4', channel: 'camille' });
    assert.equal(created.res.status, 201);
    const write = FileStore.prototype.write;
    FileStore.prototype.write = async () => {
      throw enospc();
    };
    try {
      const res = await tusPatch(owner, created.location!, 0, new Uint8Array(1000));
      assert.equal(res.status, 507);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'storage_full');
      assert.match(body.error.message, /plus d'espace disque/);
      assert.doesNotMatch(JSON.stringify(body), /\/srv\/|uploads\//);
    } finally {
      FileStore.prototype.write = write;
    }
  });

  it('answers a sign-up whose e-mail cannot be written to the outbox with 507, not 500', async () => {
    const send = site.deps.mailer.send;
    site.deps.mailer.send = async () => {
      throw enospc();
    };
    try {
      const fan = new TestClient(site.app, { 'accept-language': 'en' });
      const { res, html } = await fan.post('/signup', { email: 'fan@example.org', display_name: 'Fan' });
      assert.equal(res.status, 507);
      assert.match(html, /no disk space left/);
      assert.doesNotMatch(html, /ENOSPC|\/srv\//);
    } finally {
      site.deps.mailer.send = send;
    }
  });

  it('reports low disk space on /healthz and to the owner in the Studio', async () => {
    free = 50 * 1024 ** 3;
    let health = (await (await site.app.request('/healthz')).json()) as { status: string; disk: { low: boolean } };
    assert.equal(health.status, 'ok');
    assert.doesNotMatch((await owner.get('/studio')).html, /espace disque/);
    free = 300 * 1024 ** 2;
    const res = await site.app.request('/healthz');
    assert.equal(res.status, 200, 'pages still work: monitoring alerts on the status');
    health = (await res.json()) as { status: string; disk: { low: boolean } };
    assert.equal(health.status, 'low_disk');
    assert.equal(health.disk.low, true);
    assert.match((await owner.get('/studio')).html, /Il ne reste que 300 MB d&#39;espace disque|Il ne reste que 300 MB d'espace disque/);
  });
});
