// In Chromium, against the real server: the creator builds a bundle in the Studio (files uploaded with tus),
// one fan unlocks it by e-mail (the confirmation link read from the outbox), another pays more than the
// average on the test bank and gets the bonus file; both download a file and the whole-bundle ZIP.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, requireChromium, screenshot, setUpSiteInBrowser, type Browser } from '../support/browser.js';
import { confirmToken, defaultBundleFiles } from '../support/bundles.js';
import { readOutbox } from '../support/harness.js';
import { startServer, type RunningServer } from '../support/server.js';

const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a bundle in Chromium: built in the Studio, unlocked by e-mail and by paying above the average', () => {
  let server: RunningServer;
  let workDir: string;
  let owner: Browser;
  const fans: Browser[] = [];
  const files = defaultBundleFiles(30_000);

  before(async () => {
    requireChromium();
    workDir = mkdtempSync(path.join(tmpdir(), 'fanfare-bundle-'));
    for (const f of files) writeFileSync(path.join(workDir, f.filename), f.bytes);
    server = await startServer();
    owner = await openBrowser();
  });
  after(async () => {
    await owner?.close().catch(() => {});
    for (const fan of fans) await fan.close().catch(() => {});
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('lets the creator build and publish a bundle, uploading its files', { timeout: 180_000 }, async () => {
    const { page } = owner;
    await setUpSiteInBrowser(page, server.url, OWNER);
    await page.goto(`${server.url}/studio/channels/camille/bundles`);
    await page.fill('#field-title', 'First album');
    await page.fill('#field-slug', 'first-album');
    await page.fill('#field-description', 'An **album** with its booklet.');
    await page.check('input[name=published]');
    await page.check('input[name=unlock_by_payment]');
    await page.check('input[name=bonus_above_average]');
    await page.fill('#field-minimum', '2');
    await page.fill('#field-suggested', '5');
    await page.getByRole('button', { name: 'Create the bundle' }).click();
    await page.waitForURL(/\/studio\/bundles\/[0-9a-f-]{36}$/);
    const editUrl = page.url();
    for (const file of files) {
      await page.setInputFiles('#field-file', path.join(workDir, file.filename));
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.waitForURL(/notice=saved/);
      await page.goto(editUrl);
      const row = page.getByRole('row', { name: new RegExp(file.filename.replace('.', '\\.')) });
      await row.getByRole('combobox').selectOption(file.access);
      await row.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(editUrl);
    }
    await screenshot(page, 'bundle-studio');
  });

  async function download(page: Page, linkName: RegExp | string): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).first().click()]);
    const saved = path.join(workDir, `dl-${Math.random().toString(36).slice(2)}`);
    await file.saveAs(saved);
    return readFileSync(saved);
  }

  async function zipNames(zip: Buffer): Promise<string[]> {
    // Central directory entries: signature PK\1\2, name length at +28, name at +46.
    const names: string[] = [];
    for (let at = zip.indexOf('PK\u0001\u0002'); at >= 0; at = zip.indexOf('PK\u0001\u0002', at + 4)) {
      names.push(zip.subarray(at + 46, at + 46 + zip.readUInt16LE(at + 28)).toString());
    }
    return names.sort();
  }

  it('unlocks the bundle for a fan who confirms their e-mail address, who then downloads a file and the ZIP', { timeout: 120_000 }, async () => {
    const fan = await openBrowser();
    fans.push(fan);
    const { page } = fan;
    await page.goto(`${server.url}/b/first-album`);
    await page.getByText('DRM-free').waitFor();
    await page.fill('#field-email', 'ana@example.org');
    await page.check('input[name=consent]');
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByText('Check your inbox').waitFor();
    const token = confirmToken(readOutbox(path.join(server.dataDir, 'outbox')), 'ana@example.org');
    await page.goto(`${server.url}/b/confirm?token=${token}`);
    await page.getByRole('button', { name: 'Confirm and unlock' }).click();
    await page.waitForURL(/\/b\/first-album\/access\?/);
    await screenshot(page, 'bundle-access-email');
    assert.equal(await page.getByRole('link', { name: 'stems.zip' }).count(), 0, 'no bonus for an e-mail unlock');
    assert.equal(sha(await download(page, 'booklet.pdf')), sha(files[1]!.bytes));
    const zip = await download(page, 'Everything as one ZIP');
    assert.deepEqual(await zipNames(zip), ['first-album/booklet.pdf', 'first-album/cover art.png', 'first-album/song.mp3']);
    // The link cannot be used twice.
    await page.goto(`${server.url}/b/confirm?token=${token}`);
    await page.getByText('This link was already used').waitFor();
  });

  it('gives the bonus file to a fan who pays more than the average, on the test bank', { timeout: 120_000 }, async () => {
    const fan = await openBrowser();
    fans.push(fan);
    const { page } = fan;
    await page.goto(`${server.url}/b/first-album`);
    await page.getByText('Average paid so far').waitFor();
    await page.fill('#field-amount', '7');
    await page.fill('#pay-unlock #field-email', 'ben@example.org');
    await page.getByRole('button', { name: 'Pay and unlock' }).click();
    await page.waitForURL(/\/pay\/test\/cs_test_[\w-]+/);
    await page.fill('#field-number', '4242 4242 4242 4242');
    await page.fill('#field-expiry', '12/34');
    await page.fill('#field-cvc', '123');
    await page.getByRole('button', { name: /^Pay / }).click();
    // The paid page refreshes itself until the bank's webhook is applied, then sends the fan to their files.
    await page.waitForURL(/\/b\/first-album\/access\?/, { timeout: 60_000 });
    await page.getByText('more than the average').waitFor();
    await screenshot(page, 'bundle-access-paid');
    assert.equal(sha(await download(page, 'stems.zip')), sha(files[3]!.bytes));
    const zip = await download(page, 'Everything as one ZIP');
    assert.deepEqual(await zipNames(zip), ['first-album/booklet.pdf', 'first-album/cover art.png', 'first-album/song.mp3', 'first-album/stems.zip']);
  });
});
