import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { monthlyStatement, recordDispute, recordPayment, recordPayout, recordRefund, runLedgerSelfCheck, statementCsv, type FundingSource } from '../ledger/index.js';
import { money, type Currency } from '../money.js';
import { createMoneySite, useLanguage, type MoneySite } from '../../../test/support/funding/money-site.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const key = () => `test:${randomUUID()}`;

describe(`revenue page and statement CSV (${ENGINE})`, () => {
  let m: MoneySite;
  before(async () => {
    m = await createMoneySite();
    const db = m.site.deps.db;
    const pay = (occurredAt: string, gross: number, fee: number, source: FundingSource, currency: Currency = 'EUR') =>
      recordPayment(db, {
        idempotencyKey: key(),
        channelId: m.channelId,
        source,
        provider: 'test',
        externalRef: key(),
        gross: money(gross, currency),
        processorFee: money(fee, currency),
        platformFeeBps: 500,
        occurredAt: new Date(occurredAt),
      });
    // October: 10.00 € − 0.45 € − 5 % of 9.55 € (0.47 €, rounded down) = 9.08 € net: November's opening.
    await pay('2026-10-10T09:00:00Z', 1000, 45, 'tip');
    // November: 5.00 € − 0.30 € − 0.23 € = 4.47 €; 20.00 € − 0.88 € − 0.95 € = 18.17 €.
    const membership = await pay('2026-11-02T10:00:00Z', 500, 30, 'membership');
    const tip = await pay('2026-11-03T11:00:00Z', 2000, 88, 'tip');
    // 2.00 € back; the site returns ⌈0.95 € × 2/20⌉ = 0.10 €: −1.90 € net. The whole membership disputed: −5.00 € + 0.23 € = −4.77 €.
    await recordRefund(db, { idempotencyKey: key(), paymentTransactionId: tip.transactionId, amount: money(200, 'EUR'), occurredAt: new Date('2026-11-10T12:00:00Z') });
    await recordDispute(db, { idempotencyKey: key(), paymentTransactionId: membership.transactionId, occurredAt: new Date('2026-11-12T12:00:00Z') });
    await recordPayout(db, { idempotencyKey: key(), channelId: m.channelId, amount: money(500, 'EUR'), occurredAt: new Date('2026-11-15T08:00:00Z'), provider: 'test', externalRef: 'po_1' });
    // A dollar tip: 3.00 $ − 0.15 $ = 2.85 $.
    await pay('2026-11-04T08:00:00Z', 300, 0, 'tip', 'USD');
  });
  after(() => m.site.close());

  const rowCells = (html: string, label: string) => {
    const row = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => r[1]!).find((r) => r.includes(label));
    assert.ok(row, `a row with ${label}`);
    return [...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim());
  };

  it('shows each line of the month with gross, both fees and net, and totals exact to the cent', async () => {
    const { res, html } = await m.owner.get('/studio/channels/camille/revenue?month=2026-11');
    assert.equal(res.status, 200);
    assert.match(html, /<h2 id="statement-heading">Statement for November 2026<\/h2>/);
    assert.deepEqual(rowCells(html, 'Payment</td><td>Memberships'), ['Nov 2, 2026', 'Payment', 'Memberships', '€5.00', '€0.30', '€0.23', '€4.47', '€0.00']);
    assert.deepEqual(rowCells(html, '€20.00'), ['Nov 3, 2026', 'Payment', 'Tips', '€20.00', '€0.88', '€0.95', '€18.17', '€0.00']);
    assert.deepEqual(rowCells(html, 'Refund'), ['Nov 10, 2026', 'Refund', 'Tips', '-€2.00', '€0.00', '-€0.10', '-€1.90', '€0.00']);
    assert.deepEqual(rowCells(html, 'Dispute'), ['Nov 12, 2026', 'Dispute', 'Memberships', '-€5.00', '€0.00', '-€0.23', '-€4.77', '€0.00']);
    assert.deepEqual(rowCells(html, 'Payout'), ['Nov 15, 2026', 'Payout', '—', '€0.00', '€0.00', '€0.00', '€0.00', '€5.00']);
    assert.deepEqual(rowCells(html, 'Balance at the start'), ['Balance at the start of the month', '€9.08', '']);
    // 18.00 € gross − 1.18 € − 0.85 € = 15.97 € net; 9.08 + 15.97 − 5.00 = 20.05 € at the end.
    assert.deepEqual(rowCells(html, 'Totals of the month'), ['Totals of the month', '€18.00', '€1.18', '€0.85', '€15.97', '€5.00']);
    assert.deepEqual(rowCells(html, 'Balance at the end'), ['Balance at the end of the month', '€20.05', '']);
    assert.deepEqual(rowCells(html, '$3.00'), ['Nov 4, 2026', 'Payment', 'Tips', '$3.00', '$0.00', '$0.15', '$2.85', '$0.00']);
  });

  it('shows the balances per currency: earned, to be paid out, paid out', async () => {
    const { html } = await m.admin.get('/studio/channels/camille/revenue');
    assert.deepEqual(rowCells(html, '<th scope="row">EUR</th>'), ['EUR', '€25.05', '€20.05', '€5.00']);
    assert.deepEqual(rowCells(html, '<th scope="row">USD</th>'), ['USD', '$2.85', '$2.85', '$0.00']);
  });

  it('shows amounts and dates in the reader’s language', async () => {
    await useLanguage(m.admin, 'fr');
    try {
      const { html } = await m.admin.get('/studio/channels/camille/revenue?month=2026-11');
      assert.match(html, /Relevé de novembre 2026/);
      const nbsp = '[\\s\\u00a0\\u202f]';
      assert.match(html, new RegExp(`<td>18,17${nbsp}€</td>`));
      assert.match(html, new RegExp(`<td>-4,77${nbsp}€</td>|<td>−4,77${nbsp}€</td>`));
      assert.match(html, /Remboursement/);
    } finally {
      await useLanguage(m.admin, 'en');
    }
  });

  it('links the months before and after, never to a month to come', async () => {
    const now = await m.owner.get('/studio/channels/camille/revenue');
    assert.match(now.html, /href="\/studio\/channels\/camille\/revenue\?month=2026-10" rel="prev"/);
    assert.doesNotMatch(now.html, /rel="next"/);
    const october = await m.owner.get('/studio/channels/camille/revenue?month=2026-10');
    assert.match(october.html, /href="\/studio\/channels\/camille\/revenue\?month=2026-11" rel="next"/);
    assert.match(october.html, /href="\/studio\/channels\/camille\/revenue\.csv\?month=2026-10"/);
    const first = await m.owner.get('/studio/channels/camille/revenue?month=2000-01');
    assert.equal(first.res.status, 200);
    assert.doesNotMatch(first.html, /rel="prev"/);
  });

  it('downloads the month as CSV, amounts exact to the cent, named after the channel and the month', async () => {
    const { res, html: body } = await m.owner.get('/studio/channels/camille/revenue.csv?month=2026-11');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="fanfare-camille-2026-11.csv"');
    const lines = body.split('\r\n');
    assert.equal(lines[0], 'date,transaction,kind,source,description,provider,reference,currency,gross,processor fee,platform fee,net,paid out');
    const amounts = lines.slice(1, -1).map((l) => l.split(',').slice(2, 4).concat(l.split(',').slice(7)));
    assert.deepEqual(amounts, [
      ['payment', 'membership', 'EUR', '5.00', '0.30', '0.23', '4.47', '0.00'],
      ['payment', 'tip', 'EUR', '20.00', '0.88', '0.95', '18.17', '0.00'],
      ['payment', 'tip', 'USD', '3.00', '0.00', '0.15', '2.85', '0.00'],
      ['refund', 'tip', 'EUR', '-2.00', '0.00', '-0.10', '-1.90', '0.00'],
      ['dispute', 'membership', 'EUR', '-5.00', '0.00', '-0.23', '-4.77', '0.00'],
      ['payout', '', 'EUR', '0.00', '0.00', '0.00', '0.00', '5.00'],
    ]);
    assert.equal(lines.at(-1), '', 'ends with CRLF');
    const statement = await monthlyStatement(m.site.deps.db, m.channelId, 2026, 11);
    assert.equal(body, statementCsv(statement.lines, 'en'));
  });

  it('labels the CSV in the reader’s language, amounts still with a dot', async () => {
    await useLanguage(m.admin, 'fr');
    try {
      const { res, html: body } = await m.admin.get('/studio/channels/camille/revenue.csv?month=2026-10');
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="fanfare-camille-2026-10.csv"');
      assert.match(body, /^date,transaction,type,origine,/);
      assert.match(body, /,paiement,pourboire,.*,EUR,10\.00,0\.45,0\.47,9\.08,0\.00\r\n$/);
    } finally {
      await useLanguage(m.admin, 'en');
    }
  });

  it('draws revenue by source over twelve months as a labelled SVG chart with a table of the figures', async () => {
    const { html } = await m.owner.get('/studio/channels/camille/revenue?month=2026-11');
    const eur = /<svg viewBox="0 0 800 320"[^>]*role="img" aria-labelledby="chart-eur-title chart-eur-desc"[^>]*>(.*?)<\/svg>/s.exec(html);
    assert.ok(eur, 'an accessible SVG for euros');
    const svg = eur[1]!;
    assert.match(svg, /<title id="chart-eur-title">Net revenue in EUR by source, December 2025 to November 2026<\/title>/);
    assert.match(svg, /<desc id="chart-eur-desc">Stacked bar chart, one bar per month \(12 months\)/);
    assert.equal([...svg.matchAll(/<g class="bar">/g)].length, 12, 'one bar per month');
    for (const month of ['Dec 25', 'Jan 26', 'Oct 26', 'Nov 26']) assert.match(svg, new RegExp(`>${month}</text>`));
    // Each bar is labelled with its total: October's tip, November's tips minus its disputed membership.
    assert.match(svg, />€9\.08<\/text>/);
    assert.match(svg, />€15\.97<\/text>/);
    assert.match(svg, /<title>Tips, November 2026: €16\.27<\/title>/);
    assert.match(svg, /<title>Memberships, November 2026: -€0\.30<\/title>/, 'a negative month is drawn below the line');
    assert.match(html, /<svg viewBox="0 0 800 320"[^>]*aria-labelledby="chart-usd-title chart-usd-desc"/, 'one chart per currency');
    assert.match(html, /<details><summary>Show the figures as a table<\/summary><table><caption>Net revenue in EUR by source/);
    assert.deepEqual(rowCells(html, '<th scope="row">November 2026</th><td>-€0.30'), ['November 2026', '-€0.30', '€16.27', '€15.97']);
  });

  it('says so when a month or the chart’s range has no money', async () => {
    const { html } = await m.owner.get('/studio/channels/noe/revenue?month=2025-01');
    assert.match(html, /Nothing happened this month/);
    assert.match(html, /No revenue in these 12 months/);
    assert.match(html, /No money received yet/);
    assert.doesNotMatch(html, /<svg viewBox/);
  });

  it('refuses a malformed, impossible or future month with a translated 400, on the page and the CSV', async () => {
    const bad = ['2026-13', '2026-00', '1999-12', 'abc', '2026-1', '2026-11-01', ' 2026-11', '%00', '２０２６-１１', '99999-01'];
    for (const path of ['revenue', 'revenue.csv']) {
      for (const month of bad) {
        const { res, html } = await m.owner.get(`/studio/channels/camille/${path}?month=${encodeURIComponent(month)}`);
        assert.equal(res.status, 400, `${path} ${month}`);
        assert.match(html, /The month must be written as year-month, like 2026-11/);
      }
      const future = await m.owner.get(`/studio/channels/camille/${path}?month=2026-12`);
      assert.equal(future.res.status, 400);
      assert.match(future.html, /This month has not come yet/);
    }
    await useLanguage(m.admin, 'fr');
    try {
      const { res, html } = await m.admin.get('/studio/channels/camille/revenue?month=2027-01');
      assert.equal(res.status, 400);
      assert.match(html, /Ce mois n&#39;est pas encore arrivé|Ce mois n'est pas encore arrivé/);
    } finally {
      await useLanguage(m.admin, 'en');
    }
  });

  it('warns the site owner when the ledger’s latest self-check found problems, and shows nothing while it is ok', async () => {
    const warning = (html: string) => /<section class="notice notice-error ledger-check" role="alert"[^>]*>(.*?)<\/section>/s.exec(html)?.[1];
    await runLedgerSelfCheck(m.site.deps, 'test.revenue_page'); // these books are healthy
    assert.equal(warning((await m.owner.get('/studio/channels/camille/revenue')).html), undefined);
    // What a money job records when it finds the books broken (ledger/self-check.test.ts breaks them for real).
    const findings = [
      { check: 'balance_on_wrong_side', detail: { code: 'platform:fees:EUR', raw: -500 } },
      { check: 'transaction_unbalanced', detail: { transaction_id: 9, currency: 'EUR', channel_id: m.channelId, sum: 1 } },
    ];
    await m.site.deps.db.query(`INSERT INTO ledger_checks (checked_at, trigger, ok, finding_count, findings) VALUES ($1, 'membership.renew', false, 2, $2::jsonb)`, [
      new Date('2026-11-21T11:30:00Z'),
      JSON.stringify(findings),
    ]);
    const block = warning((await m.owner.get('/studio/channels/camille/revenue')).html);
    assert.ok(block, 'the owner sees the warning');
    assert.match(block, /<h2 id="ledger-check-heading">The books failed their self-check<\/h2>/);
    assert.match(block, /On November 21, 2026.*11:30.*, the automatic check of the ledger found 2 problems in the books/);
    assert.match(block, /<li><code>balance_on_wrong_side<\/code><\/li><li><code>transaction_unbalanced<\/code><\/li>/);
    assert.match(block, /LEDGER SELF-CHECK FAILED/);
    assert.ok(warning((await m.owner.get('/studio/channels/noe/revenue')).html), 'on every channel’s page: the books are the site’s');
    assert.equal(warning((await m.admin.get('/studio/channels/camille/revenue')).html), undefined, 'channel admins cannot act on it');
    await useLanguage(m.owner, 'fr');
    try {
      assert.match(warning((await m.owner.get('/studio/channels/camille/revenue')).html) ?? '', /Le contrôle automatique des comptes a échoué.*Le 21 novembre 2026.*2 anomalies/s);
    } finally {
      await useLanguage(m.owner, 'en');
    }
    await runLedgerSelfCheck(m.site.deps, 'test.revenue_page'); // a later check passes: the warning goes
    assert.equal(warning((await m.owner.get('/studio/channels/camille/revenue')).html), undefined);
  });
});
