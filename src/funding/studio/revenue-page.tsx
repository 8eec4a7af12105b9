// The creator's revenue page: balances, the month's statement with every fee shown, month navigation,
// the CSV download and the chart of the last twelve months; for the site owner, a warning when the
// ledger's latest self-check found problems.
import type { Child } from 'hono/jsx';
import type { ChannelRow } from '../../channels/index.js';
import type { PageEnv } from '../../core/http/layout.js';
import { StudioLayout } from '../../studio/index.js';
import type { ChannelBalance, LedgerCheck, MonthlyStatement, RevenueSeries, StatementSection } from '../ledger/index.js';
import { formatMoney, negateMoney, type Money } from '../money.js';
import { RevenueChart } from './chart.js';
import { DateText, MoneyTabs } from './components.js';
import { KIND_LABELS, SOURCE_LABELS } from './labels.js';
import { formatYearMonth, monthName, type YearMonth } from './month.js';

export interface RevenuePageProps {
  env: PageEnv;
  channel: ChannelRow;
  month: YearMonth;
  previous: YearMonth | null;
  next: YearMonth | null;
  balances: ChannelBalance[];
  statement: MonthlyStatement;
  revenue: RevenueSeries[];
  timeZone: string;
  /** The ledger's latest self-check, for the site owner: a warning is shown when it found problems. */
  ledgerCheck?: LedgerCheck;
  /** What the site did with this channel's money on its own (automatic refunds, refused webhooks). */
  paymentNotices?: Child;
}

/** The books failed their latest self-check: say so first, with what failed and where to look. */
function LedgerCheckWarning({ env, check, timeZone }: { env: PageEnv; check: LedgerCheck; timeZone: string }) {
  const { t, locale } = env;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(check.checkedAt);
  const failed = [...new Set(check.findings.map((f) => f.check))];
  return (
    <section class="notice notice-error ledger-check" role="alert" aria-labelledby="ledger-check-heading">
      <h2 id="ledger-check-heading">{t('studio.revenue.ledger_check_failed_heading')}</h2>
      <p>{t('studio.revenue.ledger_check_failed', { date, count: check.findingCount })}</p>
      <p>{t('studio.revenue.ledger_check_failed_checks')}</p>
      <ul>
        {failed.map((name) => (
          <li>
            <code>{name}</code>
          </li>
        ))}
      </ul>
      <p>{t('studio.revenue.ledger_check_failed_help')}</p>
    </section>
  );
}

