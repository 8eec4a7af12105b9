// Peer-to-peer segments for the player (loaded only on pages whose player has a `data-p2p` part, before
// player.js): p2p-media-loader's hls.js engine, with every peer segment checked against the rendition's
// SHA-256 hash list, the fan's switch remembered in localStorage, and byte counters reported to the site.
import type Hls from 'hls.js';
import { HlsJsP2PEngine } from 'p2p-media-loader-hlsjs';
import type { PlayerP2PConfig } from './p2p-config.js';


/** What the page (and tests, the benchmark) can read of this player's P2P. */
export interface P2PStats {
  peer: number;
  http: number;
  uploaded: number;
  rejected: number;
  peers: number;
}

/** What player.ts gets: the hls.js class to construct, the options to add, and a hook once it exists. */
export interface P2PPlayer {
  Hls: typeof Hls;
  options: Record<string, unknown>;
  attach(hls: Hls): void;
}

const CHOICE_KEY = 'fanfare.p2p';
const REPORT_EVERY_MS = 10_000;

function remembered(defaultOn: boolean): boolean {
  try {
    const choice = localStorage.getItem(CHOICE_KEY);
    return choice === 'on' ? true : choice === 'off' ? false : defaultOn;
  } catch {
    return defaultOn;
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks a peer's segment against the hash list of its rendition (fetched once per rendition). */
function segmentValidator(config: PlayerP2PConfig, stats: P2PStats) {
  const lists = new Map<string, Promise<Record<string, string>>>();
  const listFor = (rendition: string) => {
    let list = lists.get(rendition);
    if (!list) {
      const url = config.hashes[rendition];
      list = url ? fetch(url, { credentials: 'same-origin' }).then((r) => (r.ok ? (r.json() as Promise<Record<string, string>>) : {})) : Promise.resolve({});
      list.catch(() => lists.delete(rendition));
      lists.set(rendition, list);
    }
    return list;
  };
  return async (url: string, byteRange: unknown, data: ArrayBuffer): Promise<boolean> => {
    let ok = false;
    try {
      const parts = new URL(url, location.href).pathname.split('/');
      const [rendition, file] = parts.slice(-2);
      const expected = byteRange === undefined && rendition && file ? (await listFor(rendition))[file] : undefined;
      ok = expected !== undefined && hex(await crypto.subtle.digest('SHA-256', data)) === expected;
    } catch {
      ok = false;
    }
    if (!ok) stats.rejected++;
    return ok;
  };
}

function setupSwitch(root: HTMLElement, on: boolean, apply: (on: boolean) => void): void {
  const toggle = root.querySelector<HTMLInputElement>('input[data-p2p-toggle]');
  if (!toggle) return;
  toggle.checked = on;
  toggle.setAttribute('aria-describedby', 'p2p-privacy');
  toggle.addEventListener('change', () => {
    try {
      localStorage.setItem(CHOICE_KEY, toggle.checked ? 'on' : 'off');
    } catch {
      // Private modes without storage: the choice holds for this page only.
    }
    apply(toggle.checked);
  });
}

function setupReports(config: PlayerP2PConfig, csrf: string | undefined, stats: P2PStats): void {
  const sent = { peer: 0, http: 0 };
  const send = () => {
    const delta = { peer: stats.peer - sent.peer, http: stats.http - sent.http };
    if (delta.peer + delta.http === 0) return;
    sent.peer = stats.peer;
    sent.http = stats.http;
    void fetch(config.reportUrl, {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body: JSON.stringify(delta),
    }).catch(() => undefined);
  };
  setInterval(send, REPORT_EVERY_MS);
  addEventListener('pagehide', send);
}

function p2pPlayer(HlsBase: typeof Hls, root: HTMLElement): P2PPlayer | undefined {
  const part = root.querySelector<HTMLElement>('[data-p2p]');
  if (!part || !('RTCPeerConnection' in window) || !crypto.subtle) return undefined;
  const config = JSON.parse(part.dataset.p2p!) as PlayerP2PConfig;
  const stats: P2PStats = { peer: 0, http: 0, uploaded: 0, rejected: 0, peers: 0 };
  (window as unknown as { fanfareP2PStats?: P2PStats }).fanfareP2PStats = stats;
  const on = remembered(config.defaultOn);
  const HlsWithP2P = HlsJsP2PEngine.injectMixin(HlsBase) as unknown as typeof Hls;
  const options = {
    p2p: {
      core: {
        swarmId: config.swarmId,
        announceTrackers: config.trackers,
        rtcConfig: { iceServers: config.stun.map((urls) => ({ urls })) },
        validateP2PSegment: segmentValidator(config, stats),
        isP2PDisabled: !on,
      },
    },
  };
  return {
    Hls: HlsWithP2P,
    options,
    attach(hls) {
      const engine = (hls as unknown as { p2pEngine: HlsJsP2PEngine }).p2pEngine;
      engine.addEventListener('onSegmentLoaded', (details) => {
        if (details.downloadSource === 'p2p') stats.peer += details.bytesLength;
        else stats.http += details.bytesLength;
      });
      engine.addEventListener('onChunkUploaded', (bytes) => (stats.uploaded += bytes));
      engine.addEventListener('onPeerConnect', () => stats.peers++);
      engine.addEventListener('onPeerClose', () => stats.peers--);
      setupSwitch(root, on, (now) => engine.applyDynamicConfig({ core: { isP2PDisabled: !now } }));
      setupReports(config, part.dataset.csrf, stats);
    },
  };
}

(window as unknown as { fanfareP2P?: typeof p2pPlayer }).fanfareP2P = p2pPlayer;
