import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { makeClip, openBrowser, requireChromium, setUpSiteInBrowser, signUpInBrowser, screenshot as saveScreenshot, type Browser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
const FAN = { name: 'Sacha', email: 'sacha@example.org', password: 'a long fan password' };
const TRANSCODE_TIMEOUT_MS = 180_000;
/** The campaign ends this long after it is launched (whole minutes in UTC, so 2 to 3 minutes). */
const CAMPAIGN_MINUTES = 3;

const screenshot = (page: Page, name: string) => saveScreenshot(page, `campaign-${name}`);

describe('a fan backs a campaign in Chromium: pledge → deadline → charged → watches the backers-only video', () => {
  let server: RunningServer;
  let workDir: string;
  let owner: Browser;
  let fan: Browser;
  let episode = '';
  let campaignPage = '';

  before(async () => {
    requireChromium();
    workDir = mkdtempSync(path.join(tmpdir(), 'fanfare-clip-'));
    server = await startServer({ env: { CAMPAIGN_CHARGES_PER_SECOND: '0' } });
    owner = await openBrowser();
    fan = await openBrowser();
  });

  after(async () => {
    await owner?.close().catch(() => {});
    await fan?.close().catch(() => {});
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('the creator uploads the episode (members-only), drafts a campaign, attaches the episode and launches', { timeout: TRANSCODE_TIMEOUT_MS + 120_000 }, async () => {
    const { page } = owner;
    await setUpSiteInBrowser(page, server.url, OWNER);
    await page.goto(`${server.url}/studio/channels/${OWNER.handle}/upload`);
    await page.setInputFiles('#field-file', makeClip(workDir));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(/\/studio\/videos\/[^/?]+\?notice=uploaded$/, { timeout: 60_000 });
    const editUrl = page.url().replace(/\?.*$/, '');
    await page.getByText('The video is ready.').or(page.getByRole('alert')).waitFor({ timeout: TRANSCODE_TIMEOUT_MS });
    episode = (await page.getByRole('link', { name: 'Watch it', exact: true }).getAttribute('href'))!;
    await page.fill('#field-title', 'Season 2, episode 1');
    await page.check('input[name=visibility][value=members]');
    await page.locator('form', { has: page.locator('input[name=visibility]') }).getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(`${editUrl}?notice=saved`);

    await page.goto(`${server.url}/studio/channels/${OWNER.handle}/campaigns`);
    const deadline = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + (CAMPAIGN_MINUTES - 1) * 60_000).toISOString().slice(0, 16);
    await page.fill('#field-title', 'Season 2');
    await page.fill('#field-slug', 'season-2');
    await page.fill('#field-description', 'If enough of you pre-order, **season 2** is made.');
    await page.fill('#field-goal', '10.00');
    await page.fill('#field-currency', 'EUR');
    await page.fill('#field-min_pledge', '5.00');
    await page.fill('#field-deadline', deadline);
    await page.fill('#field-time_zone', 'UTC');
    await page.getByRole('button', { name: 'Create the draft', exact: true }).click();
    await page.waitForURL(/\/studio\/channels\/camille\/campaigns\/[0-9a-f-]+$/);
    await page.fill('#field-video', episode);
    await page.getByRole('button', { name: 'Attach the video', exact: true }).click();
    await page.getByText('Season 2, episode 1').waitFor();
    await page.getByRole('button', { name: 'Launch the campaign', exact: true }).click();
    await page.waitForURL(/\?notice=campaign_launched$/);
    await page.getByText('The campaign is live.').waitFor();
    await screenshot(page, 'studio');
    campaignPage = `${server.url}/c/${OWNER.handle}/campaigns/season-2`;
  });

  it('the fan signs up and pledges: the card is saved, nothing is charged', { timeout: 120_000 }, async () => {
    const { page } = fan;
    await signUpInBrowser(page, server.url, path.join(server.dataDir, 'outbox'), FAN);

    assert.equal((await page.goto(`${server.url}${episode}`))?.status(), 404, 'the episode is for backers');
    await page.goto(campaignPage);
    await page.getByLabel('Amount').fill('12.00');
    await screenshot(page, 'pledge-form');
    await page.getByRole('button', { name: 'Back it (nothing charged now)', exact: true }).click();
    await page.waitForURL(/\/pay\/test\/cs_test_[\w-]+(#pledge)?$/);
    await page.getByText('Nothing is charged now').waitFor();
    await page.fill('#field-number', '4242 4242 4242 4242');
    await page.fill('#field-expiry', '12/34');
    await page.fill('#field-cvc', '123');
    await page.getByRole('button', { name: 'Save card', exact: true }).click();
    await page.waitForURL(/campaigns\/season-2\?pledged=1/);
    // The bank's webhook comes through the job queue: reload until the pledge counts.
    await expectText(page, campaignPage, /Your pledge: €12\.00 — Pledged/, 60_000);
    await screenshot(page, 'pledged');
  });

  it('at the deadline the pledge is collected and the fan watches the episode', { timeout: (CAMPAIGN_MINUTES + 3) * 60_000 }, async () => {
    const { page } = fan;
    await expectText(page, `${server.url}/account/pledges`, /Collected/, (CAMPAIGN_MINUTES + 2) * 60_000);
    await screenshot(page, 'collected');
    const opened = await page.goto(`${server.url}${episode}`);
    assert.equal(opened?.status(), 200);
    await page.getByRole('heading', { name: 'Season 2, episode 1' }).waitFor();
    await page.evaluate(async () => {
      const video = document.querySelector('video')!;
      video.muted = true;
      await video.play();
    });
    await page.waitForFunction(() => document.querySelector('video')!.currentTime > 1, undefined, { timeout: 30_000 });
    await screenshot(page, 'episode-playing');
    await owner.page.goto(`${server.url}/studio/channels/${OWNER.handle}/campaigns`);
    await owner.page.getByRole('link', { name: 'Season 2' }).click();
    await owner.page.locator('[data-campaign-state="successful"]').waitFor();
    assert.equal(await owner.page.locator('td[data-pledge-status="collected"]').count(), 1);
  });
});

/** Reloads `url` every 2 s until its text matches (the worker runs jobs in the background). */
async function expectText(page: Page, url: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url);
    if (pattern.test(await page.locator('main').innerText())) return;
    if (Date.now() > until) assert.fail(`${url} never showed ${pattern}: ${await page.locator('main').innerText()}`);
    await page.waitForTimeout(2000);
  }
}
