import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { latestMagicToken } from '../support/harness.js';
import { openBrowser, requireChromium, screenshot as saveScreenshot, type Browser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const FAN = { name: 'Sacha', email: 'sacha@example.org', password: 'a long fan password' };

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

/** Waits for the header of a signed-in page: its account menu ("My account" in English, "Mon compte" in French). */
async function expectLoggedIn(page: Page, accountMenu = 'My account'): Promise<void> {
  await page.getByRole('navigation').locator('summary', { hasText: accountMenu }).waitFor();
}

async function expectLoggedOut(page: Page, loginLink = 'Log in'): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: loginLink, exact: true }).waitFor();
}

async function logOut(page: Page, button = 'Log out', loginLink = 'Log in'): Promise<void> {
  await page.getByRole('navigation').locator('summary').click(); // opens the account menu
  await page.getByRole('navigation').getByRole('button', { name: button, exact: true }).click();
  await expectLoggedOut(page, loginLink);
}

const screenshot = (page: Page, name: string) => saveScreenshot(page, `${name}`);

describe('a visit in Chromium to the real server', () => {
  let server: RunningServer;
  let avatarDir: string;
  const browsers: Browser[] = [];
  const open = async () => {
    const browser = await openBrowser();
    browsers.push(browser);
    return browser.page;
  };

  before(async () => {
    requireChromium();
    avatarDir = mkdtempSync(path.join(tmpdir(), 'fanfare-avatar-'));
    writeFileSync(path.join(avatarDir, 'avatar.png'), PNG_1x1);
    server = await startServer();
  });

  after(async () => {
    for (const browser of browsers) await browser.close().catch(() => {});
    await server?.close();
    if (avatarDir) rmSync(avatarDir, { recursive: true, force: true });
  });

  /** Asks for a link on the login form and follows it, checking each link is a new one. */
  const usedTokens = new Set<string>();
  async function followMagicLink(page: Page): Promise<void> {
    const token = latestMagicToken(path.join(server.dataDir, 'outbox'), FAN.email);
    assert.ok(!usedTokens.has(token), 'a new e-mail with a new link was sent');
    usedTokens.add(token);
    await page.goto(`${server.url}/auth/magic?token=${token}`);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL(/\/\?notice=logged_in$/);
  }

  async function askForMagicLink(page: Page): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.fill('#field-email', FAN.email);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL(/\/login\/sent$/);
    await followMagicLink(page);
  }

  async function logInWithPassword(page: Page, submit = 'Log in'): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.fill('#field-email', FAN.email);
    await page.fill('#field-password', FAN.password);
    await page.getByRole('button', { name: submit, exact: true }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('sends a first visitor to setup, where the first Tab reaches "Skip to content"', { timeout: 120_000 }, async () => {
    const page = await open();
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, '/setup');
    assert.equal(await htmlLang(page), 'en');

    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLAnchorElement | null;
      return { text: el?.textContent?.trim(), href: el?.getAttribute('href') };
    });
    assert.deepEqual(focused, { text: 'Skip to content', href: '#main' });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to the main content');
    await screenshot(page, 'setup-form');
  });

  it('sets up the site from the form, avatar included, and lands the owner in the Studio', { timeout: 120_000 }, async () => {
    const page = browsers[0]!.page;
    await page.fill('#field-display_name', 'Camille');
    await page.fill('#field-email', 'camille@example.org');
    await page.fill('#field-password', 'correct horse battery');
    await page.fill('#field-channel_name', 'Camille fait des films');
    await page.fill('#field-handle', 'camille');
    await page.fill('#field-description', 'Des courts métrages.');
    // A French channel set up from an English form: the owner's Studio stays in English.
    await page.selectOption('#field-channel_language', 'fr');
    await page.setInputFiles('#field-avatar', path.join(avatarDir, 'avatar.png'));
    await page.getByRole('button', { name: 'Create my site' }).click();
    await page.waitForURL(/\/studio\?notice=setup_done$/);

    await page.getByText('Your site is ready. Welcome to your Studio!').waitFor();
    await page.getByText('Camille fait des films').first().waitFor();
    await expectLoggedIn(page);
    await screenshot(page, 'studio');
    await logOut(page);
  });

  it('signs a fan up by e-mail link, with a password, and logs them in', { timeout: 120_000 }, async () => {
    const page = await open();
    await page.goto(`${server.url}/signup`);
    await page.fill('#field-display_name', FAN.name);
    await page.fill('#field-email', FAN.email);
    await page.fill('#field-password', FAN.password);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.waitForURL(/\/login\/sent$/);
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

    await followMagicLink(page);
    await expectLoggedIn(page);
    await page.getByText('You are logged in.').waitFor();
    await screenshot(page, 'signed-up-home');
  });

  it('lets the fan log out, then back in with the password and with a new e-mail link', { timeout: 120_000 }, async () => {
    const page = browsers[1]!.page;
    await logOut(page);
    await logInWithPassword(page);
    await expectLoggedIn(page);

    await logOut(page);
    await askForMagicLink(page);
    await expectLoggedIn(page);
  });

  it('switches to French with the header button and keeps French after a reload and a new login', { timeout: 120_000 }, async () => {
    const page = browsers[1]!.page;
    await page.getByRole('button', { name: 'Switch the interface to Français' }).click();
    await page.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    await expectLoggedIn(page, 'Mon compte');
    await page.getByRole('button', { name: "Passer l'interface en English" }).waitFor();
    await screenshot(page, 'french');

    await page.reload();
    assert.equal(await htmlLang(page), 'fr');
    await expectLoggedIn(page, 'Mon compte');

    await logOut(page, 'Se déconnecter', 'Se connecter');
    assert.equal(await htmlLang(page), 'fr');
    await logInWithPassword(page, 'Se connecter');
    assert.equal(await htmlLang(page), 'fr');
    await expectLoggedIn(page, 'Mon compte');
  });

  it('remembers French in the account, so a browser that never chose it shows French once logged in', { timeout: 120_000 }, async () => {
    const page = await open();
    await page.goto(`${server.url}/login`);
    assert.equal(await htmlLang(page), 'en', 'a new browser starts in its own language');
    await askForMagicLink(page);
    assert.equal(await htmlLang(page), 'fr');
    await expectLoggedIn(page, 'Mon compte');
  });
});
