// The members page: key figures with their definitions stated, then everyone who is or was a member.
import type { ChannelRow } from '../../channels/index.js';
import type { PageEnv } from '../../core/http/layout.js';
import { StudioLayout } from '../../studio/index.js';
import type { MemberListRow } from '../memberships/queries.js';
import { formatMoney } from '../money.js';
import { DateText, formatAmount, MoneyTabs } from './components.js';
import { INTERVAL_LABELS, statusLabel } from './labels.js';
import { CHURN_WINDOW_DAYS, type MemberFigures } from './member-figures.js';

/** When the membership renews or ends, by status: the date that matters next. */
export function nextDate(m: MemberListRow): Date | null {
  if (m.status === 'expired') return m.ended_at;
  if (m.status === 'past_due') return m.grace_until ?? m.current_period_end;
  return m.current_period_end;
}

function Figures({ env, figures, timeZone }: { env: PageEnv; figures: MemberFigures; timeZone: string }) {
  const { t, locale } = env;
  const { churn } = figures;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">{t('studio.members.figures')}</h2>
      <dl>
        <dt>{t('studio.members.active_count')}</dt>
        <dd>
          {figures.byStatus['active'] ?? 0}
          <p class="hint">
            {t('studio.members.other_counts', { past_due: figures.byStatus['past_due'] ?? 0, cancelled: figures.byStatus['cancelled'] ?? 0 })}
          </p>
        </dd>
        <dt>{t('studio.members.mrr')}</dt>
        <dd>
          {figures.mrr.map((m) => formatMoney(m, locale)).join(' + ')}
          <p class="hint">{t('studio.members.mrr_explain')}</p>
        </dd>
        <dt>{t('studio.members.churn', { days: CHURN_WINDOW_DAYS })}</dt>
        <dd>
          {churn.rate === null ? t('studio.members.churn_none') : percent.format(churn.rate)}
          <p class="hint">
            {t('studio.members.churn_explain', { ended: churn.ended, at_start: churn.atStart })}{' '}
            (<DateText env={env} at={churn.from} timeZone={timeZone} /> – <DateText env={env} at={churn.to} timeZone={timeZone} />)
          </p>
        </dd>
      </dl>
    </section>
  );
}

function MemberTable({ env, members, timeZone }: { env: PageEnv; members: MemberListRow[]; timeZone: string }) {
  const { t, locale } = env;
  return (
    <table>
      <caption class="visually-hidden">{t('studio.members.list')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('studio.members.name')}</th>
          <th scope="col">{t('account.email')}</th>
          <th scope="col">{t('studio.members.tier')}</th>
          <th scope="col">{t('studio.members.interval')}</th>
          <th scope="col">{t('studio.members.price')}</th>
          <th scope="col">{t('studio.members.status')}</th>
          <th scope="col">{t('studio.members.since')}</th>
          <th scope="col">{t('studio.members.renews_or_ends')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr>
            <th scope="row">{m.display_name}</th>
            <td>{m.email}</td>
            <td>{m.tier_name}</td>
            <td>{t(INTERVAL_LABELS[m.billing_interval])}</td>
            <td>{m.price === null ? '—' : formatAmount(m.price, m.currency, locale)}</td>
            <td>{statusLabel(t, m.status)}</td>
            <td>
              <DateText env={env} at={m.created_at} timeZone={timeZone} />
            </td>
            <td>
              <DateText env={env} at={nextDate(m)} timeZone={timeZone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A channel's members page. */
export function MembersPage({ env, channel, figures, members, timeZone }: { env: PageEnv; channel: ChannelRow; figures: MemberFigures; members: MemberListRow[]; timeZone: string }) {
  const { t } = env;
  const title = t('studio.members.title_of', { name: channel.name });
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <MoneyTabs env={env} channel={channel} current="members" />
      <Figures env={env} figures={figures} timeZone={timeZone} />
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('studio.members.list')}</h2>
        <p>
          <a href={`/studio/channels/${channel.handle}/members.csv`} download>
            {t('studio.members.download_csv')}
          </a>
        </p>
        {members.length === 0 ? <p class="empty">{t('studio.members.none')}</p> : <MemberTable env={env} members={members} timeZone={timeZone} />}
      </section>
    </StudioLayout>
  );
}
