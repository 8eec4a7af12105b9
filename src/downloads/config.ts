import { z } from 'zod';
import { defineConfig, envBoolean } from '../core/config.js';

/** The downloads capability's settings. */
export interface DownloadsSettings {
  /** External tracker announce URLs put in every .torrent and magnet (none by default). */
  trackers: string[];
  /** Run the embedded tracker (HTTP and WebSocket) and announce it; off by default. */
  embeddedTracker: boolean;
  /** Port of the embedded tracker (its own listener: HTTP announces and WebSocket on one port). */
  trackerPort: number;
  /** Public base URL of the embedded tracker (`http(s)://host:port`), when a proxy puts it elsewhere. */
  trackerUrl: string | undefined;
}

/**
 * TORRENT_TRACKERS (comma-separated http(s)/udp/ws(s) URLs), EMBEDDED_TRACKER (boolean, default false),
 * TRACKER_PORT (default 8000), TRACKER_URL (default: PUBLIC_URL's host on TRACKER_PORT).
 */
export const downloadsConfig = defineConfig<DownloadsSettings>(
  'downloads',
  z
    .object({
      TORRENT_TRACKERS: z
        .string()
        .default('')
        .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^(https?|udp|wss?):\/\/[^\s]+$/, 'expected tracker URLs (http, https, udp, ws, wss)'))),
      EMBEDDED_TRACKER: envBoolean().default(false),
      TRACKER_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
      TRACKER_URL: z.string().regex(/^https?:\/\/[^\s/]+$/, 'expected http(s)://host:port').optional(),
    })
    .transform((e) => ({ trackers: e.TORRENT_TRACKERS, embeddedTracker: e.EMBEDDED_TRACKER, trackerPort: e.TRACKER_PORT, trackerUrl: e.TRACKER_URL })),
);

/**
 * Every announce URL a torrent of this site lists: the external ones, then the embedded tracker's HTTP
 * and WebSocket announces when it runs. None by default.
 */
export function announceUrls(settings: DownloadsSettings, publicUrl: string): string[] {
  if (!settings.embeddedTracker) return settings.trackers;
  const base = settings.trackerUrl ?? `${new URL(publicUrl).protocol}//${new URL(publicUrl).hostname}:${settings.trackerPort}`;
  return [...settings.trackers, `${base}/announce`, `${base.replace(/^http/, 'ws')}`];
}
