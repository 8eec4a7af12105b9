// Pieces the money pages share: the channel's money tabs, and dates and amounts in the reader's locale.
import type { ChannelRow } from '../../channels/index.js';
import type { PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { formatMoney, isCurrency, money } from '../money.js';

const TABS: { path: string; label: MessageKey }[] = [
  { path: 'revenue', label: 'studio.revenue.title' },
  { path: 'tiers', label: 'studio.tiers.title' },
  { path: 'members', label: 'studio.members.title' },
];

/** Links between a channel's revenue, tiers and members pages; the current one is marked. */
export function MoneyTabs({ env, channel, current }: { env: PageEnv; channel: ChannelRow; current: string }) {
  return (
    <nav aria-label={env.t('studio.money.nav_label', { name: channel.name })}>
      <p class="tabs">
        {TABS.map((tab) => (
          <a href={`/studio/channels/${channel.handle}/${tab.path}`} aria-current={tab.path === current ? 'page' : undefined}>
            {env.t(tab.label)}
          </a>
        ))}
      </p>
    </nav>
  );
}

/** A date in the reader's language, on the site's wall clock, inside <time> for machines. */
export function DateText({ env, at, timeZone }: { env: PageEnv; at: Date | null; timeZone: string }) {
  if (!at) return <>—</>;
  return <time datetime={at.toISOString()}>{new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium', timeZone }).format(at)}</time>;
}

/**
 * An amount in minor units for people. A currency Fanfare does not know (a row written by hand) shows
 * as its raw code rather than breaking the page.
 */
export function formatAmount(amount: number, currency: string, locale: string): string {
  return isCurrency(currency) ? formatMoney(money(amount, currency), locale) : `${amount} ${currency}`;
}
