// npm run bench:p2p — 5 Chromium viewers (separate profiles, started 5 s apart) watch the same 2-minute
// video on loopback, first with P2P on, then with P2P off (the site default switched in the Studio), in
// the same run against the same server. Measures the share of segment bytes received from peers, the
// bytes the site served in both runs, and the longest stall (`waiting` until `playing`) of any viewer.
// Writes bench/results/p2p.json {ratio, goal, peerShare, maxStallMs, viewers, ...}; ratio is the peer share.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openBrowser, requireChromium, setUpSiteInBrowser, type Browser } from '../test/support/browser.js';
import { makeLongClip, p2pStats, uploadReadyVideo, WEBRTC_LOOPBACK_ARGS, type PlayerP2PStats } from '../test/support/p2p.js';
import { startServer } from '../test/support/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '120' },
    gap: { type: 'string', default: '5' },
    output: { type: 'string', default: path.join(here, 'results', 'p2p.json') },
  },
});
const VIEWERS = Number(values.viewers);
const SECONDS = Number(values.seconds);
const GAP_MS = Number(values.gap) * 1000;
/** Goal of the issue: at least half of the segment bytes from peers. */
const GOAL = 0.5;
const STALL_GOAL_MS = 1000;
const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };

interface ViewerResult extends PlayerP2PStats {
  siteBytes: number;
  stalls: number;
  maxStallMs: number;
}

/** Counts `waiting` → `playing` intervals in the page (after playback started), for the stall figures. */
async function trackStalls(browser: Browser): Promise<void> {
  await browser.page.evaluate(() => {
    const video = document.querySelector('video')!;
    const record = { stalls: 0, maxStallMs: 0, since: 0, started: false };
    (window as unknown as { fanfareStalls: typeof record }).fanfareStalls = record;
    video.addEventListener('playing', () => {
      if (record.since) record.maxStallMs = Math.max(record.maxStallMs, performance.now() - record.since);
      record.since = 0;
      record.started = true;
    });
    video.addEventListener('waiting', () => {
      if (!record.started || video.ended) return;
      record.stalls++;
      record.since = performance.now();
    });
  });
}

async function runPhase(watchUrl: string, label: string): Promise<ViewerResult[]> {
  const browsers: Browser[] = [];
  try {
    const finished: Promise<ViewerResult>[] = [];
    for (let i = 0; i < VIEWERS; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      const browser = await openBrowser({ args: WEBRTC_LOOPBACK_ARGS });
      browsers.push(browser);
      // What the site served this viewer, counted on the wire (the P2P counters are not fed when P2P is off).
      let siteBytes = 0;
      browser.page.on('response', (response) => {
        if (/\/media\/v\/.+\.(m4s|mp4)$/.test(new URL(response.url()).pathname)) siteBytes += Number(response.headers()['content-length'] ?? 0);
      });
      await browser.page.goto(watchUrl);
      await trackStalls(browser);
      await browser.page.locator('video').evaluate((video: HTMLVideoElement) => {
        video.muted = true;
        void video.play();
      });
      console.log(`${label}: viewer ${i + 1} started`);
      finished.push(
        (async () => {
          await browser.page.waitForFunction(() => document.querySelector('video')!.ended, undefined, { timeout: (SECONDS + 120) * 1000, polling: 1000 });
          const stats = (await p2pStats(browser.page)) ?? { peer: 0, http: 0, uploaded: 0, rejected: 0, peers: 0 };
          const stalls = await browser.page.evaluate(() => (window as unknown as { fanfareStalls: { stalls: number; maxStallMs: number } }).fanfareStalls);
          return { ...stats, siteBytes, stalls: stalls.stalls, maxStallMs: Math.round(stalls.maxStallMs) };
        })(),
      );
    }
    return await Promise.all(finished);
  } finally {
    for (const browser of browsers) await browser.close().catch(() => undefined);
  }
}

requireChromium();
const work = mkdtempSync(path.join(tmpdir(), 'fanfare-bench-p2p-'));
const server = await startServer();
const owner = await openBrowser();
try {
  await setUpSiteInBrowser(owner.page, server.url, OWNER);
  const clip = makeLongClip(work, SECONDS, '640x360');
  const watchUrl = `${server.url}${await uploadReadyVideo(owner.page, server.url, OWNER.handle, clip, 900_000)}`;
  await owner.page.goto(`${server.url}/studio`);

  const on = await runPhase(watchUrl, 'P2P on');
  // Same viewers, same server: the site default switched off in the Studio (fresh profiles never chose).
  await owner.page.goto(`${server.url}/studio/p2p`);
  await owner.page.check('input[name=default][value=off]');
  await owner.page.getByRole('button', { name: 'Save' }).click();
  await owner.page.waitForURL(/saved=1/);
  const off = await runPhase(watchUrl, 'P2P off');

  const sum = (rows: ViewerResult[], key: 'peer' | 'http' | 'siteBytes') => rows.reduce((total, r) => total + r[key], 0);
  const peerShare = sum(on, 'peer') / Math.max(1, sum(on, 'peer') + sum(on, 'http'));
  const maxStallMs = Math.max(0, ...on.map((r) => r.maxStallMs));
  const result = {
    ratio: Math.round(peerShare * 1000) / 1000,
    goal: GOAL,
    peerShare: Math.round(peerShare * 1000) / 1000,
    maxStallMs,
    stallGoalMs: STALL_GOAL_MS,
    viewers: VIEWERS,
    videoSeconds: SECONDS,
    startGapSeconds: GAP_MS / 1000,
    siteBytesP2P: sum(on, 'siteBytes'),
    siteBytesNoP2P: sum(off, 'siteBytes'),
    siteBytesSaved: Math.round((1 - sum(on, 'siteBytes') / Math.max(1, sum(off, 'siteBytes'))) * 1000) / 1000,
    maxStallMsNoP2P: Math.max(0, ...off.map((r) => r.maxStallMs)),
    rejectedSegments: on.reduce((total, r) => total + r.rejected, 0),
    perViewer: on.map(({ peer, http, uploaded, stalls, maxStallMs }) => ({ peer, http, uploaded, stalls, maxStallMs })),
    chromiumFlags: WEBRTC_LOOPBACK_ARGS,
    date: new Date().toISOString(),
  };
  mkdirSync(path.dirname(values.output!), { recursive: true });
  writeFileSync(values.output!, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ ratio: result.ratio, goal: result.goal, peerShare: result.peerShare, maxStallMs, viewers: VIEWERS, siteBytesSaved: result.siteBytesSaved }));
} finally {
  await owner.close().catch(() => undefined);
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
