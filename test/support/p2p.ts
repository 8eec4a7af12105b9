import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Chromium flags for WebRTC between headless browsers on one machine: real loopback candidates, not mDNS names. */
export const WEBRTC_LOOPBACK_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'];

/** What the player's P2P script counts (window.fanfareP2PStats). */
export interface PlayerP2PStats {
  peer: number;
  http: number;
  uploaded: number;
  rejected: number;
  peers: number;
}

/** A `seconds`-long `size` H.264/AAC clip (lavfi test pattern), made with the ffmpeg on PATH. */
export function makeLongClip(dir: string, seconds: number, size = '640x360'): string {
  const file = path.join(dir, `clip-${seconds}s.mp4`);
  execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
    { stdio: 'inherit' },
  );
  return file;
}

/** Uploads `clip` from the Studio (the owner is logged in on `page`), waits until it is ready, makes it public; returns its watch path. */
export async function uploadReadyVideo(page: Page, baseUrl: string, handle: string, clip: string, timeoutMs: number): Promise<string> {
  await page.goto(`${baseUrl}/studio/channels/${handle}/upload`);
  await page.setInputFiles('#field-file', clip);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.waitForURL(/\/studio\/videos\/[^/?]+\?notice=uploaded$/, { timeout: 60_000 });
  const editUrl = page.url().replace(/\?.*$/, '');
  await page.getByText('The video is ready.').or(page.getByRole('alert')).waitFor({ timeout: timeoutMs });
  const watch = (await page.getByRole('link', { name: 'Watch it', exact: true }).getAttribute('href'))!;
  await page.check('input[name=visibility][value=public]');
  await page.locator('form', { has: page.locator('input[name=visibility]') }).getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(`${editUrl}?notice=saved`);
  return watch;
}

/** Opens a watch page and starts playback, muted. */
export async function watchMuted(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('video').evaluate((video: HTMLVideoElement) => {
    video.muted = true;
    void video.play();
  });
}

/** The player's P2P counters, or undefined when the page has no P2P. */
export function p2pStats(page: Page): Promise<PlayerP2PStats | undefined> {
  return page.evaluate(() => {
    const stats = (window as unknown as { fanfareP2PStats?: PlayerP2PStats }).fanfareP2PStats;
    return stats ? { ...stats } : undefined;
  });
}
