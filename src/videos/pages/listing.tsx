import { Layout, type PageEnv } from '../../core/http/layout.js';
import type { VideoWithChannel } from '../queries.js';
import { formatTimestamp } from '../schema.js';

/** A video as a card shows it to one viewer: playable or locked (with the cheapest offer), coming on a date. */
export type VideoCard = VideoWithChannel & {
  thumbnailUrl?: string;
  /** The viewer may not watch it yet: the lock, and what opens it when something does. */
  locked?: { priceLabel?: string; tierName?: string };
  /** Scheduled: public (or open to all members) on this date; shown to members with early access sooner. */
  publicOn?: Date;
  /** How many comments it shows, when the listing asked. */
  comments?: number;
};

/** A grid of video cards; thumbnails come from /media, titles link to the watch page (or its paywall). */
export function VideoGrid({ env, videos, showChannel = false }: { env: PageEnv; videos: VideoCard[]; showChannel?: boolean }) {
  const { t } = env;
  const date = new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' });
  return (
    <ul class="video-grid">
      {videos.map((v) => (
        <li class={v.locked ? 'locked' : undefined}>
          <a href={`/v/${v.short_id}`} class="video-card">
            <span class="thumb">
              {v.thumbnailUrl ? <img src={v.thumbnailUrl} alt="" loading="lazy" width={320} height={180} /> : <span class="thumb-placeholder" />}
              {v.duration_seconds ? <span class="duration">{formatTimestamp(v.duration_seconds)}</span> : null}
            </span>
            <span class="video-title">{v.title}</span>
          </a>
          {v.visibility === 'members' || v.locked ? (
            <span class="video-access">
              {v.locked ? (
                <>
                  <span aria-hidden="true">🔒 </span>
                  {v.locked.priceLabel ? t('video.card_locked_from', { price: v.locked.priceLabel, tier: v.locked.tierName ?? '' }) : t('video.card_locked')}
                </>
              ) : (
                t('video.card_members')
              )}
            </span>
          ) : null}
          {v.comments ? <span class="video-comments">{t('video.card_comments', { count: v.comments })}</span> : null}
          {v.publicOn && <span class="video-access">{t('video.card_public_on', { date: date.format(v.publicOn) })}</span>}
          {showChannel && (
            <a class="video-channel" href={`/c/${v.channel_handle}`}>
              {v.channel_name}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Previous/next links; `href(page)` builds each page's address. */
export function Pagination({ env, page, pageCount, href }: { env: PageEnv; page: number; pageCount: number; href: (page: number) => string }) {
  if (pageCount <= 1) return null;
  const { t } = env;
  return (
    <nav class="pagination" aria-label={t('pagination.label')}>
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          {t('pagination.previous')}
        </a>
      )}
      <span>{t('pagination.page_of', { page, count: pageCount })}</span>
      {page < pageCount && (
        <a href={href(page + 1)} rel="next">
          {t('pagination.next')}
        </a>
      )}
    </nav>
  );
}

export function SearchBox({ env, query = '' }: { env: PageEnv; query?: string }) {
  return (
    <form role="search" method="get" action="/search" class="search">
      <label for="search-q" class="visually-hidden">
        {env.t('search.label')}
      </label>
      <input id="search-q" type="search" name="q" value={query} maxlength={200} placeholder={env.t('search.placeholder')} />
      <button type="submit">{env.t('search.submit')}</button>
    </form>
  );
}

export function SearchPage({
  env,
  query,
  videos,
  page,
  pageCount,
  total,
}: {
  env: PageEnv;
  query: string;
  videos: VideoCard[];
  page: number;
  pageCount: number;
  total: number;
}) {
  const { t } = env;
  return (
    <Layout env={env} title={query ? t('search.title_for', { query }) : t('search.title')}>
      <h1>{t('search.title')}</h1>
      <SearchBox env={env} query={query} />
      {query && <p role="status">{t('search.count', { count: total })}</p>}
      <VideoGrid env={env} videos={videos} showChannel />
      <Pagination env={env} page={page} pageCount={pageCount} href={(p) => `/search?q=${encodeURIComponent(query)}&page=${p}`} />
    </Layout>
  );
}

/** The video list on a channel's home page, with its pagination. */
export function ChannelVideosSection({ env, handle, videos, page, pageCount }: { env: PageEnv; handle: string; videos: VideoCard[]; page: number; pageCount: number }) {
  if (videos.length === 0) return <p class="empty">{env.t('channel.no_videos')}</p>;
  return (
    <>
      <VideoGrid env={env} videos={videos} />
      <Pagination env={env} page={page} pageCount={pageCount} href={(p) => `/c/${handle}?page=${p}`} />
    </>
  );
}
