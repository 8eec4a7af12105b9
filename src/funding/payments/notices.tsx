// What the Studio shows a channel's admins about money the site handled by itself: automatic refunds,
// refunds the rail could not make, refused webhooks (migration 014). Rendered on the revenue page.
import type { Queryable } from '../../core/db/index.js';
import { CsrfField, type PageEnv } from '../../core/http/layout.js';
import { formatMoney, isCurrency, money } from '../money.js';
import { dismissNotice, listNotices, type PaymentNoticeRow } from './queries.js';

/** The latest notices of a channel; the site owner also sees those about no known payment. */
export function paymentNoticesFor(db: Queryable, channelId: string, siteOwner: boolean): Promise<PaymentNoticeRow[]> {
  return listNotices(db, channelId, siteOwner);
}

/** Dismisses a notice `paymentNoticesFor(db, channelId, siteOwner)` lists; false when it lists no such notice. */
export function dismissPaymentNotice(db: Queryable, noticeId: string, channelId: string, siteOwner: boolean, at: Date): Promise<boolean> {
  return dismissNotice(db, noticeId, channelId, siteOwner, at);
}

/**
 * The notices as a section of a Studio page, each with a button that dismisses it (posted to
 * `{dismissAction}/{id}/dismiss`); nothing when there are none.
 */
export function PaymentNotices({ env, notices, dismissAction }: { env: PageEnv; notices: PaymentNoticeRow[]; dismissAction: string }) {
  if (notices.length === 0) return <></>;
  const { t, locale } = env;
  const amountOf = (n: PaymentNoticeRow) => (n.amount !== null && n.currency && isCurrency(n.currency) ? formatMoney(money(n.amount, n.currency), locale) : '');
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return (
    <section class="notice notice-warning payment-notices" aria-labelledby="payment-notices-heading">
      <h2 id="payment-notices-heading">{t('payment.notices_heading')}</h2>
      <ul>
        {notices.map((n) => (
          <li data-kind={n.kind}>
            <time datetime={n.created_at.toISOString()}>{when.format(n.created_at)}</time>{' '}
            {n.kind === 'auto_refund'
              ? t('payment.notice.auto_refund', { amount: amountOf(n), reason: n.detail })
              : n.kind === 'auto_refund_failed'
                ? t('payment.notice.auto_refund_failed', { amount: amountOf(n), detail: n.detail })
                : t('payment.notice.webhook_refused', { detail: n.detail })}{' '}
            <form method="post" action={`${dismissAction}/${n.id}/dismiss`} class="inline">
              <CsrfField env={env} />
              <button type="submit" class="link-button">{t('payment.notice_dismiss')}</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
