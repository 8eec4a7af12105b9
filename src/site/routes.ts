import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { etagMatches } from '../core/http/compression.js';
import { NotFoundError } from '../core/http/errors.js';
import type { DiskSpace } from '../core/storage/disk-space.js';
import { clientAssets } from '../web/bundle.js';

const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

/** Probes and static assets: what load balancers and browsers fetch outside any capability. */
export function siteRoutes(deps: AppDeps, disk: () => Promise<DiskSpace | undefined>) {
  const app = new Hono<AppEnv>();
  const css = readFileSync(path.join(WEB_DIR, 'style.css'));
  const cssEtag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 16)}"`;

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

  app.get('/assets/style.css', (c) => {
    if (etagMatches(c.req.header('if-none-match'), cssEtag)) return c.body(null, 304);
    return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', ETag: cssEtag, 'Cache-Control': 'public, max-age=3600' });
  });

  // Client scripts, bundled at first use (see web/bundle.ts). Names carry no hash, so they revalidate.
  app.get('/assets/:name{[a-z-]+\\.js}', async (c) => {
    const asset = (await clientAssets()).get(c.req.param('name'));
    if (!asset) throw new NotFoundError();
    if (etagMatches(c.req.header('if-none-match'), asset.etag)) return c.body(null, 304);
    return c.body(asset.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ETag: asset.etag, 'Cache-Control': 'public, max-age=300' });
  });

  return app;
}
