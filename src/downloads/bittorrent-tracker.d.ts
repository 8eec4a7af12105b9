// The part of bittorrent-tracker's (untyped) server API that tracker.ts uses.
declare module 'bittorrent-tracker' {
  import type { Server as HttpServer } from 'node:http';
  export interface ServerOptions {
    http?: boolean;
    udp?: boolean;
    ws?: boolean;
    stats?: boolean;
    trustProxy?: boolean;
    interval?: number;
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void;
  }
  export class Server {
    constructor(options?: ServerOptions);
    http: HttpServer | null;
    listen(port: number, hostname: string, onListening?: () => void): void;
    close(cb?: () => void): void;
    on(event: 'error' | 'warning', listener: (err: Error) => void): this;
    on(event: 'listening', listener: () => void): this;
  }
}
