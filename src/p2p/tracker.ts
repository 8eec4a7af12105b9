import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'bittorrent-tracker';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** What the tracker needs of the site's server: its WebSocket upgrades. */
export interface UpgradeSource {
  on(event: 'upgrade', listener: UpgradeListener): unknown;
  off(event: 'upgrade', listener: UpgradeListener): unknown;
}

/** Options of {@link attachTracker}. */
export interface AttachTrackerOptions {
  /** Upgrades to this path (`/tracker`) go to the tracker; others are left to the server's other listeners. */
  path: string;
  /** The site's origin: browsers send it on every WebSocket upgrade; other pages' scripts are refused. */
  origin: string;
  trustProxy: boolean;
  onWarning?: (error: Error) => void;
}

/** The tracker attached to the site's server. */
export interface AttachedTracker {
  close(): Promise<void>;
}

/**
 * Mounts bittorrent-tracker's WebSocket tracker on the site's own HTTP server, under `path`: the player's
 * P2P engine announces there and peers exchange their WebRTC offers through it, so viewers find each other
 * with no outside service and no second port. Only the site's own pages may use it (Origin check): it is
 * not an open signalling relay for other sites. It learns viewers' addresses, as the site already does.
 */
export function attachTracker(server: UpgradeSource, options: AttachTrackerOptions): AttachedTracker {
  const tracker = new Server({ http: false, udp: false, stats: false, ws: { noServer: true }, trustProxy: options.trustProxy, interval: 30_000 });
  tracker.on('warning', (error) => options.onWarning?.(error));
  tracker.on('error', (error) => options.onWarning?.(error));
  const onUpgrade: UpgradeListener = (req, socket, head) => {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== options.path) return;
    if (req.headers.origin !== options.origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tracker.ws!.handleUpgrade(req, socket, head, (client) => tracker.ws!.emit('connection', client, req));
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((done) => {
        server.off('upgrade', onUpgrade);
        tracker.close(() => done());
      }),
  };
}
