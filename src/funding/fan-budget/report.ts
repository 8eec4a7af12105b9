// The month report as `fanfare settle` prints it: plain text, amounts in minor units and formatted.
import { formatMoney, isCurrency, money } from '../money.js';
import type { MonthReport } from './queries.js';

/** The report in a few lines for a terminal (English: the CLI speaks to the site's operator). */
export function formatReport(r: MonthReport): string {
  const fmt = (amount: number) => (isCurrency(r.currency) ? formatMoney(money(amount, r.currency), 'en') : String(amount));
  const lines = [
    `Fan budget ${r.month}: ${r.fans.charged} fans to charge — ${r.fans.succeeded} paid, ${r.fans.pending} pending, ${r.fans.retrying} retrying, ${r.fans.unpaid} unpaid`,
    `Paid ${fmt(r.amounts.charged)} = processor fees ${fmt(r.amounts.processorFees)} + platform fees ${fmt(r.amounts.platformFees)} + creators ${fmt(r.amounts.toCreators)}`,
    ...r.creators.map((c) => `  ${c.name} (${c.channelId}): ${c.items} supported items, gross ${fmt(c.gross)}, net ${fmt(c.net)}`),
    ...r.failures.map((f) => `  failures ${f.code}: ${f.count}`),
    `Ledger self-check: ${r.ledgerOk && r.problems.length === 0 ? 'ok' : `FAILED\n  ${r.problems.join('\n  ')}`}`,
  ];
  return lines.join('\n');
}
