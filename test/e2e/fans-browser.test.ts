import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { openBrowser, requireChromium, setUpSiteInBrowser, type Browser } from '../support/browser.js';
import { createTestSite, type TestSite } from '../support/harness.js';
import { freePort } from '../support/server.js';

const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
// The thumbnail check reads the signature only.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/**
 * Issue 11's browser pieces, one Chromium for the file, the site served in-process (rows inserted directly,
 * no transcode): typed details that survive the thumbnail form, the header's account menu on a phone, the
 * share menu, the keyboard hint on touch screens.
 */
describe('what the browser shows a creator and a fan (Chromium)', () => {
  let site: TestSite;
  let server: ServerType;
  let base = '';
  let browser: Browser;
  let videoId = '';

  before(async () => {
    requireChromium();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    site = await createTestSite({ env: { PUBLIC_URL: base } });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: site.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    assert.equal((server.address() as AddressInfo).port, port);
    browser = await openBrowser();
    await setUpSiteInBrowser(browser.page, base, OWNER);
    const channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
    videoId = (
      await site.deps.db.query<{ id: string }>(
        `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds, language, description)
         VALUES ('PublicVid1', $1, 'Un bol en grès', 'ready', 'public', 'videos/PublicVid1/hls', 83, 'fr', 'Tournage.') RETURNING id`,
        [channelId],
      )
    )[0]!.id;
  }, { timeout: 300_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    // Chromium's keep-alive connections would hold close() open.
    (server as unknown as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    server?.close();
    await site?.close();
  });

  it('keeps typed video details through the thumbnail form and says they are not saved yet', async () => {
    const { page } = browser;
    await page.goto(`${base}/studio/videos/${videoId}`);
    await page.fill('#field-title', 'Typed, not saved yet');
    await page.fill('#field-description', 'A description typed before the thumbnail.');
    await page.setInputFiles('#field-thumbnail', { name: 'poster.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Use this thumbnail' }).click();
    await page.waitForURL(/notice=thumbnail_saved$/);
    await page.getByText('Thumbnail saved.').waitFor();
    assert.equal(await page.getByText('Saved.', { exact: true }).count(), 0, 'never claims the details were saved');
    assert.equal(await page.inputValue('#field-title'), 'Typed, not saved yet');
    assert.equal(await page.inputValue('#field-description'), 'A description typed before the thumbnail.');
    assert.ok(await page.locator('[data-draft-notice]').isVisible(), 'says the details are not saved yet');
    const stored = (await site.deps.db.query<{ title: string }>('SELECT title FROM videos WHERE id = $1', [videoId]))[0]!.title;
    assert.equal(stored, 'Un bol en grès', 'nothing was saved behind the creator’s back');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/notice=saved$/);
    assert.equal(await page.inputValue('#field-title'), 'Typed, not saved yet');
    assert.equal(await page.locator('[data-draft-notice]').isVisible(), false, 'saved: no draft any more');
    await page.reload();
    assert.equal(await page.locator('[data-draft-notice]').isVisible(), false);
    await site.deps.db.query(`UPDATE videos SET title = 'Un bol en grès' WHERE id = $1`, [videoId]);
  });

  it('opens the account menu in the compact header of a phone and reaches My tips from it', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${base}/`);
    const menu = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await menu.getByRole('link', { name: 'My tips' }).isVisible(), false, 'closed at first');
    await menu.locator('summary', { hasText: 'My account' }).click();
    await menu.getByRole('link', { name: 'My tips' }).click();
    await page.waitForURL(/\/account\/tips$/);
    await page.getByRole('heading', { name: 'My tips' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling on a phone (page is ${width}px wide)`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shares the link, copies it, opens the fan’s own fediverse server, and shows the embed code', async () => {
    const { page, context } = browser;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await context.route('https://piaille.fr/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>piaille</title>' }));
    await page.goto(`${base}/v/PublicVid1`);
    await page.locator('details.share > summary').click();
    await page.getByRole('button', { name: 'Copy' }).first().click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${base}/v/PublicVid1`);
    assert.ok(await page.getByText('Start at').isVisible(), 'the link at the current time is offered');
    await page.fill('#share-instance', 'https://piaille.fr/');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Share', exact: true }).click()]);
    await popup.waitForLoadState();
    assert.equal(popup.url(), `https://piaille.fr/share?text=${encodeURIComponent(`Un bol en grès ${base}/v/PublicVid1`)}`);
    await popup.close();
    assert.equal(await page.evaluate(() => localStorage.getItem('fanfare-fediverse-server')), 'piaille.fr', 'remembered for next time');
    assert.match(await page.inputValue('#embed-code'), /<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/PublicVid1"/);
  });

  it('hides the keyboard hint on touch screens', async () => {
    const { page } = browser;
    await page.goto(`${base}/v/PublicVid1`);
    assert.ok(await page.locator('.keyboard-hint').isVisible(), 'shown with a mouse');
    const cdp = await browser.context.newCDPSession(page);
    // A touch screen as DevTools emulates one: (hover: none) and (pointer: coarse) match.
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    assert.equal(await page.locator('.keyboard-hint').isVisible(), false, 'hidden on a touch screen');
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
    await cdp.detach();
  });

  it('links a web app manifest Chromium reads without an error, with its 192 and 512 pixel icons', async () => {
    const { page } = browser;
    await page.goto(`${base}/`);
    const cdp = await browser.context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[]; data?: string };
    await cdp.detach();
    assert.equal(manifest.url, `${base}/manifest.webmanifest`);
    assert.deepEqual(manifest.errors, [], 'Chromium parsed the manifest without an error');
    const parsed = JSON.parse(manifest.data!) as { icons: { src: string; sizes: string; type: string }[] };
    for (const size of ['192x192', '512x512']) {
      const icon = parsed.icons.find((i) => i.sizes === size && i.type === 'image/png');
      assert.ok(icon, `a ${size} PNG icon is listed`);
      // Chromium draws the PNG at its stated size.
      const drawn = await page.evaluate(async (src) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        return `${image.naturalWidth}x${image.naturalHeight}`;
      }, icon.src);
      assert.equal(drawn, size);
    }
  });
});
