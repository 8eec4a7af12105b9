// The members list as CSV (RFC 4180, through the ledger's csvField): labels in the reader's language,
// dates as ISO 8601 instants and amounts as plain decimals with a dot, so spreadsheets read them exactly.
import type { Translate } from '../../core/i18n/index.js';
import { csvField } from '../ledger/index.js';
import type { MemberListRow } from '../memberships/queries.js';
import { isCurrency, money, toDecimalString } from '../money.js';
import { INTERVAL_LABELS, statusLabel } from './labels.js';
import { nextDate } from './member-pages.js';

// Names and e-mails are typed by fans: a cell starting like a formula would run in a spreadsheet
// (CSV injection). A leading apostrophe makes it text, as the ledger's statement export does.
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const iso = (at: Date | null) => (at ? at.toISOString() : '');

/** Every member as one CSV line after a header line; CRLF line ends. */
export function membersCsv(members: readonly MemberListRow[], t: Translate): string {
  const header = [
    t('studio.members.name'),
    t('account.email'),
    t('studio.members.tier'),
    t('studio.members.interval'),
    t('studio.members.status'),
    t('studio.members.since'),
    t('studio.members.renews_or_ends'),
    t('studio.members.price'),
    t('studio.revenue.currency'),
  ];
  const rows = members.map((m) => [
    safeText(m.display_name),
    safeText(m.email),
    safeText(m.tier_name),
    t(INTERVAL_LABELS[m.billing_interval]),
    statusLabel(t, m.status),
    iso(m.created_at),
    iso(nextDate(m)),
    m.price !== null && isCurrency(m.currency) ? toDecimalString(money(m.price, m.currency)) : '',
    m.currency,
  ]);
  return [header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
