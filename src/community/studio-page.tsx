/** The Studio's community page: followers, a new post, posts with their delivery counts, blocks, addresses that bounced, comment settings. */
import { Field, FormErrors, type FieldState } from '../core/http/fields.js';
import { CsrfField, Notice, type PageEnv } from '../core/http/layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { StudioLayout } from '../studio/index.js';
import type { CommunitySettingsRow } from './comment-queries.js';
import type { DeliveryStatus } from './delivery-queries.js';
import type { PostRow } from './post-queries.js';
import type { SuppressionRow } from './suppressions.js';

export interface StudioPostRow extends PostRow {
  counts: Record<DeliveryStatus, number>;
  /** A backers-only post's campaign. */
  campaignTitle?: string;
}

export function CommunityStudioPage(props: {
  env: PageEnv; handle: string; followers: { account: number; email: number; remote: number }; settings: CommunitySettingsRow;
  tiers: { id: string; name: string }[]; campaigns: { id: string; title: string }[]; posts: StudioPostRow[]; blocked: { id: string; label: string }[];
  suppressed: SuppressionRow[]; state: FieldState; notice?: MessageKey;
}) {
  const { env, handle, state } = props;
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('community.studio_title')}>
      <h1>{t('community.studio_title')}</h1>
      <Notice env={env} messageKey={props.notice} />
      <p>{t('community.followers_summary', { account: props.followers.account, email: props.followers.email, remote: props.followers.remote })}</p>
      <section aria-labelledby="new-post-heading">
        <h2 id="new-post-heading">{t('community.new_post')}</h2>
        <FormErrors env={env} state={state} />
        <form method="post" action={`/studio/channels/${handle}/posts`} class="stack">
          <CsrfField env={env} />
          <Field env={env} state={state} name="title" label="community.post_title" required maxlength={200} />
          <Field env={env} state={state} name="body" label="community.post_body" hint="community.post_body_hint" multiline required />
          <fieldset>
            <legend>{t('community.audience')}</legend>
            <label><input type="radio" name="audience" value="public" checked={(state.values?.audience ?? 'public') === 'public'} /> {t('community.audience_public')}</label>
            <label><input type="radio" name="audience" value="members" checked={state.values?.audience === 'members'} /> {t('community.audience_members')}</label>
            {props.tiers.map((tier) => (
              <label><input type="checkbox" name={`tier_${tier.id}`} /> {tier.name}</label>
            ))}
            {props.campaigns.length > 0 && (
              <>
                <label><input type="radio" name="audience" value="backers" checked={state.values?.audience === 'backers'} /> {t('community.audience_backers')}</label>
                <select name="campaign" aria-label={t('community.post_campaign')} aria-invalid={state.errors?.campaign ? 'true' : undefined}>
                  {props.campaigns.map((c) => <option value={c.id} selected={state.values?.campaign === c.id}>{c.title}</option>)}
                </select>
              </>
            )}
            {(['tiers', 'campaign'] as const).map((name) => state.errors?.[name] && <p class="error">{t(state.errors[name]!)}</p>)}
          </fieldset>
          <button type="submit">{t('community.publish')}</button>
        </form>
      </section>
      <section aria-labelledby="posts-heading">
        <h2 id="posts-heading">{t('community.posts')}</h2>
        <table>
          <thead><tr><th>{t('community.post_title')}</th><th>{t('community.audience')}</th><th>{t('community.deliveries')}</th></tr></thead>
          <tbody>
            {props.posts.map((p) => (
              <tr>
                <td><a href={`/c/${handle}/posts/${p.slug}`}>{p.title}</a> · <a href={`/studio/channels/${handle}/posts/${p.id}`}>{t('community.post_edit')}</a></td>
                <td>{p.audience === 'backers' ? t('community.audience_backers_of', { campaign: p.campaignTitle ?? '' }) : t(p.audience === 'public' ? 'community.audience_public' : 'community.audience_members')}</td>
                <td>{t('community.delivery_counts', { sent: p.counts.sent, queued: p.counts.queued + p.counts.sending, bounced: p.counts.bounced, failed: p.counts.failed })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="blocks-heading" id="blocks">
        <h2 id="blocks-heading">{t('community.blocks')}</h2>
        <p class="hint">{t('community.blocks_hint')}</p>
        {props.blocked.length === 0 ? <p>{t('community.blocks_none')}</p> : (
          <ul>
            {props.blocked.map((b) => (
              <li>
                {b.label}{' '}
                <form method="post" action={`/studio/channels/${handle}/blocks/delete`} class="inline">
                  <CsrfField env={env} />
                  <input type="hidden" name="id" value={b.id} />
                  <button type="submit" class="link-button">{t('community.unblock')}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`/studio/channels/${handle}/blocks`} class="stack">
          <CsrfField env={env} />
          <Field env={env} state={state} name="domain" label="community.block_domain" required maxlength={300} />
          <button type="submit">{t('community.block_button')}</button>
        </form>
        <form method="post" action={`/studio/channels/${handle}/blocks`} class="stack">
          <CsrfField env={env} />
          <Field env={env} state={state} name="email" label="community.block_email" hint="community.block_email_hint" type="email" required maxlength={254} />
          <button type="submit">{t('community.block_button')}</button>
        </form>
      </section>
      <section aria-labelledby="suppressed-heading" id="suppressed">
        <h2 id="suppressed-heading">{t('community.suppressed')}</h2>
        <p class="hint">{t('community.suppressed_hint')}</p>
        {props.suppressed.length === 0 ? <p>{t('community.suppressed_none')}</p> : (
          <table>
            <thead><tr><th>{t('community.suppressed_address')}</th><th>{t('community.suppressed_reason')}</th><th>{t('community.suppressed_at')}</th></tr></thead>
            <tbody>
              {props.suppressed.map((s) => (
                <tr>
                  <td>{s.email}</td>
                  <td>{t(s.reason === 'bounced' ? 'community.suppressed_bounced' : 'community.suppressed_complained')}{s.detail && ` (${s.detail})`}</td>
                  <td><time datetime={s.at.toISOString()}>{new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium' }).format(s.at)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="comment-settings-heading">
        <h2 id="comment-settings-heading">{t('community.comment_settings')}</h2>
        <form method="post" action={`/studio/channels/${handle}/community/settings`} class="stack">
          <CsrfField env={env} />
          <fieldset>
            <legend>{t('community.policy')}</legend>
            {(['open', 'members', 'held', 'closed'] as const).map((p) => (
              <label><input type="radio" name="comment_policy" value={p} checked={props.settings.comment_policy === p} /> {t(`community.policy_${p}`)}</label>
            ))}
          </fieldset>
          <Field env={env} state={state} name="watched_words" label="community.watched_words" hint="community.watched_words_hint" multiline initial={props.settings.watched_words} maxlength={4000} />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>
    </StudioLayout>
  );
}

