import { Hono } from 'hono';
import { requireUser } from '../../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { assetPath } from '../../core/http/asset-paths.js';
import { formatBytes, UnauthorizedError } from '../../core/http/errors.js';
import { pageEnv, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { getJob } from '../../core/jobs/index.js';
import { StudioLayout } from '../../studio/index.js';
import { createTakeoutUploadServer, listTakeoutUploads, TAKEOUT_UPLOAD_PATH, type TakeoutUploadRow } from './studio-upload.js';

type ShownUpload = TakeoutUploadRow & { progress: number | null };

/** What an import came to, in the viewer's words: progress, counts and what was left out, or why nothing was imported. */
function outcome(t: PageEnv['t'], u: ShownUpload): string {
  if (u.status === 'queued') return t('moving.youtube_queued', { percent: u.progress ?? 0 });
  if (u.status === 'done' && u.report) {
    const done = t('moving.youtube_done', { imported: u.report.imported.length, skipped: u.report.skipped.length });
    const ignored = u.report.ignored ?? [];
    return ignored.length ? `${done} ${t('moving.youtube_ignored', { files: ignored.map((i) => i.path.split('/').pop()).join(', ') })}` : done;
  }
  const reason = t((u.error_key ?? 'moving.youtube_crashed') as MessageKey);
  return u.error_key === 'moving.youtube_crashed' || !u.error_key ? reason : t('moving.youtube_failed', { reason, detail: u.error_detail ?? '' });
}

function TakeoutPage({ env, channel, uploads, maxBytes }: { env: PageEnv; channel: ChannelRow; uploads: ShownUpload[]; maxBytes: number }) {
  const { t } = env;
  const messages = { uploading: t('upload.uploading'), resuming: t('upload.resuming'), processing: t('upload.processing'), failed: t('upload.failed'), retrying: t('upload.retrying') };
  return (
    <StudioLayout env={env} title={`${t('moving.youtube_title')} · ${channel.name}`}>
      <h1>{`${t('moving.youtube_title')} · ${channel.name}`}</h1>
      <p>{t('moving.youtube_intro', { max: formatBytes(maxBytes) })}</p>
      <form method="post" action={`${TAKEOUT_UPLOAD_PATH}/`} class="stack" data-upload data-channel={channel.handle} data-csrf={env.csrfToken} data-messages={JSON.stringify(messages)}>
        <input id="field-file" type="file" name="file" accept=".zip,application/zip" aria-label={t('upload.file')} required />
        <button type="submit">{t('moving.youtube_button')}</button>
      </form>
      <progress data-upload-progress hidden max={100} value={0} aria-label={t('upload.progress')} />
      <p data-upload-status role="status" aria-live="polite" />
      {uploads.length === 0 ? null : (
        <section aria-labelledby="takeout-heading">
          <h2 id="takeout-heading">{t('moving.youtube_heading')}</h2>
          <ul class="imports">
            {uploads.map((u) => (
              <li data-status={u.status}>
                {`${u.requested_at.toISOString().slice(0, 10)} · ${u.filename} · `}
                {u.status === 'failed' ? <span class="error" role="alert">{outcome(t, u)}</span> : outcome(t, u)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <script type="module" src={assetPath('upload.js')} />
    </StudioLayout>
  );
}

/** The Studio's "Import from YouTube" page of a channel (admins), as HTML or JSON (`Accept: application/json`). */
export function takeoutStudioRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/channels/:handle/youtube', async (c) => {
    const channel = await channelForAdmin(deps.db, requireUser(c), c.req.param('handle'));
    const uploads = await Promise.all(
      (await listTakeoutUploads(deps.db, channel.id)).map(async (u) => ({ ...u, progress: u.status === 'queued' && u.job_id ? ((await getJob(deps.db, Number(u.job_id)))?.progress ?? null) : null })),
    );
    if ((c.req.header('accept') ?? '').includes('application/json')) {
      return c.json({ imports: uploads.map((u) => ({ id: u.id, status: u.status, progress: u.progress, report: u.report, message: outcome(c.var.t, u) })) });
    }
    return c.html(<TakeoutPage env={pageEnv(c, true)} channel={channel} uploads={uploads} maxBytes={deps.config.maxUploadBytes} />);
  });
  return app;
}

/** The resumable upload endpoint of Takeout archives (mounted with a streamed body and JSON errors). */
export function takeoutUploadRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let uploads: ReturnType<typeof createTakeoutUploadServer> | undefined;
  const tus = (c: AppContext) => {
    if (!c.var.user) throw new UnauthorizedError();
    return (uploads ??= createTakeoutUploadServer(deps)).handle(c.req.raw, { user: c.var.user, t: c.var.t });
  };
  // (Hono routes HEAD through GET handlers, hence GET in the list; tus answers a GET with 405.)
  app.on(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'], '/takeout-uploads/*', tus);
  app.post('/takeout-uploads', tus);
  return app;
}
