import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../../test/support/db.js';
import type { Db } from '../../core/db/index.js';
import { money } from '../money.js';
import { statementCsv } from './csv.js';
import { checkLedgerInvariants } from './invariants.js';
import { recordPayment } from './payments.js';
import { recordPayout } from './payouts.js';
import { recordDispute, recordRefund } from './reversals.js';
import { monthlyStatement, revenueBySource } from './statements.js';
import { createChannel, newKey } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const eur = (cents: number) => money(cents, 'EUR');

describe(`ledger statements (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let channelId: string;
  before(async () => {
    ({ db, drop } = await openTestDb());
    channelId = await createChannel(db);
    const pay = (occurredAt: string, gross: number, processorFee: number, source: 'tip' | 'membership', description = '', externalRef = newKey('ch')) =>
      recordPayment(db, {
        idempotencyKey: newKey(),
        channelId,
        source,
        provider: 'test',
        externalRef,
        gross: eur(gross),
        processorFee: eur(processorFee),
        platformFeeBps: 500,
        occurredAt: new Date(occurredAt),
        description,
      });
    await pay('2026-02-10T09:00:00Z', 300, 0, 'tip'); // February: the opening balance, 2.85 € net
    const first = await pay('2026-03-02T10:00:00Z', 1000, 45, 'tip', 'Tip, "thanks"', 'ch_1');
    const second = await pay('2026-03-03T11:00:00Z', 500, 30, 'membership', '=HYPERLINK("x")', 'ch_2');
    await recordRefund(db, { idempotencyKey: newKey(), paymentTransactionId: first.transactionId, amount: eur(200), occurredAt: new Date('2026-03-10T12:00:00Z'), externalRef: 're_1' });
    await recordDispute(db, { idempotencyKey: newKey(), paymentTransactionId: second.transactionId, occurredAt: new Date('2026-03-12T12:00:00Z'), externalRef: 'dp_1' });
    await recordPayout(db, { idempotencyKey: newKey(), channelId, amount: eur(500), occurredAt: new Date('2026-03-20T08:00:00Z'), provider: 'test', externalRef: 'po_1' });
    // 23:30 UTC on 31 March is already April in Paris.
    await pay('2026-03-31T23:30:00Z', 2000, 0, 'tip');
  });
  after(async () => {
    assert.deepEqual(await checkLedgerInvariants(db), []);
    await drop();
  });

  it('lists each payment with gross, both fees and net, refunds and disputes as lines, and balances that add up', async () => {
    const statement = await monthlyStatement(db, channelId, 2026, 3);
    const figures = statement.lines.map((l) => [l.kind, l.gross.amount, l.processorFee.amount, l.platformFee.amount, l.net.amount, l.paidOut.amount]);
    assert.deepEqual(figures, [
      // 10.00 € − 0.45 € − 5 % of 9.55 € (0.4775 → 0.47 €) = 9.08 €
      ['payment', 1000, 45, 47, 908, 0],
      // 5.00 € − 0.30 € − 5 % of 4.70 € (0.235 → 0.23 €) = 4.47 €
      ['payment', 500, 30, 23, 447, 0],
      // 2.00 € back to the fan; the platform returns ⌈0.47 × 2/10⌉ = 0.10 €
      ['refund', -200, 0, -10, -190, 0],
      // the whole 5.00 € disputed; the platform returns its whole 0.23 €
      ['dispute', -500, 0, -23, -477, 0],
      ['payout', 0, 0, 0, 0, 500],
      ['payment', 2000, 0, 100, 1900, 0],
    ]);
    const [section] = statement.sections;
    assert.deepEqual(section!.opening, eur(285));
    assert.deepEqual(section!.totals, { gross: eur(2800), processorFee: eur(75), platformFee: eur(137), net: eur(2588), paidOut: eur(500) });
    assert.deepEqual(section!.closing, eur(285 + 2588 - 500));
  });

  it('reads months in the site’s time zone', async () => {
    const paris = await monthlyStatement(db, channelId, 2026, 3, { timeZone: 'Europe/Paris' });
    assert.equal(paris.lines.length, 5);
    const april = await monthlyStatement(db, channelId, 2026, 4, { timeZone: 'Europe/Paris' });
    assert.deepEqual(april.lines.map((l) => l.gross.amount), [2000]);
    assert.deepEqual(april.sections[0]!.opening, paris.sections[0]!.closing);
  });

  it('exports the statement as RFC 4180 CSV, amounts exact to the cent, formulas defused', async () => {
    const { lines } = await monthlyStatement(db, channelId, 2026, 3, { timeZone: 'Europe/Paris' });
    const ids = lines.map((l) => l.transactionId);
    assert.equal(
      statementCsv(lines, 'fr-FR'),
      [
        'date,transaction,type,origine,description,prestataire,référence,devise,brut,frais de paiement,frais de plateforme,net,versé',
        `2026-03-02T10:00:00.000Z,${ids[0]},paiement,pourboire,"Tip, ""thanks""",test,ch_1,EUR,10.00,0.45,0.47,9.08,0.00`,
        `2026-03-03T11:00:00.000Z,${ids[1]},paiement,abonnement,"'=HYPERLINK(""x"")",test,ch_2,EUR,5.00,0.30,0.23,4.47,0.00`,
        `2026-03-10T12:00:00.000Z,${ids[2]},remboursement,pourboire,,test,re_1,EUR,-2.00,0.00,-0.10,-1.90,0.00`,
        `2026-03-12T12:00:00.000Z,${ids[3]},litige,abonnement,,test,dp_1,EUR,-5.00,0.00,-0.23,-4.77,0.00`,
        `2026-03-20T08:00:00.000Z,${ids[4]},versement,,,test,po_1,EUR,0.00,0.00,0.00,0.00,5.00`,
        '',
      ].join('\r\n'),
    );
    assert.match(statementCsv(lines, 'en').split('\r\n')[0]!, /^date,transaction,kind,source,.*,gross,processor fee,platform fee,net,paid out$/);
  });

  it('gives revenue by month and source for a chart, empty months included', async () => {
    const series = await revenueBySource(db, channelId, '2026-01', '2026-04');
    assert.deepEqual(series, [
      {
        currency: 'EUR',
        months: ['2026-01', '2026-02', '2026-03', '2026-04'],
        sources: [
          { source: 'membership', gross: [0, 0, 0, 0], net: [0, 0, -30, 0] },
          { source: 'tip', gross: [0, 300, 2800, 0], net: [0, 285, 2618, 0] },
        ],
      },
    ]);
  });
});
