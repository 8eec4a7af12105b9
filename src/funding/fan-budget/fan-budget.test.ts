import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestClient } from '../../../test/support/client.js';
import { createBudgetSite, mailText, setBudgetWithCard } from '../../../test/support/fan-budget/site.js';
import { createManualClock, readOutbox, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { runDueJobsOnce } from '../../core/jobs/index.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import { fanBudgetSettlement, monthEnd, settleMonth } from './index.js';

const TZ = 'Europe/Paris';
const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const DAY = 86_400_000;

describe('the monthly fan budget on a whole site', () => {
  let site: TestSite;
  let owner: TestClient;
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });
  let ids: Record<string, string> = {};
  const settle = (month: string) => settleMonth(fanBudgetSettlement(site.site.ctx), month);
  const journalSize = async () => (await site.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_postings'))[0]!.n;

  const setBudget = (fan: TestClient, fields: Record<string, string>, card: string) => setBudgetWithCard(site, clock, fan, fields, card);

  before(async () => {
    ({ site, owner, ids } = await createBudgetSite(clock, TZ));
  });
  after(() => site.close());

  it('sets a €5 budget with a saved card and nothing charged, counts a video supported twice once, and previews the split live', async () => {
    const fan = await signUpFan(site, 'fan@example.org');
    await setBudget(fan, { choice: '500' }, '4242424242424242');
    assert.match((await fan.get('/account/budget')).html, /Active: €5\.00 a month/);
    assert.equal(await journalSize(), 0, 'saving the card charged nothing');
    for (const v of ['CamilleV01', 'CamilleV01', 'CamilleV02', 'NoeVideo01']) assert.equal((await fan.post(`/v/${v}/support`, { on: 'true' })).res.status, 303);
    const page = (await fan.get('/account/budget')).html;
    assert.match(page, /3 items supported — about €1\.55 each after fees/);
    assert.match((await fan.get('/v/CamilleV01')).html, /Supported this month — undo/);
  });

  it('lets a fan undo a click until the month closes', async () => {
    const fan = await signUpFan(site, 'undo@example.org');
    await fan.post('/v/NoeVideo01/support', { on: 'true' });
    await fan.post('/v/NoeVideo01/support', { on: 'false' });
    assert.match((await fan.get('/account/budget')).html, /Nothing supported yet this month/);
  });

  it('refuses a budget below the minimum, in the fan’s language, without saving it', async () => {
    const fan = await signUpFan(site, 'small@example.org');
    const res = await fan.post('/account/budget', { choice: '', other: '1' });
    assert.equal((await fan.post('/account/budget', {})).res.status, 422, 'no amount at all');
    assert.equal(res.res.status, 422);
    assert.match(res.html, /below the smallest monthly budget/);
    assert.equal((await site.deps.db.query('SELECT 1 FROM fan_budgets f JOIN users u ON u.id = f.user_id WHERE u.email = $1', ['small@example.org'])).length, 0);
  });

  it('will not settle a month before 00:00 on the 1st in the site time zone', async () => {
    clock.advance(monthEnd('2026-11', TZ).getTime() - clock.now().getTime() - 1);
    await assert.rejects(settle('2026-11'), /closes at 2026-11-30T23:00:00\.000Z/);
  });

  it('declines off-session for a second fan: retried 1, 3 and 6 days after the close, then unpaid, nothing credited', async () => {
    // Set up before the close (the clock is 1 ms before it).
    const fan = await signUpFan(site, 'declined@example.org');
    await setBudget(fan, { choice: '1000' }, '4000000000000341');
    await fan.post('/v/NoeVideo01/support', { on: 'true' });
    clock.advance(1);
    const report = await settle('2026-11');
    assert.deepEqual(report.fans, { charged: 2, succeeded: 1, pending: 0, retrying: 1, unpaid: 0 });
    for (const days of [1, 3, 6]) {
      clock.advance(monthEnd('2026-11', TZ).getTime() + days * DAY - clock.now().getTime() + 1000);
      await runJobs();
    }
    const [charge] = await site.deps.db.query<{ status: string; attempts: number }>(
      `SELECT c.status, c.attempts FROM fan_budget_charges c JOIN users u ON u.id = c.user_id WHERE u.email = 'declined@example.org'`,
    );
    assert.deepEqual({ ...charge }, { status: 'unpaid', attempts: 4 });
    const credited = await site.deps.db.query(`SELECT 1 FROM ledger_transactions t JOIN users u ON u.id = t.fan_user_id WHERE u.email = 'declined@example.org'`);
    assert.equal(credited.length, 0, 'an unpaid charge credits nothing');
    const mails = readOutbox(site.outboxDir).map(mailText).filter((m) => m.includes('To: declined@example.org') && m.includes('payment failed'));
    assert.equal(mails.length, 4, 'one e-mail per failed attempt, the last saying nothing was credited');
    assert.match(mails.at(-1)!, /nothing was credited/);
  });

  it('splits the paid budget exactly: Camille 2 clicks of 3, Noé 1, each item its share, in the ledger and the statements', async () => {
    const shares = await site.deps.db.query<{ handle: string; gross: number; net: number }>(
      `SELECT ch.handle, sum(i.gross)::int AS gross, sum(i.net)::int AS net FROM fan_budget_charge_items i JOIN channels ch ON ch.id = i.channel_id
         JOIN fan_budget_charges c ON c.id = i.charge_id WHERE c.status = 'succeeded' GROUP BY ch.handle ORDER BY ch.handle`,
    );
    // €5.00: processor fee 1.5 % + 25 c = 33 c (rounded as the test bank does); gross by clicks, 2:1 by largest remainder.
    const total = shares.reduce((s, r) => s + r.gross, 0);
    assert.equal(total, 500);
    const byHandle = Object.fromEntries(shares.map((r) => [r.handle, r]));
    assert.deepEqual([byHandle['camille']!.gross, byHandle['noe']!.gross].sort(), [167, 333].sort());
    const payable = await site.deps.db.query<{ channel_id: string; amount: number }>(
      `SELECT a.channel_id, sum(p.amount)::int AS amount FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.kind = 'creator_payable' GROUP BY a.channel_id`,
    );
    for (const row of payable) assert.equal(row.amount, row.channel_id === ids['camille'] ? byHandle['camille']!.net : byHandle['noe']!.net, 'the ledger credits each creator what the charge items say');
    const statement = (await owner.get('/studio/channels/camille/fan-budget')).html;
    assert.match(statement, /Video CamilleV01/);
    assert.match(statement, /Video CamilleV02/);
    assert.doesNotMatch(statement, /NoeVideo01/);
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
  });

  it('e-mails the fan where the month’s money went, per creator and per item', async () => {
    const mail = readOutbox(site.outboxDir).map(mailText).find((m) => m.includes('To: fan@example.org') && m.includes('Your fan budget for 2026-11'));
    assert.ok(mail, 'the month e-mail');
    assert.match(mail!, /shared among 3 items of 2 creators/);
    assert.match(mail!, /Noé joue: €/);
    assert.match(mail!, /Video CamilleV02: €/);
  });

  it('settles a month once: run again, it posts nothing and returns the same report', async () => {
    const before = await journalSize();
    const first = (await site.deps.db.query<{ report: unknown }>(`SELECT report FROM fan_budget_months WHERE month = '2026-11'`))[0]!.report;
    assert.deepEqual(await settle('2026-11'), first);
    assert.equal(await journalSize(), before);
  });

  it('charges nothing to a fan with a budget and no click, and settles an empty month', async () => {
    clock.advance(monthEnd('2026-12', TZ).getTime() - clock.now().getTime());
    const report = await settle('2026-12');
    assert.equal(report.fans.charged, 0);
    assert.equal(report.amounts.charged, 0);
  });
});
