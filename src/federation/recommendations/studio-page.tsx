import type { ChannelRow } from '../../channels/index.js';
import { Field, FormErrors, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import type { RecommendationRow, RecommendedByRow } from './queries.js';
import { siteLabel, thumbnailPath } from './shelf.js';

export interface RecommendationsPageProps {
  env: PageEnv;
  channel: ChannelRow;
  recommendations: RecommendationRow[];
  recommendedBy: RecommendedByRow[];
  state: FieldState;
  notice?: MessageKey;
}

function OwnList({ env, channel, recommendations }: Pick<RecommendationsPageProps, 'env' | 'channel' | 'recommendations'>) {
  const { t } = env;
  if (recommendations.length === 0) return <p class="empty">{t('recommendations.none')}</p>;
  return (
    <ul class="team">
      {recommendations.map((r) => {
        const thumb = thumbnailPath(r);
        return (
          <li>
            <span>
              {thumb && <img src={thumb} alt="" width={96} height={54} loading="lazy" />}{' '}
              <a href={r.url} rel="noopener nofollow" referrerpolicy="no-referrer">
                {r.title}
              </a>{' '}
              <span class="handle">
                {[r.author_name, siteLabel(r)].filter(Boolean).join(' · ')}
              </span>
              {r.note && <span class="hint"> — {r.note}</span>}
            </span>
            <form method="post" action={`/studio/channels/${channel.handle}/recommendations/${r.id}/remove`}>
              <CsrfField env={env} />
              <button type="submit" class="link-button" aria-label={t('recommendations.remove_label', { title: r.title })}>
                {t('recommendations.remove')}
              </button>
            </form>
          </li>
        );
      })}
    </ul>
  );
}

function RecommendedByList({ env, recommendedBy }: Pick<RecommendationsPageProps, 'env' | 'recommendedBy'>) {
  const { t } = env;
  if (recommendedBy.length === 0) return <p class="empty">{t('recommendations.by_others_none')}</p>;
  const date = new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium' });
  return (
    <table>
      <caption class="visually-hidden">{t('recommendations.by_others')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('recommendations.col_who')}</th>
          <th scope="col">{t('recommendations.col_what')}</th>
          <th scope="col">{t('recommendations.col_when')}</th>
        </tr>
      </thead>
      <tbody>
        {recommendedBy.map((b) => (
          <tr>
            <td>
              <a href={b.profile_url ?? b.actor_url} rel="noopener nofollow" referrerpolicy="no-referrer">
                {b.actor_name ?? new URL(b.actor_url).host}
              </a>
            </td>
            <td>{b.video_short_id ? <a href={`/v/${b.video_short_id}`}>{b.video_title}</a> : t('recommendations.channel_itself')}</td>
            <td>
              <time datetime={b.created_at.toISOString()}>{date.format(b.created_at)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The Studio page of a channel's recommendations: add one, remove them, see who recommends us. */
export function RecommendationsPage(props: RecommendationsPageProps) {
  const { env, channel, state } = props;
  const { t } = env;
  const title = t('recommendations.title_of', { name: channel.name });
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <Notice env={env} messageKey={props.notice} />
      <p>{t('recommendations.explain')}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action={`/studio/channels/${channel.handle}/recommendations`} class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="url" label="recommendations.url" hint="recommendations.url_hint" required maxlength={2048} />
        <Field env={env} state={state} name="note" label="recommendations.note" hint="recommendations.note_hint" multiline maxlength={500} />
        <button type="submit">{t('recommendations.submit')}</button>
      </form>
      <section aria-labelledby="own-heading">
        <h2 id="own-heading">{t('recommendations.yours')}</h2>
        <OwnList env={env} channel={channel} recommendations={props.recommendations} />
      </section>
      <section aria-labelledby="by-heading">
        <h2 id="by-heading">{t('recommendations.by_others')}</h2>
        <RecommendedByList env={env} recommendedBy={props.recommendedBy} />
      </section>
    </StudioLayout>
  );
}
