import { assetPath } from '../../core/http/asset-paths.js';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { HtmlDocument, Layout, type PageEnv } from '../../core/http/layout.js';
import type { VideoWithChannel } from '../queries.js';
import { formatTimestamp } from '../schema.js';
import { Player, type PlayerProps } from './player.js';

export interface WatchPageProps {
  env: PageEnv;
  video: VideoWithChannel;
  player: Omit<PlayerProps, 'env' | 'title'>;
  descriptionHtml: string;
  /** Absolute URLs for cards and structured data. */
  urls: { page: string; embed: string; oembed: string; poster?: string; channel: string };
  /** Shown to the team when the video is not public yet. */
  teamNotice?: 'draft' | 'scheduled' | 'members' | 'unlisted' | 'processing';
  /** What other capabilities put under the video (the tip widget). */
  extras?: Child;
}

/** JSON inside <script> must not be able to close the tag. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `PT${Math.floor(s / 3600)}H${Math.floor((s % 3600) / 60)}M${s % 60}S`;
}

function SocialHead({ video, urls, env }: Pick<WatchPageProps, 'video' | 'urls' | 'env'>) {
  const summary = video.description.replace(/[#*_`>[\]()]/g, '').slice(0, 200);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'VideoObject',
    name: video.title,
    description: summary || video.title,
    thumbnailUrl: urls.poster ? [urls.poster] : undefined,
    uploadDate: (video.publish_at ?? video.created_at).toISOString(),
    duration: video.duration_seconds ? isoDuration(video.duration_seconds) : undefined,
    embedUrl: urls.embed,
    url: urls.page,
    inLanguage: video.language ?? undefined,
    author: { '@type': 'Person', name: video.channel_name, url: urls.channel },
  };
  const width = video.width ?? 1280;
  const height = video.height ?? 720;
  return (
    <>
      <link rel="canonical" href={urls.page} />
      <link rel="alternate" type="application/json+oembed" href={urls.oembed} title={video.title} />
      <meta name="description" content={summary} />
      <meta property="og:type" content="video.other" />
      <meta property="og:site_name" content={env.siteName} />
      <meta property="og:title" content={video.title} />
      <meta property="og:description" content={summary} />
      <meta property="og:url" content={urls.page} />
      {urls.poster && <meta property="og:image" content={urls.poster} />}
      <meta property="og:video:url" content={urls.embed} />
      <meta property="og:video:type" content="text/html" />
      <meta property="og:video:width" content={String(width)} />
      <meta property="og:video:height" content={String(height)} />
      <meta name="twitter:card" content="player" />
      <meta name="twitter:title" content={video.title} />
      <meta name="twitter:player" content={urls.embed} />
      <meta name="twitter:player:width" content={String(width)} />
      <meta name="twitter:player:height" content={String(height)} />
      {urls.poster && <meta name="twitter:image" content={urls.poster} />}
      <script type="application/ld+json">{raw(jsonForScript(jsonLd))}</script>
    </>
  );
}

/**
 * Share: the link (with a copy button), the link at the current time (`?t=`), the fan's own fediverse server
 * (Mastodon's /share), the embed code. Works without script (select and copy; the fediverse form opens a page
 * with the link); the small watch.js adds copy buttons, the current time and opens the server's page directly.
 */
