import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { findChannelByHandle, roleOnChannel } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { ForbiddenError, formatBytes, NotFoundError } from '../core/http/errors.js';
import { readForm, textFields, validateForm } from '../core/http/form.js';
import { noticeFrom, pageEnv } from '../core/http/layout.js';
import { getJob } from '../core/jobs/index.js';
import type { MessageKey } from '../core/i18n/index.js';
import { ChannelVideosPage, UploadPage, VideoEditPage } from './pages/studio.js';
import * as q from './queries.js';
import { viewStats, viewTotals } from './views.js';
import { captionSchema, metadataSchema, parseChapters, zonedTimeToUtc } from './schema.js';
import { deleteVideo, retryTranscode, videoForTeam } from './service.js';
import { checkThumbnail, checkWebVtt } from './uploads-check.js';
import type { createUploadServer } from './upload/tus.js';

/** The Studio's video pages: list, upload, edit details, thumbnail, captions, delete, live progress. */
/** `uploads` is called on the first upload request: the tus server (and its folder) exist only once needed. */
export function videoStudioRoutes(deps: AppDeps, uploads: () => ReturnType<typeof createUploadServer>) {
  const app = new Hono<AppEnv>();
  const env = (c: AppContext) => pageEnv(c, true);

  async function channelForTeam(c: AppContext) {
    const user = requireUser(c);
    const channel = await findChannelByHandle(deps.db, c.req.param('handle')!.toLowerCase());
    if (!channel) throw new NotFoundError('channel.not_found');
    if (!(await roleOnChannel(deps.db, user, channel.id))) throw new ForbiddenError();
    return channel;
  }

  app.get('/channels/:handle/videos', async (c) => {
    const channel = await channelForTeam(c);
    return c.html(<ChannelVideosPage env={env(c)} channel={channel} videos={await q.listChannelVideosForTeam(deps.db, channel.id)} notice={noticeFrom(c)} views={await viewTotals(deps.db, channel.id)} />);
  });

  app.get('/channels/:handle/upload', async (c) => {
    const channel = await channelForTeam(c);
    return c.html(<UploadPage env={env(c)} channel={channel} maxBytesLabel={formatBytes(deps.config.maxUploadBytes)} />);
  });

  // tus: POST creates, HEAD tells the offset, PATCH appends, DELETE aborts. CSRF travels in X-CSRF-Token.
  // (Hono routes HEAD through GET handlers, hence GET in the list; tus answers a GET with 405.)
  const tus = (c: AppContext) => uploads().handle(c.req.raw, { user: requireUser(c), t: c.var.t });
  // Their own group: the body streams to disk (tus enforces MAX_UPLOAD_MB) and errors are JSON for the script.
  const uploadRoutes = new Hono<AppEnv>();
  uploadRoutes.on(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'], '/uploads/*', tus);
  uploadRoutes.post('/uploads', tus);

  async function jobText(c: AppContext, video: q.VideoRow) {
    const job = video.transcode_job_id ? await getJob(deps.db, video.transcode_job_id) : undefined;
    if (!job) return undefined;
    // A job can fail without its handler running to the end (its worker was killed on the last attempt).
    if (job.status === 'failed' && video.status === 'processing') {
      video.failure_message = job.lastError ?? 'transcoding failed';
      video.status = 'failed';
      await q.markFailed(deps.db, video.id, video.failure_message);
      deps.log.error({ videoId: video.id, failure: video.failure_message }, 'transcoding failed: its job gave up');
    }
    const text =
      job.status === 'queued'
        ? job.attempts > 0
          ? c.var.t('video.retrying', { attempt: job.attempts + 1 })
          : c.var.t('video.queued')
        : c.var.t('video.progress', { percent: job.progress ?? 0 });
    return { progress: job.progress, text };
  }

  async function showEdit(c: AppContext, video: q.VideoWithChannel, extra: { state?: Parameters<typeof VideoEditPage>[0]['state']; captionState?: Parameters<typeof VideoEditPage>[0]['captionState']; thumbnailError?: MessageKey } = {}, status: 200 | 422 = 200) {
    return c.html(
      <VideoEditPage
        env={env(c)}
        video={video}
        captions={await q.listCaptions(deps.db, video.id)}
        job={await jobText(c, video)}
        state={extra.state ?? {}}
        captionState={extra.captionState ?? {}}
        thumbnailError={extra.thumbnailError}
        notice={noticeFrom(c)}
        timeZone={deps.config.siteTimeZone}
        views={await viewStats(deps.db, video.id, deps.clock.now())}
      />,
      status,
    );
  }

  app.get('/videos/:id', async (c) => showEdit(c, await videoForTeam(deps.db, c.var.user, c.req.param('id'))));

  app.get('/videos/:id/status', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    const job = await jobText(c, video);
    const text = video.status === 'failed' ? `${c.var.t('video.failed_intro')} ${c.var.t('video.failed_details', { id: video.id })}` : video.status === 'ready' ? c.var.t('video.ready') : (job?.text ?? '');
    return c.json({ status: video.status, progress: video.status === 'ready' ? 100 : (job?.progress ?? null), text });
  });

  app.post('/videos/:id', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    const form = await readForm(c);
    const parsed = validateForm(metadataSchema, form);
    if (!parsed.ok) return showEdit(c, video, { state: parsed }, 422);
    const d = parsed.data;
    const errors: Record<string, MessageKey> = {};
    const chapters = parseChapters(d.chapters);
    if (!chapters || (video.duration_seconds !== null && chapters.some((ch) => ch.start > video.duration_seconds!))) errors['chapters'] = 'video.chapters_invalid';
    const publishAt = d.publish_at ? zonedTimeToUtc(d.publish_at, deps.config.siteTimeZone) : null;
    if (publishAt === undefined) errors['publish_at'] = 'video.publish_at_invalid';
    if (Object.keys(errors).length) return showEdit(c, video, { state: { errors, values: textFields(form) } }, 422);
    await deps.db.transaction(async (tx) => {
      await q.updateMetadata(tx, video.id, {
        title: d.title,
        description: d.description,
        tags: d.tags,
        language: d.language || null,
        licence: d.licence,
        visibility: d.visibility,
        publishAt: publishAt ?? null,
        chapters: chapters!,
        downloadsAllowed: d.downloads === 'on',
        downloadHeight: Number(d.download_height),
        paywallPoster: d.paywall_poster ?? video.paywall_poster,
      });
      const what = d.visibility !== video.visibility ? 'visibility' : (publishAt ?? null)?.getTime() !== video.publish_at?.getTime() ? 'publish-time' : 'metadata';
      await deps.events.publish(tx, 'video.changed', { videoId: video.id, what });
    });
    return c.redirect(`/studio/videos/${video.id}?notice=saved`, 303);
  });

  app.post('/videos/:id/thumbnail', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    const checked = await checkThumbnail((await readForm(c))['thumbnail']);
    if (!checked.ok) return showEdit(c, video, { thumbnailError: checked.error }, 422);
    const key = `videos/${video.id}/thumbnail-${randomUUID()}.${checked.ext}`;
    await deps.storage.put(key, checked.bytes);
    await deps.db.transaction(async (tx) => {
      await q.setCustomThumbnail(tx, video.id, key);
      await deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'thumbnail' });
    });
    if (video.custom_thumbnail_key) await deps.storage.delete(video.custom_thumbnail_key);
    return c.redirect(`/studio/videos/${video.id}?notice=thumbnail_saved`, 303);
  });

  app.post('/videos/:id/captions', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    const form = await readForm(c);
    const parsed = validateForm(captionSchema, form);
    const vtt = await checkWebVtt(form['caption_file']);
    if (!parsed.ok || !vtt.ok) {
      const errors = { ...(parsed.ok ? {} : parsed.errors), ...(vtt.ok ? {} : { caption_file: vtt.error }) };
      return showEdit(c, video, { captionState: { errors, values: textFields(form) } }, 422);
    }
    const key = `videos/${video.id}/captions/${parsed.data.caption_language}-${randomUUID()}.vtt`;
    await deps.storage.put(key, vtt.bytes);
    const replaced = await deps.db.transaction(async (tx) => {
      const previous = await q.upsertCaption(tx, video.id, parsed.data.caption_language, parsed.data.caption_label, key);
      await q.touchVideo(tx, video.id);
      await deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'captions' });
      return previous;
    });
    if (replaced) await deps.storage.delete(replaced);
    return c.redirect(`/studio/videos/${video.id}?notice=captions_saved`, 303);
  });

  app.post('/videos/:id/captions/:language/delete', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    const key = await deps.db.transaction(async (tx) => {
      const deleted = await q.deleteCaption(tx, video.id, c.req.param('language'));
      if (!deleted) return undefined;
      await q.touchVideo(tx, video.id);
      await deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'captions' });
      return deleted;
    });
    if (!key) throw new NotFoundError();
    await deps.storage.delete(key);
    return c.redirect(`/studio/videos/${video.id}?notice=captions_removed`, 303);
  });

  app.post('/videos/:id/retry', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    if (video.status !== 'failed') throw new NotFoundError();
    await retryTranscode(deps, video);
    return c.redirect(`/studio/videos/${video.id}`, 303);
  });

  app.post('/videos/:id/delete', async (c) => {
    const video = await videoForTeam(deps.db, c.var.user, c.req.param('id'));
    await deleteVideo(deps, video);
    return c.redirect(`/studio/channels/${video.channel_handle}/videos?notice=video_deleted`, 303);
  });

  return { pages: app, uploads: uploadRoutes };
}
