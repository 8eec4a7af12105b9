import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { latestMagicToken } from './harness.js';
import { REPO_ROOT } from './server.js';

/** Debian's chromium; installed by scripts/ensure-system-packages.sh (npm test's pretest). */
export const CHROMIUM = '/usr/bin/chromium';
/** Where browser tests keep their screenshots (git-ignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A fresh Chromium with an empty profile (no cookies, no localStorage), asking for English pages.
 * The flags keep it off the network this machine does not have (background services, updates, QUIC).
 */
export async function openBrowser(options: { args?: string[] } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'fanfare-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.args ?? [])],
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A 640x360 H.264/AAC clip of `seconds` (default 4), made with the ffmpeg on PATH. */
export function makeClip(dir: string, seconds = 4): string {
  const file = path.join(dir, 'clip.mp4');
  execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
    { stdio: 'inherit' },
  );
  return file;
}

/** Fails with the command to run when Debian's chromium is missing; makes the screenshot folder. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with: bash scripts/ensure-system-packages.sh chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** Fills the first-run setup form (no avatar) and waits for the Studio: the owner is then logged in on `page`. */
export async function setUpSiteInBrowser(page: Page, baseUrl: string, owner: { name: string; email: string; password: string; handle: string }): Promise<void> {
  await page.goto(`${baseUrl}/setup`);
  await page.fill('#field-display_name', owner.name);
  await page.fill('#field-email', owner.email);
  await page.fill('#field-password', owner.password);
  await page.fill('#field-channel_name', 'Camille fait des films');
  await page.fill('#field-handle', owner.handle);
  await page.getByRole('button', { name: 'Create my site' }).click();
  await page.waitForURL(/\/studio\?notice=setup_done$/);
}

/** Signs a fan up on `page` (the form, then the magic link from the outbox) and waits until they are logged in. */
export async function signUpInBrowser(page: Page, baseUrl: string, outboxDir: string, fan: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.fill('#field-display_name', fan.name);
  await page.fill('#field-email', fan.email);
  await page.fill('#field-password', fan.password);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL(/\/login\/sent$/);
  await page.goto(`${baseUrl}/auth/magic?token=${latestMagicToken(outboxDir, fan.email)}`);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForURL(/\/\?notice=logged_in$/);
}