function ShareMenu({ env, title, urls }: { env: PageEnv; title: string; urls: WatchPageProps['urls'] }) {
  const { t } = env;
  return (
    <details class="share">
      <summary>{t('video.share')}</summary>
      <div class="stack" data-share data-url={urls.page}>
        <div class="field">
          <label for="share-link">{t('video.share_link')}</label>
          <div class="copy-row">
            <input id="share-link" type="url" readonly value={urls.page} data-share-link />
            <button type="button" data-copy="share-link" hidden>
              {t('video.copy')}
            </button>
          </div>
          <label class="choice" data-share-at-wrap hidden>
            <input type="checkbox" data-share-at /> {t('video.share_at')} <span data-share-time>0:00</span>
          </label>
        </div>
        <form method="get" action="/share" target="_blank" class="field" data-share-fediverse>
          <input type="hidden" name="text" value={`${title} ${urls.page}`} />
          <label for="share-instance">{t('video.share_fediverse')}</label>
          <div class="copy-row">
            <input id="share-instance" name="instance" required maxlength={253} placeholder="mastodon.social" autocomplete="on" spellcheck={false} />
            <button type="submit">{t('video.share_go')}</button>
          </div>
          <p class="hint">{t('video.share_fediverse_hint')}</p>
        </form>
        <div class="field">
          <label for="embed-code">{t('video.embed_code')}</label>
          <textarea id="embed-code" readonly rows={3}>
            {`<iframe src="${urls.embed}" width="640" height="360" allowfullscreen title="${title.replace(/"/g, '&quot;')}"></iframe>`}
          </textarea>
          <button type="button" data-copy="embed-code" hidden>
            {t('video.copy')}
          </button>
        </div>
        <p class="visually-hidden" role="status" data-copied-text={t('video.copied')} />
      </div>
    </details>
  );
}

export function WatchPage(props: WatchPageProps) {
  const { env, video } = props;
  const { t } = env;
  const published = video.publish_at ?? video.created_at;
  return (
    <Layout env={env} title={video.title} head={<SocialHead video={video} urls={props.urls} env={env} />}>
      {props.teamNotice && (
        <p class="notice notice-info" role="status">
          {t(`video.team_notice_${props.teamNotice}`)}
        </p>
      )}
      <article class="watch" aria-labelledby="video-title">
        <Player env={env} title={video.title} {...props.player} />
        <h1 id="video-title" lang={video.language ?? undefined}>
          {video.title}
        </h1>
        <p class="meta">
          <a href={`/c/${video.channel_handle}`}>{video.channel_name}</a> ·{' '}
          <time datetime={published.toISOString()}>{new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' }).format(published)}</time>
          {video.duration_seconds ? ` · ${formatTimestamp(video.duration_seconds)}` : ''}
        </p>
        {video.chapters.length > 0 && (
          <nav aria-labelledby="chapters-heading" class="chapters">
            <h2 id="chapters-heading">{t('video.chapters')}</h2>
            <ol>
              {video.chapters.map((ch) => (
                <li>
                  <a href={`#t=${ch.start}`} data-seek={String(ch.start)}>
                    <span class="timestamp">{formatTimestamp(ch.start)}</span> {ch.title}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
        )}
        <div class="description" lang={video.language ?? undefined}>
          {raw(props.descriptionHtml)}
        </div>
        <dl class="video-facts">
          {video.tags.length > 0 && (
            <>
              <dt>{t('video.tags')}</dt>
              <dd>{video.tags.join(', ')}</dd>
            </>
          )}
          <dt>{t('video.licence')}</dt>
          <dd>{t(`licence.${video.licence as 'cc_by'}`)}</dd>
        </dl>
        {props.extras}
        <ShareMenu env={env} title={video.title} urls={props.urls} />
      </article>
      <script type="module" src={assetPath('watch.js')} />
    </Layout>
  );
}

/** A bare page holding only the player, for <iframe> embeds on other sites. */
export function EmbedPage({ env, video, player, pageUrl }: { env: PageEnv; video: VideoWithChannel; player: Omit<PlayerProps, 'env' | 'title'>; pageUrl: string }) {
  const { t } = env;
  return (
    <HtmlDocument locale={env.locale} title={video.title} bodyClass="embed">
      <main>
        <Player env={env} title={video.title} {...player} />
        <p class="embed-bar">
          <a href={pageUrl} target="_blank" rel="noopener" class="embed-title" lang={video.language ?? undefined}>
            {video.title}
          </a>
          <span class="embed-channel">{video.channel_name}</span>
          <a href={`${pageUrl}#tip`} target="_blank" rel="noopener" class="button embed-tip">
            {t('video.embed_tip')}
          </a>
        </p>
      </main>
      <script type="module" src={assetPath('watch.js')} />
    </HtmlDocument>
  );
}
