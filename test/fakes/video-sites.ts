import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** A 1×1 PNG, and the first bytes of a JPEG: enough for the magic-byte check. */
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg==', 'base64');
export const JPEG_BYTES = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]), Buffer.alloc(64, 7)]);

/** Other video sites on 127.0.0.1, for the resolver and Studio tests. */
export interface TestSites {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Paths requested, with the Accept header each sent. */
  requests: { path: string; accept: string; host: string }[];
  close(): Promise<void>;
}

const AP_TYPE = 'application/activity+json';

function page(head: string, body = '<p>A page.</p>'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void;

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

function routes(): Record<string, Handler> {
  return {
    // A PeerTube-like video: ActivityPub on request, HTML otherwise; the author is given by URI only.
    '/videos/watch/ap': (req, res, base) => {
      if ((req.headers.accept ?? '').includes(AP_TYPE)) {
        send(res, 200, `${AP_TYPE}; charset=utf-8`, JSON.stringify({
          '@context': ['https://www.w3.org/ns/activitystreams'],
          type: 'Video',
          id: `${base}/videos/watch/ap`,
          name: 'Building a  canoe',
          url: [
            { type: 'Link', mediaType: 'video/mp4', href: `${base}/static/canoe.mp4` },
            { type: 'Link', mediaType: 'text/html', href: `${base}/w/canoe` },
          ],
          icon: [
            { type: 'Image', url: `${base}/thumb-small.png`, mediaType: 'image/png', width: 280 },
            { type: 'Image', url: `${base}/thumb.png`, mediaType: 'image/png', width: 560 },
          ],
          attributedTo: [
            { type: 'Person', id: `${base}/accounts/ana` },
            { type: 'Group', id: `${base}/video-channels/woodwork` },
          ],
        }));
      } else {
        send(res, 200, 'text/html', page('<title>Canoe</title>'));
      }
    },
    // An object claiming another host's id is not trusted; the page's own Open Graph is used instead.
    '/ap-foreign-id': (req, res, base) => {
      if ((req.headers.accept ?? '').includes(AP_TYPE)) {
        send(res, 200, AP_TYPE, JSON.stringify({ type: 'Video', id: 'https://other.example/videos/1', name: 'Impostor', url: 'https://other.example/w/1' }));
      } else {
        send(res, 200, 'text/html', page(`<meta property="og:title" content="Honest page"><meta property="og:type" content="video"><meta property="og:url" content="${base}/ap-foreign-id">`));
      }
    },
    // Hostile values in a genuine object: a script URL and markup in the name.
    '/ap-hostile': (_req, res, base) =>
      send(res, 200, AP_TYPE, JSON.stringify({
        type: ['Video'], id: `${base}/ap-hostile`, nameMap: { en: '<script>alert(1)</script> Clip' }, url: 'javascript:alert(1)',
        icon: { type: 'Image', url: 'file:///etc/passwd' }, attributedTo: 'javascript:alert(2)',
      })),
    '/video-channels/woodwork': (_req, res, base) =>
      send(res, 200, AP_TYPE, JSON.stringify({ type: 'Group', id: `${base}/video-channels/woodwork`, name: 'Ana’s woodwork', url: `${base}/c/woodwork` })),
    '/accounts/ana': (_req, res, base) => send(res, 200, AP_TYPE, JSON.stringify({ type: 'Person', id: `${base}/accounts/ana`, name: 'Ana' })),
    // A page that answers ActivityPub requests with 406 and announces oEmbed.
    '/oembed-video': (req, res, base) => {
      if ((req.headers.accept ?? '').includes(AP_TYPE)) return send(res, 406, 'text/plain', 'Not Acceptable');
      send(res, 200, 'text/html; charset=utf-8', page(
        `<title>Fallback</title><link rel="alternate" type="application/json+oembed" href="/oembed?url=${encodeURIComponent(`${base}/oembed-video`)}&amp;format=json">` +
          `<meta property="og:image" content="${base}/thumb.jpg">`,
      ));
    },
    '/oembed': (_req, res, base) =>
      send(res, 200, 'application/json', JSON.stringify({
        version: '1.0', type: 'video', title: 'Night &amp; fog — a short', author_name: 'Léa', author_url: `${base}/c/lea`, provider_name: 'Léa’s films',
        thumbnail_url: `${base}/thumb.jpg`, html: '<iframe></iframe>',
      })),
    // Open Graph only, entities and odd attribute order included; the canonical address differs.
    '/og-video': (_req, res, base) =>
      send(res, 200, 'text/html; charset=utf-8', page(
        `<meta content="Rock &amp; roll, live" property="og:title"><meta property="og:type" content="video.other">` +
          `<meta property="og:image" content="/thumb.png"><meta property="og:site_name" content="Stage TV">` +
          `<meta property="og:url" content="${base}/og-video?ref=canonical"><meta property="article:author" content="Sam Stage">` +
          `<meta property="og:video" content="${base}/embed/1">`,
      )),
    '/og-foreign-canonical': (_req, res) =>
      send(res, 200, 'text/html', page('<meta property="og:title" content="Elsewhere"><meta property="og:type" content="video"><meta property="og:url" content="https://other.example/stolen">')),
    '/gzip-video': (_req, res) =>
      send(res, 200, 'text/html', gzipSync(page('<meta property="og:title" content="Squeezed"><meta property="og:type" content="video.movie">')), { 'content-encoding': 'gzip' }),
    '/article': (_req, res) => send(res, 200, 'text/html', page('<meta property="og:title" content="Just words"><meta property="og:type" content="article"><title>Words</title>')),
    '/plain': (_req, res) => send(res, 200, 'text/plain', 'hello'),
    '/not-found': (_req, res) => send(res, 404, 'text/html', page('<title>Not found</title>')),
    '/thumb.png': (_req, res) => send(res, 200, 'image/png', PNG_BYTES),
    '/thumb-small.png': (_req, res) => send(res, 200, 'image/png', PNG_BYTES),
    '/thumb.jpg': (_req, res) => send(res, 200, 'image/jpeg', JPEG_BYTES),
    '/fake-image.png': (_req, res) => send(res, 200, 'image/png', page('<title>I am HTML</title>')),
    '/og-fake-thumb': (_req, res) =>
      send(res, 200, 'text/html', page('<meta property="og:title" content="Bad picture"><meta property="og:type" content="video"><meta property="og:image" content="/fake-image.png">')),
    '/redirect-3': (_req, res) => send(res, 302, 'text/plain', '', { location: '/redirect-2' }),
    '/redirect-2': (_req, res) => send(res, 301, 'text/plain', '', { location: '/redirect-1' }),
    '/redirect-1': (_req, res, base) => send(res, 307, 'text/plain', '', { location: `${base}/og-video` }),
    '/redirect-loop': (_req, res) => send(res, 302, 'text/plain', '', { location: '/redirect-loop' }),
    '/redirect-private': (_req, res) => send(res, 302, 'text/plain', '', { location: 'http://169.254.169.254/latest/meta-data/' }),
    '/redirect-loopback-v6': (_req, res, base) => send(res, 302, 'text/plain', '', { location: `http://[::1]:${new URL(base).port}/og-video` }),
    '/redirect-javascript': (_req, res) => send(res, 302, 'text/plain', '', { location: 'javascript:alert(1)' }),
    // Answers after 5 s: longer than the tests' time limits.
    '/slow': (_req, res) => {
      const timer = setTimeout(() => send(res, 200, 'text/html', page('<meta property="og:title" content="Late">')), 5000);
      res.on('close', () => clearTimeout(timer));
    },
    // 3 MB of head that never ends: nothing can be read within the limit.
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Huge</title>');
      const chunk = `<meta name="filler" content="${'x'.repeat(1000)}">`.repeat(64);
      let sent = 0;
      const pump = () => {
        while (sent < 3 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('</head><body></body></html>');
      };
      res.on('error', () => undefined);
      pump();
    },
    // A normal head followed by 3 MB of body: the head is all the resolver needs.
    '/huge-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(3 * 1024 * 1024) });
      const head = page('<meta property="og:title" content="Long page"><meta property="og:type" content="video">').replace('</body></html>', '');
      res.on('error', () => undefined);
      res.write(head);
      res.end('y'.repeat(3 * 1024 * 1024 - Buffer.byteLength(head)));
    },
    '/echo-host': (req, res) => send(res, 200, 'text/plain', String(req.headers.host)),
  };
}

/** Starts the test sites on 127.0.0.1 on a free port. */
export async function startTestSites(): Promise<TestSites> {
  const requests: TestSites['requests'] = [];
  const table = routes();
  let base = '';
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, accept: String(req.headers.accept ?? ''), host: String(req.headers.host ?? '') });
    const handler = table[path];
    if (handler) handler(req, res, base);
    else send(res, 404, 'text/plain', 'no such page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
