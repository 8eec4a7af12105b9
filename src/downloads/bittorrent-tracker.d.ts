// The part of bittorrent-tracker's (untyped) server API that tracker.ts uses.
declare module 'bittorrent-tracker' {
  import type { Server as HttpServer } from 'node:http';
  export interface ServerOptions {
    http?: boolean;
    udp?: boolean;
    /** `{ noServer: true }`: no listener of its own; the caller hands it upgrades (P2P's tracker on the site's port). */
    ws?: boolean | { noServer: true };
    stats?: boolean;
    trustProxy?: boolean;
    interval?: number;
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void;
  }
  export class Server {
    constructor(options?: ServerOptions);
    http: HttpServer | null;
    /** The WebSocket server (ws's WebSocketServer), when `ws` is not false. */
    ws: {
      handleUpgrade(req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer, done: (client: unknown) => void): void;
      emit(event: 'connection', client: unknown, req: import('node:http').IncomingMessage): boolean;
    } | null;
    listen(port: number, hostname: string, onListening?: () => void): void;
    close(cb?: () => void): void;
    on(event: 'error' | 'warning', listener: (err: Error) => void): this;
    on(event: 'listening', listener: () => void): this;
  }
}
