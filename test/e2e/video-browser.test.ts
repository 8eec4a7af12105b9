import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { makeClip, openBrowser, requireChromium, setUpSiteInBrowser, screenshot as saveScreenshot, type Browser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
// Transcoding a few seconds of 360p takes seconds on two cores; a loaded CI machine gets a wide margin.
const TRANSCODE_TIMEOUT_MS = 180_000;

const screenshot = (page: Page, name: string) => saveScreenshot(page, `${name}`);

describe('a video uploaded in Chromium, transcoded by the real server and played by a fan', () => {
  let server: RunningServer;
  let workDir: string;
  let clip: string;
  let owner: Browser;
  let fan: Browser | undefined;
  let editUrl: string;
  let watchPath: string;

  before(async () => {
    requireChromium();
    workDir = mkdtempSync(path.join(tmpdir(), 'fanfare-clip-'));
    // 10 s rather than 4: long enough for the Studio's progress bar to be seen between 0 and 100 %.
    clip = makeClip(workDir, 10);
    server = await startServer();
    owner = await openBrowser();
  });

  after(async () => {
    await owner?.close().catch(() => {});
    await fan?.close().catch(() => {});
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('sets up the site from the form and lands the owner in the Studio', { timeout: 120_000 }, async () => {
    const { page } = owner;
    await setUpSiteInBrowser(page, server.url, OWNER);
  });

  it('resumes an upload after the tab was closed halfway, when the same file is chosen again', { timeout: 120_000 }, async () => {
    const bytes = readFileSync(clip);
    const half = Math.floor(bytes.length / 2);
    const uploadPage = `${server.url}/studio/channels/${OWNER.handle}/upload`;

    // First tab: the server receives only the first half of the file, then the tab is closed
    // before it hears back, as when a laptop lid closes mid-upload.
    const first = owner.page;
    type Seen = { sentFrom: string | null; status: number; offset?: string };
    let settle!: { resolve: (seen: Seen) => void; reject: (error: Error) => void };
    const halfway = new Promise<Seen>((resolve, reject) => (settle = { resolve, reject }));
    await first.route('**/studio/uploads/**', async (route) => {
      const request = route.request();
      if (request.method() !== 'PATCH') return route.continue();
      try {
        const sentFrom = await request.headerValue('upload-offset');
        const response = await route.fetch({ postData: bytes.subarray(0, half), headers: { ...request.headers(), 'content-length': String(half) } });
        settle.resolve({ sentFrom, status: response.status(), offset: response.headers()['upload-offset'] }); // the browser never gets this answer
      } catch (error) {
        settle.reject(error as Error);
      }
    });
    await first.goto(uploadPage);
    await first.setInputFiles('#field-file', clip);
    await first.getByRole('button', { name: 'Upload', exact: true }).click();
    assert.deepEqual(await halfway, { sentFrom: '0', status: 204, offset: String(half) }, 'the server stored the first half');
    assert.equal(await first.locator('progress[data-upload-progress]').isVisible(), true);
    assert.match(new URL(first.url()).pathname, /\/upload$/, 'the first tab never finished');
    await screenshot(first, 'video-upload-interrupted');
    await first.close();

    // Second tab, same browser: tus-js-client finds the upload by the file's fingerprint in
    // localStorage, asks the server where it stopped, and sends only the rest.
    const page = await owner.context.newPage();
    owner.page = page;
    const patches: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request);
    });
    await page.goto(uploadPage);
    await page.setInputFiles('#field-file', clip);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(/\/studio\/videos\/[^/?]+\?notice=uploaded$/, { timeout: 60_000 });
    assert.equal(patches.length, 1, 'one request sent the rest of the file');
    assert.equal(await patches[0]!.headerValue('upload-offset'), String(half), 'the upload resumed where the server stopped');
    editUrl = page.url().replace(/\?.*$/, '');
  });

  it('shows the transcoding progress, then the ready video with a link to watch it', { timeout: TRANSCODE_TIMEOUT_MS + 30_000 }, async () => {
    const { page } = owner;
    await page.getByText('Upload complete. The video is being prepared').waitFor();
    // Every value the progress bar shows until the page reloads itself as ready, recorded by a MutationObserver
    // (the page sets the bar's value from each poll of the job's status).
    const shown: number[] = [];
    await page.exposeFunction('fanfareProgressShown', (value: number) => void shown.push(value));
    await page.evaluate(() => {
      const bar = document.querySelector<HTMLProgressElement>('#job-progress');
      if (!bar) return;
      // (No named function in here: tsx would wrap it in a helper the page does not have.)
      const page = window as unknown as { fanfareProgressShown: (value: number) => void };
      page.fanfareProgressShown(bar.value);
      new MutationObserver(() => page.fanfareProgressShown(bar.value)).observe(bar, { attributes: true, attributeFilter: ['value'] });
    });
    await screenshot(page, 'video-studio-uploaded');
    // The page polls the job and reloads itself once the video is ready (or failed).
    await page.getByText('The video is ready.').or(page.getByRole('alert')).waitFor({ timeout: TRANSCODE_TIMEOUT_MS });
    const failure = page.getByRole('alert');
    if (await failure.isVisible()) assert.fail(`transcoding failed: ${await failure.innerText()}\n--- server output ---\n${server.output()}`);
    // The bar moved while the video was being prepared: it did not sit at 0 % until the page said ready.
    assert.ok(shown.some((value) => value > 0 && value < 100), `values the bar showed: ${shown.join(', ')}`);
    const watch = page.getByRole('link', { name: 'Watch it', exact: true });
    watchPath = (await watch.getAttribute('href'))!;
    assert.match(watchPath, /^\/v\/[\w-]+$/);
    await screenshot(page, 'video-studio-ready');
  });

  it('publishes the video from its details form', { timeout: 60_000 }, async () => {
    const { page } = owner;
    assert.equal(await page.locator('input[name=visibility][value=draft]').isChecked(), true, 'an upload starts as a draft');
    await page.check('input[name=visibility][value=public]');
    const details = page.locator('form', { has: page.locator('input[name=visibility]') });
    await details.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(`${editUrl}?notice=saved`);
    assert.equal(await page.locator('input[name=visibility][value=public]').isChecked(), true);
  });

  it('plays the video with hls.js for a fan who is not logged in', { timeout: 120_000 }, async () => {
    fan = await openBrowser();
    const { page } = fan;
    await page.goto(`${server.url}${watchPath}`);
    assert.equal(new URL(page.url()).pathname, watchPath, 'the fan is not redirected: the video is public');
    await page.getByRole('navigation').getByRole('link', { name: 'Log in', exact: true }).waitFor();

    // Before play the page fetched no playlist, no segment and not hls.js (loaded on play).
    const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.deepEqual(before.filter((url) => /\.m3u8|\.m4s|\.ts$|hls/.test(url)), [], `fetched before play: ${before.join(', ')}`);
    // The paused player before play: the poster, the script's controls in place of the browser's (no `controls`
    // attribute, so no second seek bar in any browser and no native overlay), and no spinner: nothing is loading.
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const paused = await page.evaluate(() => {
      const video = document.querySelector('video')!;
      const poster = new Image();
      poster.src = video.poster;
      return {
        nativeControls: video.hasAttribute('controls'),
        seekBars: [...document.querySelectorAll<HTMLElement>('input[data-seekbar]')].filter((bar) => !bar.hidden).length,
        paused: video.paused,
        loading: video.networkState === HTMLMediaElement.NETWORK_LOADING,
        posterShown: poster.complete && poster.naturalWidth > 0,
        spinners: document.querySelectorAll('[class*="spinner" i], [class*="loading" i], [aria-busy="true"]').length,
      };
    });
    assert.deepEqual(paused, { nativeControls: false, seekBars: 1, paused: true, loading: false, posterShown: true, spinners: 0 });
    await screenshot(page, 'video-watch-paused');
    // Without the player's script the browser's own controls stay.
    const noScript = await fan.context.newPage();
    await noScript.route(/\/assets\/player[^/]*\.js$/, (route) => route.abort());
    await noScript.goto(`${server.url}${watchPath}`);
    assert.equal(await noScript.locator('video').getAttribute('controls'), '', 'native controls without the script');
    assert.equal(await noScript.getByRole('button', { name: 'Play', exact: true }).count(), 0, 'the script\'s controls stay hidden');
    await noScript.close();
    // Where the video stood each time the page reported a view (its script calls the global fetch).
    const isView = (response: { url(): string }) => /^\/api\/videos\/[^/]+\/view$/.test(new URL(response.url()).pathname);
    const viewed = page.waitForResponse(isView, { timeout: 60_000 });
    await page.evaluate(() => {
      const w = window as unknown as { fanfareViewsAt: number[] };
      const original = window.fetch.bind(window);
      w.fanfareViewsAt = [];
      window.fetch = (input, init) => {
        if (String(input).endsWith('/view')) w.fanfareViewsAt.push(document.querySelector('video')!.currentTime);
        return original(input, init);
      };
    });
    // Muted, so Chromium's autoplay policy lets a script start playback.
    await page.evaluate(async () => {
      const video = document.querySelector('video')!;
      video.muted = true;
      await video.play().catch(() => undefined);
    });
    // The quality menu is filled once hls.js has parsed the master playlist.
    await page.waitForFunction(() => ((window as unknown as { fanfareHls?: { levels?: unknown[] } }).fanfareHls?.levels?.length ?? 0) > 0);
    const levels = await page.evaluate(() => (window as unknown as { fanfareHls: { levels: { height: number }[] } }).fanfareHls.levels.map((l) => l.height));
    const options = await page.locator('select[data-quality] option').allTextContents();
    const heights = [...levels].sort((a, b) => b - a).map((h) => `${h}p`);
    assert.deepEqual(options.slice(1), heights, 'one entry per rendition, tallest first, after "Auto"');
    assert.ok(heights.every((h) => parseInt(h, 10) <= 360), `no rendition is taller than the 360p source: ${heights.join(', ')}`);
    assert.equal(await page.locator('[data-quality-wrap]').isHidden(), levels.length < 2, 'the menu shows only when there is a choice');

    await page.waitForFunction(() => document.querySelector('video')!.currentTime > 1.5, undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => {
      const video = document.querySelector('video')!;
      return { width: video.videoWidth, height: video.videoHeight, paused: video.paused, error: video.error?.message ?? null, usesMse: video.currentSrc.startsWith('blob:') };
    });
    assert.deepEqual({ ...state, width: state.width > 0 }, { width: true, height: state.height, paused: false, error: null, usesMse: true });
    assert.ok(heights.includes(`${state.height}p`), `the picture (${state.width}x${state.height}) is one of the renditions`);
    await screenshot(page, 'video-watch-playing');

    // The view rule as the page applies it: one report after 75 % of a video shorter than 40 s has played
    // (7.5 s of this 10 s clip), none before; the server counts one view per viewer per hour.
    assert.deepEqual(await (await viewed).json(), { counted: true });
    const reportedAt = await page.evaluate(() => (window as unknown as { fanfareViewsAt: number[] }).fanfareViewsAt);
    assert.equal(reportedAt.length, 1, `one report: ${reportedAt.join(', ')}`);
    assert.ok(reportedAt[0]! >= 7.4, `reported once 7.5 s had played, not before (at ${reportedAt[0]} s)`);
    // The same viewer again, within the hour: reported, not counted.
    await page.reload();
    const again = page.waitForResponse(isView, { timeout: 60_000 });
    await page.evaluate(async () => {
      const video = document.querySelector('video')!;
      video.muted = true;
      await video.play().catch(() => undefined);
    });
    assert.deepEqual(await (await again).json(), { counted: false });
    const list = await owner.page.goto(`${server.url}/studio/channels/${OWNER.handle}/videos`);
    assert.equal(list?.status(), 200);
    const row = owner.page.getByRole('row').filter({ has: owner.page.getByRole('link', { name: 'clip' }) });
    assert.equal((await row.locator('td').last().innerText()).trim(), '1', 'one view in the Studio');
  });
});
