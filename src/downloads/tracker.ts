import { Server } from 'bittorrent-tracker';
import type { AddressInfo } from 'node:net';

/** Options of {@link startEmbeddedTracker}. */
export interface EmbeddedTrackerOptions {
  host: string;
  /** 0 for any free port (tests). */
  port: number;
  /** Answers whether the site shared this torrent: other info hashes are refused (not an open tracker). */
  isKnown: (infoHash: string) => Promise<boolean>;
  trustProxy?: boolean;
  onWarning?: (error: Error) => void;
}

/** A running embedded tracker. */
export interface EmbeddedTracker {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts bittorrent-tracker's server for HTTP announces (`/announce`) and WebSocket ones (browsers'
 * WebTorrent), on one port, without UDP or the stats page. Off unless EMBEDDED_TRACKER is set: most sites
 * need no tracker at all, the web seed being enough, and a tracker learns every fan's address.
 */
export function startEmbeddedTracker(options: EmbeddedTrackerOptions): Promise<EmbeddedTracker> {
  const server = new Server({
    http: true,
    ws: true,
    udp: false,
    stats: false,
    trustProxy: options.trustProxy ?? false,
    // Peers re-announce every 30 s: a swarm of the site's fans is small, and quick to form matters more.
    interval: 30_000,
    filter: (infoHash, _params, cb) => {
      options.isKnown(infoHash).then(
        (known) => cb(known ? null : new Error('this tracker only tracks the site’s own torrents')),
        (error: Error) => cb(error),
      );
    },
  });
  server.on('warning', (error) => options.onWarning?.(error));
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port, options.host, () => {
      const port = (server.http!.address() as AddressInfo).port;
      resolve({ port, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
