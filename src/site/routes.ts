import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context, type Handler } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { etagMatches } from '../core/http/compression.js';
import { THEME_COLOR } from '../core/http/layout.js';
import { NotFoundError } from '../core/http/errors.js';
import type { DiskSpace } from '../core/storage/disk-space.js';
import { clientAssets } from '../web/bundle.js';

const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');
/** The PNG sizes of the icon (src/web/icon-<size>.png): what Android's install prompt and splash screen want. */
const ICON_SIZES = [192, 512] as const;

/** Probes and static assets: what load balancers and browsers fetch outside any capability. */
export function siteRoutes(deps: AppDeps, disk: () => Promise<DiskSpace | undefined>) {
  const app = new Hono<AppEnv>();

  // Liveness and readiness in one: answers 200 only when the database answers. A disk running out of
  // space still serves pages (200) but says so (`status: "low_disk"`), for monitoring to alert on.
  app.get('/healthz', async (c) => {
    try {
      await deps.db.query('SELECT 1');
    } catch (error) {
      deps.log.warn({ err: error }, 'health check failed');
      return c.json({ status: 'unavailable' }, 503);
    }
    const space = await disk();
    const status = space?.low ? 'low_disk' : 'ok';
    if (space?.low) deps.log.warn({ freeBytes: space.freeBytes }, 'low disk space in the data folder');
    return c.json({ status, database: deps.db.engine, ...(space ? { disk: { freeBytes: space.freeBytes, totalBytes: space.totalBytes, low: space.low } } : {}) });
  });

  // The site's icon (also answered at /favicon.ico, which browsers ask for on their own) and its web app
  // manifest, so a fan can add the site to a phone's home screen under the site's own name.
  // The PNGs are the SVG drawn at the sizes install prompts ask for (scripts/make-icons.mjs).
  const serveFile = (file: string, type: string) => {
    const bytes = readFileSync(path.join(WEB_DIR, file));
    const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 16)}"`;
    return (c: Context<AppEnv>) => {
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.body(bytes, 200, { 'Content-Type': type, ETag: etag, 'Cache-Control': 'public, max-age=86400' });
    };
  };
  const serveIcon = serveFile('icon.svg', 'image/svg+xml');
  app.get('/assets/icon.svg', serveIcon);
  app.get('/favicon.ico', serveIcon);
  for (const size of ICON_SIZES) app.get(`/assets/icon-${size}.png`, serveFile(`icon-${size}.png`, 'image/png'));
  app.get('/manifest.webmanifest', (c) => {
    const name = c.var.site?.name ?? 'Fanfare';
    const manifest = {
      name,
      short_name: name.length > 12 ? `${name.slice(0, 11)}…` : name,
      lang: c.var.locale,
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: THEME_COLOR,
      icons: [
        { src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ...ICON_SIZES.map((size) => ({ src: `/assets/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose: 'any' })),
      ],
    };
    return c.body(JSON.stringify(manifest), 200, { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600', Vary: 'Accept-Language, Cookie' });
  });

  // Client scripts and the stylesheet (web/bundle.ts): hashed names are cached forever, the plain
  // aliases (`/assets/player.js`, for pages rendered before the assets were loaded) revalidate.
  const asset: Handler<AppEnv> = async (c) => {
    const found = (await clientAssets()).get(c.req.param('name') ?? new URL(c.req.url).pathname.slice('/assets/'.length));
    if (!found) throw new NotFoundError();
    const cacheControl = found.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    if (etagMatches(c.req.header('if-none-match'), found.etag)) return c.body(null, 304, { ETag: found.etag, 'Cache-Control': cacheControl });
    return c.body(found.body, 200, { 'Content-Type': found.contentType, ETag: found.etag, 'Cache-Control': cacheControl });
  };
  app.get('/assets/style.css', asset);
  app.get('/assets/:name{[a-z-]+\\.js}', asset);
  app.get('/assets/:name{[A-Za-z0-9_-]+\\.(js|css)}', asset);

  return app;
}
