// In Chromium, against the real server: viewers of one video exchange its segments over WebRTC through
// the tracker on the site's port; a peer that sends forged segments is refused (hash list) and playback
// goes on over HTTP; the fan's P2P switch is remembered.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBrowser, requireChromium, screenshot, setUpSiteInBrowser, type Browser } from '../support/browser.js';
import { makeLongClip, p2pStats, uploadReadyVideo, watchMuted, WEBRTC_LOOPBACK_ARGS } from '../support/p2p.js';
import { startServer, type RunningServer } from '../support/server.js';

const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
const TRANSCODE_TIMEOUT_MS = 180_000;

describe('P2P playback in Chromium: verified peer segments and the fan’s switch', () => {
  let server: RunningServer;
  let workDir: string;
  let owner: Browser;
  const viewers: Browser[] = [];
  let watchUrl: string;

  before(async () => {
    requireChromium();
    workDir = mkdtempSync(path.join(tmpdir(), 'fanfare-p2p-'));
    server = await startServer();
    owner = await openBrowser();
  });
  after(async () => {
    await owner?.close().catch(() => {});
    for (const viewer of viewers) await viewer.close().catch(() => {});
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const viewer = async () => {
    const browser = await openBrowser({ args: WEBRTC_LOOPBACK_ARGS });
    viewers.push(browser);
    return browser;
  };

  it('sets up the site and a ready video with its hash lists', { timeout: TRANSCODE_TIMEOUT_MS + 120_000 }, async () => {
    await setUpSiteInBrowser(owner.page, server.url, OWNER);
    const clip = makeLongClip(workDir, 24, '320x180');
    watchUrl = `${server.url}${await uploadReadyVideo(owner.page, server.url, OWNER.handle, clip, TRANSCODE_TIMEOUT_MS)}`;
    await owner.page.goto(watchUrl);
    await owner.page.locator('[data-p2p]').waitFor({ state: 'attached' });
    // The owner's player would be an honest peer in the next test's swarm: it leaves.
    await owner.page.goto(`${server.url}/studio`);
  });

  it('refuses a corrupt peer’s segments, fetches them over HTTP and keeps playing', { timeout: 180_000 }, async () => {
    // The corrupt peer: its own downloads are altered on the way (the end of each segment, in the media
    // data), so what it offers other viewers does not match the hash list.
    const corrupt = await viewer();
    // Segments come at signed addresses (/media/s/…) since the master playlist signs them.
    await corrupt.page.route('**/media/*/**/seg_*.m4s', async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      for (let i = Math.max(0, body.length - 64); i < body.length; i++) body[i] = body[i]! ^ 0xff;
      await route.fulfill({ response, body });
    });
    await watchMuted(corrupt.page, watchUrl);
    await corrupt.page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return v.buffered.length > 0 && v.buffered.end(v.buffered.length - 1) >= v.duration - 0.5;
    }, undefined, { timeout: 60_000 });

    const honest = await viewer();
    await watchMuted(honest.page, watchUrl);
    await honest.page.waitForFunction(() => ((window as unknown as { fanfareP2PStats?: { rejected: number } }).fanfareP2PStats?.rejected ?? 0) > 0, undefined, { timeout: 60_000 });
    await honest.page.waitForFunction(() => document.querySelector('video')!.currentTime > 6, undefined, { timeout: 60_000 });
    const stats = (await p2pStats(honest.page))!;
    assert.equal(stats.peer, 0, 'no byte from the corrupt peer was accepted');
    assert.ok(stats.http > 0, 'the refused segments came over HTTP');
    assert.equal(await honest.page.locator('video').evaluate((v: HTMLVideoElement) => v.error), null, 'the player never errored');
    await screenshot(honest.page, 'p2p-corrupt-peer-refused');
    await corrupt.close();
    await honest.close();
  });

  it('shares verified segments between honest viewers', { timeout: 180_000 }, async () => {
    const first = await viewer();
    await watchMuted(first.page, watchUrl);
    await first.page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return v.buffered.length > 0 && v.buffered.end(v.buffered.length - 1) >= v.duration - 0.5;
    }, undefined, { timeout: 60_000 });
    const second = await viewer();
    await watchMuted(second.page, watchUrl);
    await second.page.waitForFunction(() => ((window as unknown as { fanfareP2PStats?: { peer: number } }).fanfareP2PStats?.peer ?? 0) > 0, undefined, { timeout: 60_000 });
    const stats = (await p2pStats(second.page))!;
    assert.equal(stats.rejected, 0);
  });

  it('remembers the fan’s choice to switch P2P off, and then never contacts the tracker', { timeout: 120_000 }, async () => {
    const fan = await viewer();
    await fan.page.goto(watchUrl);
    const toggle = fan.page.getByRole('checkbox', { name: 'Share with other viewers (P2P)' });
    assert.equal(await toggle.isChecked(), true, 'on by default (the site default)');
    await fan.page.getByText('they can see your IP address').waitFor();
    await toggle.uncheck();
    const sockets: string[] = [];
    fan.page.on('websocket', (ws) => sockets.push(ws.url()));
    await watchMuted(fan.page, watchUrl);
    assert.equal(await fan.page.getByRole('checkbox', { name: 'Share with other viewers (P2P)' }).isChecked(), false, 'remembered after a reload');
    await fan.page.waitForFunction(() => document.querySelector('video')!.currentTime > 2, undefined, { timeout: 60_000 });
    assert.deepEqual(sockets.filter((url) => url.includes('/tracker')), [], 'no tracker connection while off');
    assert.equal((await p2pStats(fan.page))!.peer, 0);
  });
});
