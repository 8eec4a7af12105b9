import { z } from 'zod';
import { defineConfig, envBoolean } from '../core/config.js';

/** The downloads capability's settings. */
export interface DownloadsSettings {
  /** External tracker announce URLs put in every .torrent and magnet (none by default). */
  trackers: string[];
  /** Run the embedded tracker (HTTP and WebSocket) and announce it; off by default. */
  embeddedTracker: boolean;
}

/** TORRENT_TRACKERS (comma-separated http(s)/udp/ws(s) URLs), EMBEDDED_TRACKER (boolean, default false). */
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
    })
    .transform((e) => ({ trackers: e.TORRENT_TRACKERS, embeddedTracker: e.EMBEDDED_TRACKER })),
);
