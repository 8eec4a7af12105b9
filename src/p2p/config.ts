import { z } from 'zod';
import { defineConfig, envBoolean } from '../core/config.js';

/** The P2P capability's settings. */
export interface P2PSettings {
  /** Offer peer-to-peer playback at all (the creator then picks the fans' default in the Studio). */
  enabled: boolean;
  /** Run the WebSocket tracker inside the web process, on its port, under `trackerPath`. */
  embeddedTracker: boolean;
  /** Where the embedded tracker answers WebSocket upgrades (`/tracker`). */
  trackerPath: string;
  /** External WebSocket trackers (wss://…) players announce to as well; none by default. */
  trackers: string[];
  /** STUN servers (stun:host:port) players use to find their public address; none by default. */
  stunServers: string[];
}

const list = (pattern: RegExp, message: string) =>
  z
    .string()
    .default('')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(pattern, message)));

/**
 * P2P (boolean, default true), P2P_EMBEDDED_TRACKER (boolean, default true), P2P_TRACKER_PATH (default
 * /tracker), P2P_TRACKERS (comma-separated ws(s):// URLs, default none), P2P_STUN_SERVERS (comma-separated
 * stun:/turn: URLs, default none).
 */
export const p2pConfig = defineConfig<P2PSettings>(
  'p2p',
  z
    .object({
      P2P: envBoolean().default(true),
      P2P_EMBEDDED_TRACKER: envBoolean().default(true),
      P2P_TRACKER_PATH: z.string().regex(/^\/[a-z0-9/_-]{1,100}$/, 'expected a path such as /tracker').default('/tracker'),
      P2P_TRACKERS: list(/^wss?:\/\/[^\s,]+$/, 'expected WebSocket tracker URLs (ws:// or wss://)'),
      P2P_STUN_SERVERS: list(/^(stun|stuns|turn|turns):[^\s,]+$/, 'expected stun: or turn: URLs'),
    })
    .transform((e) => ({
      enabled: e.P2P,
      embeddedTracker: e.P2P_EMBEDDED_TRACKER,
      trackerPath: e.P2P_TRACKER_PATH,
      trackers: e.P2P_TRACKERS,
      stunServers: e.P2P_STUN_SERVERS,
    })),
);

/** The announce URLs players use: the embedded tracker (same host and port as the site) first, then external ones. */
export function trackerUrls(settings: P2PSettings, publicUrl: string): string[] {
  const site = new URL(publicUrl);
  const embedded = `${site.protocol === 'https:' ? 'wss' : 'ws'}://${site.host}${settings.trackerPath}`;
  return settings.embeddedTracker ? [embedded, ...settings.trackers] : settings.trackers;
}
