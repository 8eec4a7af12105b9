import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../accounts/index.js';
import type { AppDeps } from '../core/deps.js';
import { clientIp } from '../core/http/client-ip.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../core/http/errors.js';
import { readForm } from '../core/http/form.js';
import { pageEnv } from '../core/http/layout.js';
import { hitRateLimit } from '../core/http/rate-limit.js';
import { canWatch, findVideoById, findVideoByShortId, type ViewerLookup } from '../videos/index.js';
import { P2PStudioPage } from './pages.js';
import * as q from './queries.js';

/** The most one report may add to each counter: a viewer reports every few seconds, never gigabytes at once. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;
/** Reports accepted per client address per minute (several viewers may share an address behind NAT). */
export const REPORTS_PER_MINUTE = 60;
/** Videos listed on the Studio page, those with the most reported bytes first. */
const STUDIO_LIST = 100;

const reportBody = z.object({
  peer: z.number().int().min(0).max(MAX_REPORT_BYTES),
  http: z.number().int().min(0).max(MAX_REPORT_BYTES),
}).strict();

const settingsForm = z.object({ default: z.enum(['on', 'off']) });

/**
 * The players' byte report (JSON, `api` area) and the Studio page with the site default and the share of
 * bytes each video got from peers.
 */
export function p2pRoutes(deps: AppDeps, viewerFor: ViewerLookup) {
  const api = new Hono<AppEnv>();
  const studio = new Hono<AppEnv>();

  // A viewer's counters since its last report: only for a video they may watch, bounded and rate-limited.
  api.post('/api/p2p/videos/:shortId/bytes', async (c) => {
    const now = deps.clock.now();
    await hitRateLimit(deps.db, { bucket: `p2p-bytes:${clientIp(c, deps.config.trustProxy)}`, limit: REPORTS_PER_MINUTE, windowSeconds: 60, now });
    const video = await findVideoByShortId(deps.db, c.req.param('shortId'));
    if (!video || !canWatch(video, await viewerFor(deps.db, c.var.user, video.channel_id, now, video.id), now)) throw new NotFoundError('video.not_found');
    const body = reportBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) throw new BadRequestError('p2p.report_invalid');
    if (body.data.peer + body.data.http > 0) await q.addVideoBytes(deps.db, video.id, body.data.peer, body.data.http, now);
    return c.body(null, 204);
  });

  const ownerOnly = (c: AppContext) => {
    if (requireUser(c).siteRole !== 'owner') throw new ForbiddenError('studio.owner_only');
  };

  studio.get('/p2p', async (c) => {
    ownerOnly(c);
    const rows = await q.topVideoBytes(deps.db, STUDIO_LIST);
    const videos = await Promise.all(rows.map(async (row) => ({ ...row, video: await findVideoById(deps.db, row.video_id) })));
    return c.html(
      <P2PStudioPage env={pageEnv(c, true)} enabledByDefault={await q.siteDefault(deps.db)} videos={videos.flatMap((v) => (v.video ? [{ ...v, title: v.video.title, shortId: v.video.short_id }] : []))} saved={c.req.query('saved') === '1'} />,
    );
  });

  studio.post('/p2p', async (c) => {
    ownerOnly(c);
    const form = settingsForm.safeParse(await readForm(c));
    if (!form.success) throw new BadRequestError('p2p.setting_invalid');
    await q.setSiteDefault(deps.db, form.data.default === 'on');
    return c.redirect('/studio/p2p?saved=1', 303);
  });

  return { api, studio };
}
