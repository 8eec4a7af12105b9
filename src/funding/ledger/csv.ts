// Statement export as CSV (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold a
// comma, a quote or a line break. Amounts are plain decimal strings with a dot ("1234.50", "-0.45")
// in every locale, so a spreadsheet or an accountant's tool reads them exactly; only the header and
// the labels are translated.
import { toDecimalString } from '../money.js';
import type { StatementLine } from './statements.js';

const LABELS = {
  en: {
    header: ['date', 'transaction', 'kind', 'source', 'description', 'provider', 'reference', 'currency', 'gross', 'processor fee', 'platform fee', 'net', 'paid out'],
    kind: { payment: 'payment', refund: 'refund', dispute: 'dispute', dispute_reversal: 'dispute won', dispute_lost: 'dispute lost', payout: 'payout', fee_adjustment: 'fee adjustment' },
    source: { tip: 'tip', membership: 'membership', fan_budget: 'fan budget', bundle: 'bundle', campaign: 'campaign' },
  },
  fr: {
    header: ['date', 'transaction', 'type', 'origine', 'description', 'prestataire', 'référence', 'devise', 'brut', 'frais de paiement', 'frais de plateforme', 'net', 'versé'],
    kind: { payment: 'paiement', refund: 'remboursement', dispute: 'litige', dispute_reversal: 'litige gagné', dispute_lost: 'litige perdu', payout: 'versement', fee_adjustment: 'ajustement de frais' },
    source: { tip: 'pourboire', membership: 'abonnement', fan_budget: 'budget fan', bundle: 'offre groupée', campaign: 'campagne' },
  },
} as const;

/** Quotes a field when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// A text cell starting with one of these is run as a formula by spreadsheets (CSV injection):
// a leading apostrophe makes it plain text. Amounts are written by us and are never text cells.
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A statement's lines as CSV text with a header line, labels in `locale` (French for fr-*, else English),
 * dates as ISO 8601 UTC instants, amounts exact to the minor unit.
 */
export function statementCsv(lines: readonly StatementLine[], locale: string): string {
  const labels = locale.toLowerCase().startsWith('fr') ? LABELS.fr : LABELS.en;
  const rows = lines.map((l) => [
    l.occurredAt.toISOString(),
    String(l.transactionId),
    labels.kind[l.kind],
    l.source ? labels.source[l.source] : '',
    safeText(l.description),
    safeText(l.provider ?? ''),
    safeText(l.externalRef ?? ''),
    l.gross.currency,
    toDecimalString(l.gross),
    toDecimalString(l.processorFee),
    toDecimalString(l.platformFee),
    toDecimalString(l.net),
    toDecimalString(l.paidOut),
  ]);
  return [labels.header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
