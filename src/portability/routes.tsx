import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { assetPath } from '../core/http/asset-paths.js';
import { ForbiddenError, formatBytes, NotFoundError, UnauthorizedError } from '../core/http/errors.js';
import type { MessageKey } from '../core/i18n/index.js';
import { CsrfField, pageEnv, type PageEnv } from '../core/http/layout.js';
import { getJob } from '../core/jobs/index.js';
import { serveStoredFile } from '../core/storage/index.js';
import { StudioLayout } from '../studio/index.js';
import type { PeerTubeImportReport } from './peertube-import.js';
import * as q from './queries.js';
import { checkExportLink, exportLink, requestExport } from './studio-export.js';
import { ARCHIVE_UPLOAD_PATH, createArchiveUploadServer } from './studio-import.js';

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

type ShownUpload = q.UploadRow & { progress: number | null };

function ImportPage({ env, uploads, maxBytes }: { env: PageEnv; uploads: ShownUpload[]; maxBytes: number }) {
  const { t } = env;
  const messages = { uploading: t('upload.uploading'), resuming: t('upload.resuming'), processing: t('upload.processing'), failed: t('upload.failed'), retrying: t('upload.retrying') };
  return (
    <StudioLayout env={env} title={t('portability.import_title')}>
      <h1>{t('portability.import_title')}</h1>
      <p>{t('portability.import_intro', { max: formatBytes(maxBytes) })}</p>
      <form method="post" action={`${ARCHIVE_UPLOAD_PATH}/`} class="stack" data-upload data-csrf={env.csrfToken} data-messages={JSON.stringify(messages)}>
        <input id="field-file" type="file" name="file" accept=".zip,application/zip" aria-label={t('upload.file')} required />
        <button type="submit">{t('portability.import_button')}</button>
      </form>
      <progress data-upload-progress hidden max={100} value={0} aria-label={t('upload.progress')} />
      <p data-upload-status role="status" aria-live="polite" />
      {uploads.length === 0 ? null : (
        <section aria-labelledby="imports-heading">
          <h2 id="imports-heading">{t('portability.imports_heading')}</h2>
          <ul class="imports">
            {uploads.map((u) => (
              <li data-status={u.status}>
                {`${u.requested_at.toISOString().slice(0, 10)} · ${u.filename} · `}
                {u.status === 'queued' ? t('portability.import_queued', { percent: u.progress ?? 0 }) : null}
                {u.status === 'done' && u.report?.handle ? (
                  <>
                    {u.report.alreadyImported ? t('portability.import_again') : t('portability.import_done')}{' '}
                    <a href={`/studio/channels/${u.report.handle}`}>{`@${u.report.handle}`}</a>
                    {u.report.peertube ? <PeerTubeSummary report={u.report.peertube} t={t} /> : null}
                  </>
                ) : null}
                {u.status === 'failed' ? <span class="error" role="alert">{t((u.error_key ?? 'portability.import_failed') as MessageKey, u.error_vars ?? {})}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      )}
      <script type="module" src={assetPath('upload.js')} />
    </StudioLayout>
  );
}

/** What a PeerTube archive brought, and what the creator still has to do (followers cannot be moved for them). */
function PeerTubeSummary({ report, t }: { report: PeerTubeImportReport; t: AppContext['var']['t'] }) {
  return (
    <ul class="peertube-summary">
      <li>{t('portability.peertube_summary', { videos: report.videos.imported, comments: report.comments.imported })}</li>
      {report.videos.withoutFile.length ? <li>{t('portability.peertube_without_file', { count: report.videos.withoutFile.length, titles: report.videos.withoutFile.join(', ') })}</li> : null}
      {report.followers.kept ? <li>{t('portability.peertube_followers', { count: report.followers.kept })}</li> : null}
    </ul>
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

  // Importing a channel creates one: the site owner's business.
  const ownerOnly = (c: AppContext) => {
    if (requireUser(c).siteRole !== 'owner') throw new ForbiddenError();
  };

  app.get('/import', async (c) => {
    ownerOnly(c);
    const uploads = await Promise.all(
      (await q.listUploads(deps.db)).map(async (u) => ({ ...u, progress: u.status === 'queued' && u.job_id ? ((await getJob(deps.db, Number(u.job_id)))?.progress ?? null) : null })),
    );
    if ((c.req.header('accept') ?? '').includes('application/json')) {
      return c.json({ imports: uploads.map((u) => ({ id: u.id, status: u.status, progress: u.progress, report: u.report, error: u.error_key ? c.var.t(u.error_key as MessageKey, u.error_vars ?? {}) : null })) });
    }
    return c.html(<ImportPage env={pageEnv(c, true)} uploads={uploads} maxBytes={deps.config.maxUploadBytes} />);
  });

  return app;
}

/** The resumable upload endpoint of archives to import (mounted with a streamed body and JSON errors). */
export function archiveUploadRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let uploads: ReturnType<typeof createArchiveUploadServer> | undefined;
  const tus = (c: AppContext) => {
    if (!c.var.user) throw new UnauthorizedError();
    return (uploads ??= createArchiveUploadServer(deps)).handle(c.req.raw, { user: c.var.user, t: c.var.t });
  };
  // (Hono routes HEAD through GET handlers, hence GET in the list; tus answers a GET with 405.)
  app.on(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'], '/archive-uploads/*', tus);
  app.post('/archive-uploads', tus);
  return app;
}