function Balances({ env, balances }: { env: PageEnv; balances: ChannelBalance[] }) {
  const { t, locale } = env;
  if (balances.length === 0) return <p class="empty">{t('studio.revenue.no_money_yet')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t('studio.revenue.balances')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('studio.revenue.currency')}</th>
          <th scope="col">{t('studio.revenue.earned')}</th>
          <th scope="col">{t('studio.revenue.payable')}</th>
          <th scope="col">{t('studio.revenue.paid_out')}</th>
        </tr>
      </thead>
      <tbody>
        {balances.map((b) => (
          <tr>
            <th scope="row">{b.currency}</th>
            <td>{formatMoney(b.earned, locale)}</td>
            <td>
              {formatMoney(b.payable, locale)}
              {b.owes && <p class="hint">{t('studio.revenue.owes', { amount: formatMoney(negateMoney(b.payable), locale) })}</p>}
            </td>
            <td>{formatMoney(b.paidOut, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatementTable({ env, section, month, timeZone }: { env: PageEnv; section: StatementSection; month: YearMonth; timeZone: string }) {
  const { t, locale } = env;
  const fmt = (m: Money) => formatMoney(m, locale);
  return (
    <table>
      <caption>{t('studio.revenue.statement_caption', { month: monthName(month, locale), currency: section.currency })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('studio.revenue.date')}</th>
          <th scope="col">{t('studio.revenue.kind')}</th>
          <th scope="col">{t('studio.revenue.source')}</th>
          <th scope="col">{t('studio.revenue.gross')}</th>
          <th scope="col">{t('studio.revenue.processor_fee')}</th>
          <th scope="col">{t('studio.revenue.platform_fee')}</th>
          <th scope="col">{t('studio.revenue.net')}</th>
          <th scope="col">{t('studio.revenue.paid_out')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row" colspan={6}>
            {t('studio.revenue.opening')}
          </th>
          <td>{fmt(section.opening)}</td>
          <td />
        </tr>
        {section.lines.map((line) => (
          <tr>
            <td>
              <DateText env={env} at={line.occurredAt} timeZone={timeZone} />
            </td>
            <td>{t(KIND_LABELS[line.kind])}</td>
            <td>{line.source ? t(SOURCE_LABELS[line.source]) : '—'}</td>
            <td>{fmt(line.gross)}</td>
            <td>{fmt(line.processorFee)}</td>
            <td>{fmt(line.platformFee)}</td>
            <td>{fmt(line.net)}</td>
            <td>{fmt(line.paidOut)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colspan={3}>
            {t('studio.revenue.totals')}
          </th>
          <td>{fmt(section.totals.gross)}</td>
          <td>{fmt(section.totals.processorFee)}</td>
          <td>{fmt(section.totals.platformFee)}</td>
          <td>{fmt(section.totals.net)}</td>
          <td>{fmt(section.totals.paidOut)}</td>
        </tr>
        <tr>
          <th scope="row" colspan={6}>
            {t('studio.revenue.closing')}
          </th>
          <td>{fmt(section.closing)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function MonthNavigation({ env, channel, month, previous, next }: Pick<RevenuePageProps, 'env' | 'channel' | 'month' | 'previous' | 'next'>) {
  const { t, locale } = env;
  const href = (m: YearMonth) => `/studio/channels/${channel.handle}/revenue?month=${formatYearMonth(m)}`;
  return (
    <>
      <nav aria-label={t('studio.revenue.months_nav')} class="pagination">
        {previous && (
          <a href={href(previous)} rel="prev">
            {t('studio.revenue.previous_month', { month: monthName(previous, locale) })}
          </a>
        )}
        {next && (
          <a href={href(next)} rel="next">
            {t('studio.revenue.next_month', { month: monthName(next, locale) })}
          </a>
        )}
      </nav>
      <form method="get" action={`/studio/channels/${channel.handle}/revenue`} class="month-picker">
        <label for="field-month">{t('studio.revenue.choose_month')}</label>{' '}
        <input id="field-month" type="month" name="month" value={formatYearMonth(month)} pattern="\d{4}-\d{2}" aria-describedby="field-month-hint" />{' '}
        <button type="submit">{t('studio.revenue.show')}</button>
        <p class="hint" id="field-month-hint">
          {t('studio.revenue.month_hint')}
        </p>
      </form>
    </>
  );
}

/** The revenue page of one channel for one month. */
export function RevenuePage(props: RevenuePageProps) {
  const { env, channel, month, statement, timeZone } = props;
  const { t, locale } = env;
  const title = t('studio.revenue.title_of', { name: channel.name });
  const csv = `/studio/channels/${channel.handle}/revenue.csv?month=${formatYearMonth(month)}`;
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <MoneyTabs env={env} channel={channel} current="revenue" />
      {props.ledgerCheck && !props.ledgerCheck.ok && <LedgerCheckWarning env={env} check={props.ledgerCheck} timeZone={timeZone} />}
      {props.paymentNotices}
      <section aria-labelledby="balances-heading">
        <h2 id="balances-heading">{t('studio.revenue.balances')}</h2>
        <p class="hint">{t('studio.revenue.balances_explain')}</p>
        <Balances env={env} balances={props.balances} />
      </section>
      <section aria-labelledby="statement-heading">
        <h2 id="statement-heading">{t('studio.revenue.statement_of', { month: monthName(month, locale) })}</h2>
        <MonthNavigation {...props} />
        <p>
          <a href={csv} download>
            {t('studio.revenue.download_csv', { month: monthName(month, locale) })}
          </a>
        </p>
        <p class="hint">{t('studio.revenue.time_zone', { zone: timeZone })}</p>
        {statement.sections.length === 0 ? (
          <p class="empty">{t('studio.revenue.no_transactions')}</p>
        ) : (
          statement.sections.map((section) => <StatementTable env={env} section={section} month={month} timeZone={timeZone} />)
        )}
      </section>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">{t('studio.revenue.by_source')}</h2>
        <p class="hint">{t('studio.revenue.by_source_explain')}</p>
        {props.revenue.length === 0 ? (
          <p class="empty">{t('studio.revenue.no_revenue_in_range')}</p>
        ) : (
          props.revenue.map((series) => <RevenueChart env={env} series={series} id={`chart-${series.currency.toLowerCase()}`} />)
        )}
      </section>
    </StudioLayout>
  );
}
