import { assetPath } from '../../core/http/asset-paths.js';
import type { ChannelRow } from '../../channels/index.js';
import { Field, FormErrors, LanguageSelect, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import type { CaptionRow, VideoWithChannel } from '../queries.js';
import { LICENCES, VISIBILITIES, chaptersToText, utcToZonedInput } from '../schema.js';
import type { ViewStats } from '../views.js';

export function ChannelVideosPage({ env, channel, videos, notice, views }: { env: PageEnv; channel: ChannelRow; videos: VideoWithChannel[]; notice?: MessageKey; views?: Map<string, number> }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('studio.videos_of', { name: channel.name })}>
      <h1>{t('studio.videos_of', { name: channel.name })}</h1>
      <Notice env={env} messageKey={notice} />
      <p>
        <a class="button" href={`/studio/channels/${channel.handle}/upload`}>
          {t('upload.title')}
        </a>
      </p>
      {videos.length === 0 ? (
        <p class="empty">{t('channel.no_videos')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('video.title')}</th>
              <th scope="col">{t('video.status')}</th>
              <th scope="col">{t('video.visibility')}</th>
              <th scope="col">{t('video.views')}</th>
            </tr>
          </thead>
          <tbody>
            {videos.map((v) => (
              <tr>
                <td>
                  <a href={`/studio/videos/${v.id}`}>{v.title}</a>
                </td>
                <td>{t(`video.status_${v.status}`)}</td>
                <td>{t(`visibility.${v.visibility}`)}</td>
                <td>{views?.get(v.id) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StudioLayout>
  );
}

export function UploadPage({ env, channel, maxBytesLabel }: { env: PageEnv; channel: ChannelRow; maxBytesLabel: string }) {
  const { t } = env;
  const messages = {
    uploading: t('upload.uploading'),
    resuming: t('upload.resuming'),
    processing: t('upload.processing'),
    failed: t('upload.failed'),
    retrying: t('upload.retrying'),
  };
  return (
    <StudioLayout env={env} title={t('upload.title')}>
      <h1>{t('upload.title')}</h1>
      <p>{t('upload.intro', { max: maxBytesLabel })}</p>
      <noscript>
        <p class="notice notice-error">{t('upload.needs_script')}</p>
      </noscript>
      <form method="post" action="/studio/uploads/" class="stack" data-upload data-channel={channel.handle} data-csrf={env.csrfToken} data-messages={JSON.stringify(messages)}>
        <div class="field">
          <label for="field-file">{t('upload.file')}</label>
          <input id="field-file" type="file" name="file" accept="video/*,audio/*" required />
        </div>
        <button type="submit">{t('upload.submit')}</button>
      </form>
      <progress data-upload-progress hidden max={100} value={0} aria-label={t('upload.progress')} />
      <p data-upload-status role="status" aria-live="polite" />
      <script type="module" src={assetPath('upload.js')} />
    </StudioLayout>
  );
}

interface EditProps {
  env: PageEnv;
  video: VideoWithChannel;
  captions: CaptionRow[];
  job: { progress: number | null; text: string } | undefined;
  state: FieldState;
  captionState: FieldState;
  thumbnailError?: MessageKey;
  notice?: MessageKey;
  timeZone: string;
  views?: ViewStats;
}

/** Views of the last 30 days as bars (an SVG drawn on the server: no script, no inline style), with a table for screen readers. */
function ViewsSection({ env, views }: { env: PageEnv; views: ViewStats }) {
  const { t } = env;
  const max = Math.max(1, ...views.perDay.map((d) => d.views));
  const barWidth = 10;
  const height = 80;
  const day = new Intl.DateTimeFormat(env.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return (
    <section aria-labelledby="views-heading">
      <h2 id="views-heading">{t('video.views')}</h2>
      <p>{t('video.views_total', { count: views.total })}</p>
      <svg class="views-chart" viewBox={`0 0 ${views.perDay.length * barWidth} ${height}`} role="img" aria-label={t('video.views_chart')}>
        {views.perDay.map((d, i) => {
          const h = Math.round((d.views / max) * (height - 2));
          return (
            <rect x={i * barWidth + 1} y={height - h} width={barWidth - 2} height={h}>
              <title>{`${day.format(new Date(d.day))}: ${d.views}`}</title>
            </rect>
          );
        })}
      </svg>
      <details>
        <summary>{t('video.views_table')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('video.views_day')}</th>
              <th scope="col">{t('video.views')}</th>
            </tr>
          </thead>
          <tbody>
            {views.perDay
              .filter((d) => d.views > 0)
              .map((d) => (
                <tr>
                  <td>{day.format(new Date(d.day))}</td>
                  <td>{d.views}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
      <p class="hint">{t('video.views_hint')}</p>
    </section>
  );
}

function JobPanel({ env, video, job }: Pick<EditProps, 'env' | 'video' | 'job'>) {
  const { t } = env;
  if (video.status === 'failed') {
    return (
      <div class="notice notice-error" role="alert">
        <p>{t('video.failed_intro')}</p>
        {/* The raw failure (ffmpeg's output, file paths of the server) stays in the log. */}
        <p>{t('video.failed_details', { id: video.id })}</p>
        <form method="post" action={`/studio/videos/${video.id}/retry`}>
          <CsrfField env={env} />
          <button type="submit">{t('video.retry')}</button>
        </form>
      </div>
    );
  }
  if (video.status === 'processing') {
    return (
      <div class="job" data-job-status={`/studio/videos/${video.id}/status`}>
        <label for="job-progress">{t('video.processing')}</label>
        <progress id="job-progress" max={100} value={job?.progress ?? 0} />
        <p data-job-text role="status" aria-live="polite">
          {job?.text ?? t('video.queued')}
        </p>
      </div>
    );
  }
  return (
    <p class="notice notice-info">
      {t('video.ready')} <a href={`/v/${video.short_id}`}>{t('video.watch')}</a>
    </p>
  );
}

export function VideoEditPage(props: EditProps) {
  const { env, video, state } = props;
  const { t } = env;
  const value = (name: string, initial: string) => state.values?.[name] ?? initial;
  const visibility = value('visibility', video.visibility);
  const licence = value('licence', video.licence);
  return (
    <StudioLayout env={env} title={video.title} channel={video.channel_handle}>
      <h1>{video.title}</h1>
      <Notice env={env} messageKey={props.notice} />
      <JobPanel env={env} video={video} job={props.job} />
      {props.views && <ViewsSection env={env} views={props.views} />}

      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t('video.details')}</h2>
        <FormErrors env={env} state={state} />
        <p class="notice notice-error" role="alert" data-draft-notice hidden>
          {t('video.draft_kept')}
        </p>
        <form method="post" action={`/studio/videos/${video.id}`} class="stack" data-details>
          <CsrfField env={env} />
          <Field env={env} state={state} name="title" label="video.title" required initial={video.title} maxlength={200} />
          <Field env={env} state={state} name="description" label="video.description" hint="video.description_hint" multiline initial={video.description} maxlength={10000} />
          <Field env={env} state={state} name="tags" label="video.tags" hint="video.tags_hint" initial={video.tags.join(', ')} />
          <LanguageSelect env={env} state={state} name="language" label="video.language" initial={video.language ?? ''} unset="video.language_unset" />
          <div class="field">
            <label for="field-licence">{t('video.licence')}</label>
            <select id="field-licence" name="licence">
              {LICENCES.map((l) => (
                <option value={l} selected={licence === l}>
                  {t(`licence.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>{t('video.visibility')}</legend>
            {VISIBILITIES.map((v) => (
              <label class="choice">
                <input type="radio" name="visibility" value={v} checked={visibility === v} /> {t(`visibility.${v}`)} — <span class="hint">{t(`visibility.${v}_hint`)}</span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('video.paywall_poster')}</legend>
            {(['blurred', 'shown'] as const).map((choice) => (
              <label class="choice">
                <input type="radio" name="paywall_poster" value={choice} checked={value('paywall_poster', video.paywall_poster) === choice} /> {t(`video.paywall_poster_${choice}`)}
              </label>
            ))}
            <p class="hint">{t('video.paywall_poster_hint')}</p>
          </fieldset>
          <fieldset>
            <legend>{t('video.downloads')}</legend>
            <label class="choice">
              <input type="checkbox" name="downloads" value="on" checked={state.values ? state.values['downloads'] === 'on' : video.downloads_allowed} /> {t('video.downloads_allowed')}
            </label>
            <label for="field-download_height">{t('video.download_height')}</label>
            <select id="field-download_height" name="download_height" aria-describedby="download-height-hint">
              {['720', '1080'].map((h) => (
                <option value={h} selected={value('download_height', String(video.download_height)) === h}>
                  {h}p
                </option>
              ))}
            </select>
            <p class="hint" id="download-height-hint">
              {t('video.download_height_hint')}
            </p>
          </fieldset>
          <div class={state.errors?.['publish_at'] ? 'field field-error' : 'field'}>
            <label for="field-publish_at">{t('video.publish_at')}</label>
            <input
              id="field-publish_at"
              type="datetime-local"
              name="publish_at"
              value={value('publish_at', video.publish_at ? utcToZonedInput(video.publish_at, props.timeZone) : '')}
              aria-describedby="publish-hint"
            />
            <p class="hint" id="publish-hint">
              {t('video.publish_at_hint', { zone: props.timeZone })}
            </p>
            {state.errors?.['publish_at'] && <p class="error">{t(state.errors['publish_at'])}</p>}
          </div>
          <Field env={env} state={state} name="chapters" label="video.chapters" hint="video.chapters_hint" multiline initial={chaptersToText(video.chapters)} />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>

      <section aria-labelledby="thumb-heading">
        <h2 id="thumb-heading">{t('video.thumbnail')}</h2>
        {props.thumbnailError && <p class="error" role="alert">{t(props.thumbnailError)}</p>}
        <form method="post" action={`/studio/videos/${video.id}/thumbnail`} enctype="multipart/form-data" class="stack">
          <CsrfField env={env} />
          <Field env={env} state={{}} name="thumbnail" label="video.thumbnail_file" type="file" accept="image/png,image/jpeg,image/webp" hint="video.thumbnail_hint" required />
          <button type="submit">{t('video.thumbnail_upload')}</button>
        </form>
      </section>

      <section aria-labelledby="captions-heading">
        <h2 id="captions-heading">{t('video.captions')}</h2>
        <ul>
          {props.captions.map((c) => (
            <li>
              {c.label} ({c.language})
              <form method="post" action={`/studio/videos/${video.id}/captions/${c.language}/delete`} class="inline">
                <CsrfField env={env} />
                <button type="submit" class="link-button">
                  {t('studio.remove')}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <FormErrors env={env} state={props.captionState} />
        <form method="post" action={`/studio/videos/${video.id}/captions`} enctype="multipart/form-data" class="stack">
          <CsrfField env={env} />
          <Field env={env} state={props.captionState} name="caption_language" label="video.caption_language" hint="video.caption_language_hint" required maxlength={12} />
          <Field env={env} state={props.captionState} name="caption_label" label="video.caption_label" required maxlength={60} />
          <Field env={env} state={props.captionState} name="caption_file" label="video.caption_file" type="file" accept=".vtt,text/vtt" required />
          <button type="submit">{t('video.caption_upload')}</button>
        </form>
      </section>

      <section aria-labelledby="danger-heading">
        <h2 id="danger-heading">{t('video.delete')}</h2>
        <form method="post" action={`/studio/videos/${video.id}/delete`}>
          <CsrfField env={env} />
          <button type="submit" class="danger">
            {t('video.delete_confirm')}
          </button>
        </form>
      </section>
      <script type="module" src={assetPath('studio-video.js')} />
    </StudioLayout>
  );
}
