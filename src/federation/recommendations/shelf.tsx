import type { PageEnv } from '../../core/http/layout.js';
import type { RecommendationRow } from './queries.js';

/** Public path of a recommendation's thumbnail copy (served by `recommendationPublicRoutes`). */
export function thumbnailPath(row: Pick<RecommendationRow, 'thumbnail_key'>): string | undefined {
  return row.thumbnail_key ? `/media/${row.thumbnail_key}` : undefined;
}

/** The site a recommendation points to: its own name, else the host of its address. */
export function siteLabel(row: Pick<RecommendationRow, 'site_name' | 'url'>): string {
  return row.site_name ?? new URL(row.url).hostname;
}

/** One recommended video: picture, title and author linking to the other site, and the creator's note. */
export function RecommendationCard({ row, noteLang }: { row: RecommendationRow; noteLang?: string }) {
  const thumb = thumbnailPath(row);
  return (
    <li class="recommendation">
      <a href={row.url} class="video-card" rel="noopener nofollow" referrerpolicy="no-referrer">
        <span class="thumb">{thumb ? <img src={thumb} alt="" loading="lazy" width={320} height={180} /> : <span class="thumb-placeholder" />}</span>
        <span class="video-title">{row.title}</span>
      </a>
      <p class="video-channel">
        {row.author_name && row.author_url ? (
          <a href={row.author_url} rel="noopener nofollow" referrerpolicy="no-referrer">
            {row.author_name}
          </a>
        ) : (
          row.author_name
        )}
        {row.author_name ? ' · ' : ''}
        {siteLabel(row)}
      </p>
      {row.note && (
        <blockquote class="recommendation-note" lang={noteLang}>
          <p>{row.note}</p>
        </blockquote>
      )}
    </li>
  );
}

/**
 * "Recommended by <channel>": the channel's recommended videos from other sites, as cards. Renders
 * nothing when there are none, so pages can always include it.
 */
export function RecommendationShelf({
  env,
  channelName,
  channelLanguage,
  recommendations,
  headingLevel = 2,
  id = 'recommendations',
}: {
  env: PageEnv;
  channelName: string;
  channelLanguage?: string;
  recommendations: RecommendationRow[];
  /** 2 on its own in a page, 3 inside another section. */
  headingLevel?: 2 | 3;
  id?: string;
}) {
  if (recommendations.length === 0) return null;
  const heading = env.t('recommendations.shelf_heading', { name: channelName });
  return (
    <section class="recommendations" aria-labelledby={`${id}-heading`}>
      {headingLevel === 2 ? <h2 id={`${id}-heading`}>{heading}</h2> : <h3 id={`${id}-heading`}>{heading}</h3>}
      <ul class="video-grid">
        {recommendations.map((row) => (
          <RecommendationCard row={row} noteLang={channelLanguage} />
        ))}
      </ul>
    </section>
  );
}
