import { CsrfField, Layout, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { formatMoney, money } from '../money.js';
import type { MembershipRow, TierRow } from './queries.js';

const fmt = (env: PageEnv, amount: number, currency: string) => formatMoney(money(amount, currency), env.locale);
const date = (env: PageEnv, d: Date | null) => (d ? new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' }).format(d) : '');

function Benefits({ env, tier }: { env: PageEnv; tier: TierRow }) {
  const { t } = env;
  return (
    <ul class="benefits">
      {tier.members_only_videos && <li>{t('membership.benefit_videos')}</li>}
      {tier.early_access_days > 0 && <li>{t('membership.benefit_early', { days: tier.early_access_days })}</li>}
      {tier.badge && <li>{t('membership.benefit_badge')}</li>}
    </ul>
  );
}

export interface MembershipPageProps {
  env: PageEnv;
  channel: { name: string; handle: string };
  tiers: TierRow[];
  current?: MembershipRow;
  providers: string[];
  error?: MessageKey;
  /** When a membership started now would first renew, per billing interval. */
  renewals: { month: Date; year: Date };
  /** The video to go back to once paid (joined from its paywall). */
  back?: string;
}

export function MembershipPage({ env, channel, tiers, current, providers, error, renewals, back }: MembershipPageProps) {
  const { t } = env;
  return (
    <Layout env={env} title={t('membership.title', { channel: channel.name })}>
      <h1>{t('membership.title', { channel: channel.name })}</h1>
      <Notice env={env} messageKey={error} kind="error" />
      {current && current.status !== 'incomplete' && (
        <p class="notice notice-info">
          {t(`membership.status_${current.status}`)} <a href="/account/memberships">{t('membership.manage')}</a>
        </p>
      )}
      {tiers.length === 0 && <p class="empty">{t('membership.no_tiers')}</p>}
      <ul class="tiers">
        {tiers.map((tier) => (
          <li class="tier">
            <h2>{tier.name}</h2>
            <p class="price">
              {t('membership.per_month', { price: fmt(env, tier.monthly_price, tier.currency) })}
              {tier.yearly_price ? ` · ${t('membership.per_year', { price: fmt(env, tier.yearly_price, tier.currency) })}` : ''}
            </p>
            {tier.description && <p>{tier.description}</p>}
            <Benefits env={env} tier={tier} />
            {!current || current.status === 'incomplete' ? (
              <form method="post" action={`/c/${channel.handle}/membership/join`} class="stack">
                <CsrfField env={env} />
                <input type="hidden" name="tier" value={tier.id} />
                {back && <input type="hidden" name="back" value={back} />}
                <fieldset>
                  <legend>{t('membership.interval')}</legend>
                  <label class="choice">
                    <input type="radio" name="interval" value="month" checked /> {t('membership.monthly')} —{' '}
                    {t('membership.terms', { price: t('membership.per_month', { price: fmt(env, tier.monthly_price, tier.currency) }), date: date(env, renewals.month) })}
                  </label>
                  {tier.yearly_price && (
                    <label class="choice">
                      <input type="radio" name="interval" value="year" /> {t('membership.yearly')} —{' '}
                      {t('membership.terms', { price: t('membership.per_year', { price: fmt(env, tier.yearly_price, tier.currency) }), date: date(env, renewals.year) })}
                    </label>
                  )}
                </fieldset>
                <p class="hint">{t('membership.cancel_any_time')}</p>
                {providers.length > 1 ? (
                  <fieldset>
                    <legend>{t('payment.provider')}</legend>
                    {providers.map((p, i) => (
                      <label class="choice">
                        <input type="radio" name="provider" value={p} checked={i === 0} /> {t(`provider.${p as 'test'}`)}
                      </label>
                    ))}
                  </fieldset>
                ) : (
                  <input type="hidden" name="provider" value={providers[0] ?? ''} />
                )}
                <button type="submit">{t('membership.join', { tier: tier.name })}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** Where a fan's membership stands after the checkout, as the welcome page says it. */
export type WelcomeState = 'waiting' | 'active' | 'refunding' | 'ended' | 'not_charged';

/**
 * After the checkout. Never says "nothing was charged" when something was: a payment that could not
 * become a membership (the fan was already a member) is said to be refunded.
 */
export function WelcomePage({ env, state, channelHandle, tierName, renewsOn }: { env: PageEnv; state: WelcomeState; channelHandle: string; tierName: string; renewsOn?: Date }) {
  const { t } = env;
  const waiting = state === 'waiting';
  const message = { waiting: 'membership.welcome_pending', active: 'membership.welcome_done', refunding: 'membership.welcome_refunded', ended: 'membership.welcome_ended', not_charged: 'membership.welcome_problem' } as const;
  return (
    <Layout env={env} title={t('membership.welcome_title')} head={waiting ? <meta http-equiv="refresh" content="3" /> : undefined}>
      <h1>{t('membership.welcome_title')}</h1>
      <p role="status">{t(message[state])}</p>
      {state === 'active' && renewsOn && (
        <p>
          {t('membership.welcome_details', { tier: tierName, date: date(env, renewsOn) })} <a href="/account/memberships">{t('membership.manage')}</a>
        </p>
      )}
      <p>
        <a href={`/c/${channelHandle}`}>{t('membership.back_to_channel')}</a>
      </p>
    </Layout>
  );
}

export interface AccountMembership extends MembershipRow {
  channel_name: string;
  channel_handle: string;
  tier_name: string;
  /** What one period costs (priceOf); none when the tier no longer has a price for this interval. */
  price: number | undefined;
  currency: string;
  tiers: TierRow[];
}

export function AccountMembershipsPage({ env, memberships, feedUrl, notice }: { env: PageEnv; memberships: AccountMembership[]; feedUrl?: string; notice?: MessageKey }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('membership.mine')}>
      <h1>{t('membership.mine')}</h1>
      <Notice env={env} messageKey={notice} />
      {feedUrl && (
        <div class="notice notice-info">
          <p>{t('membership.feed_created')}</p>
          <input type="text" readonly value={feedUrl} aria-label={t('membership.feed')} />
        </div>
      )}
      {memberships.length === 0 && <p class="empty">{t('membership.none')}</p>}
      {memberships.map((m) => (
        <section class="membership" aria-label={m.channel_name}>
          <h2>
            <a href={`/c/${m.channel_handle}`}>{m.channel_name}</a> — {m.tier_name}
          </h2>
          <p>
            {t(`membership.status_${m.status}`)} · {m.price === undefined ? '—' : fmt(env, m.price, m.currency)} / {t(m.billing_interval === 'year' ? 'membership.yearly' : 'membership.monthly')}
            {m.current_period_end && ` · ${t(m.status === 'cancelled' ? 'membership.ends_on' : 'membership.renews_on', { date: date(env, m.current_period_end) })}`}
          </p>
          {['active', 'past_due'].includes(m.status) && (
            <form method="post" action={`/memberships/${m.id}/cancel`} class="inline">
              <CsrfField env={env} />
              <button type="submit" class="link-button">{t('membership.cancel')}</button>
            </form>
          )}
          {m.status === 'active' && m.tiers.length > 1 && (
            <form method="post" action={`/memberships/${m.id}/change`} class="inline">
              <CsrfField env={env} />
              <label for={`tier-${m.id}`}>{t('membership.change_tier')}</label>{' '}
              <select id={`tier-${m.id}`} name="tier">
                {m.tiers.filter((tier) => tier.id !== m.tier_id).map((tier) => (
                  <option value={tier.id}>{tier.name}</option>
                ))}
              </select>{' '}
              <button type="submit">{t('membership.change')}</button>
            </form>
          )}
          {m.status !== 'expired' && (
            <form method="post" action={`/memberships/${m.id}/feed`} class="inline">
              <CsrfField env={env} />
              <button type="submit" class="link-button">{t('membership.feed_new')}</button>
            </form>
          )}
        </section>
      ))}
    </Layout>
  );
}
