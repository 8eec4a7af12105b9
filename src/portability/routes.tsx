import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { formatBytes, NotFoundError } from '../core/http/errors.js';
import { CsrfField, pageEnv, type PageEnv } from '../core/http/layout.js';
import { getJob } from '../core/jobs/index.js';
import { serveStoredFile } from '../core/storage/index.js';
import { StudioLayout } from '../studio/index.js';
import * as q from './queries.js';
import { checkExportLink, exportLink, requestExport } from './studio-export.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type ShownExport = q.ExportRow & { progress: number | null; link: string | null };

function ExportPage({ env, channel, exports }: { env: PageEnv; channel: ChannelRow; exports: ShownExport[] }) {
  const { t } = env;
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
  return (
    <StudioLayout env={env} title={`${t('portability.studio_title')} · ${channel.name}`}>
      <h1>{`${t('portability.studio_title')} · ${channel.name}`}</h1>
      <p>{t('portability.export_intro')}</p>
      <form method="post" action={`/studio/channels/${channel.handle}/export`}>
        <CsrfField env={env} />
        <button type="submit">{t('portability.export_button')}</button>
      </form>
      {exports.length === 0 ? null : (
        <section aria-labelledby="exports-heading">
          <h2 id="exports-heading">{t('portability.exports_heading')}</h2>
          <ul class="exports">
            {exports.map((e) => (
              <li data-status={e.status}>
                {`${day(e.requested_at)} · `}
                {e.status === 'queued' ? t('portability.export_queued', { percent: e.progress ?? 0 }) : null}
                {e.status === 'ready' && e.link ? (
                  <>
                    <a href={e.link} download>{t('portability.export_download')}</a>
                    {` (${formatBytes(Number(e.bytes ?? 0))}) · ${t('portability.export_until', { date: day(e.expires_at) })}`}
                  </>
                ) : null}
                {e.status === 'expired' ? t('portability.export_expired') : null}
                {e.status === 'failed' ? t('portability.export_failed') : null}
              </li>
            ))}
          </ul>
        </section>
      )}
    </StudioLayout>
  );
}

/** The Studio's export page of a channel and the archive downloads (channel admins only). */
export function portabilityStudioRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const channelOf = (c: AppContext) => channelForAdmin(deps.db, requireUser(c), c.req.param('handle') ?? '');

  app.get('/channels/:handle/export', async (c) => {
    const channel = await channelOf(c);
    const rows = await q.listExports(deps.db, channel.id);
    const now = deps.clock.now().getTime();
    const exports = await Promise.all(
      rows.map(async (row) => ({
        ...row,
        progress: row.status === 'queued' && row.job_id ? ((await getJob(deps.db, Number(row.job_id)))?.progress ?? null) : null,
        link: row.status === 'ready' && row.expires_at && row.expires_at.getTime() > now ? exportLink(deps.signingSecret, channel.handle, row) : null,
      })),
    );
    if ((c.req.header('accept') ?? '').includes('application/json')) {
      return c.json({ exports: exports.map((e) => ({ id: e.id, status: e.status, progress: e.progress, link: e.link, bytes: e.bytes === null ? null : Number(e.bytes), expiresAt: e.expires_at })) });
    }
    return c.html(<ExportPage env={pageEnv(c, true)} channel={channel} exports={exports} />);
  });

  app.post('/channels/:handle/export', async (c) => {
    const channel = await channelOf(c);
    const id = await requestExport(deps, channel.id, requireUser(c).id);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ exportId: id }, 202);
    return c.redirect(`/studio/channels/${channel.handle}/export?notice=saved`, 303);
  });

  app.get('/channels/:handle/exports/:id/archive.zip', async (c) => {
    const channel = await channelOf(c);
    const id = c.req.param('id');
    const row = UUID.test(id) ? await q.findExport(deps.db, id) : undefined;
    if (row && row.channel_id !== channel.id) throw new NotFoundError();
    const ready = checkExportLink(deps.signingSecret, row, { expires: c.req.query('expires'), sig: c.req.query('sig') }, deps.clock.now());
    const res = await serveStoredFile(c, deps.storage, ready.storage_key!, { cacheControl: 'private, no-store', contentType: 'application/zip', cache: null });
    res.headers.set('Content-Disposition', `attachment; filename="${channel.handle}-${ready.id.slice(0, 8)}.zip"`);
    return res;
  });

  return app;
}
