import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createBudgetSite, setBudgetWithCard } from '../../../test/support/fan-budget/site.js';
import { createManualClock, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { urlOfTestDatabase } from '../../../test/support/jobs/helpers.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import { fanBudgetSettlement, monthEnd, monthStart, settleMonth, type SettleHooks } from './index.js';

const TZ = 'Europe/Paris';
const CHILD = fileURLToPath(new URL('../../../test/support/fan-budget/settle-and-hang.ts', import.meta.url));
const onPostgres = Boolean(process.env.DATABASE_URL);

/** Where a run dies: before each stage, after the provider answered a charge (not yet recorded), after a charge. */
const STOPS = ['stage:plan', 'stage:charge', 'answered:1', 'charged:2', 'answered:4', 'stage:check', 'stage:report'];
/** Fans, their cards and what they support each month (4242 pays; 0341 is declined off-session). */
const FANS = [
  { email: 'ana@example.org', card: '4242424242424242', choice: '500', videos: ['CamilleV01', 'CamilleV02', 'NoeVideo01'] },
  { email: 'bo@example.org', card: '4242424242424242', choice: '1000', videos: ['NoeVideo01'] },
  { email: 'cy@example.org', card: '4000000000000341', choice: '200', videos: ['CamilleV01'] },
  { email: 'di@example.org', card: '5555555555554444', choice: '2000', videos: ['CamilleV02', 'NoeVideo01'] },
];

class Killed extends Error {}

describe('the fan-budget settlement, killed at every stage', () => {
  let site: TestSite;
  const clock = createManualClock(new Date('2026-01-05T12:00:00Z'));

  before(async () => {
    ({ site } = await createBudgetSite(clock, TZ));
    for (const f of FANS) await setBudgetWithCard(site, clock, await signUpFan(site, f.email), { choice: f.choice }, f.card);
  });
  after(() => site.close());

  /** Clicks of every fan in `month` (written directly: sessions do not last the months this test spans), then the clock at its close. */
  async function liveMonth(month: string) {
    clock.advance(monthStart(month, TZ).getTime() + 86_400_000 - clock.now().getTime());
    for (const f of FANS) {
      for (const v of f.videos) {
        await site.deps.db.query(
          `INSERT INTO fan_budget_clicks (month, user_id, channel_id, video_id) SELECT $1, u.id, v.channel_id, v.id FROM users u, videos v WHERE u.email = $2 AND v.short_id = $3`,
          [month, f.email, v],
        );
      }
    }
    clock.advance(monthEnd(month, TZ).getTime() - clock.now().getTime());
  }

  /** What the month wrote, without its ids: per fan, charge status, ledger postings and item shares. */
  async function booksOf(month: string) {
    const db = site.deps.db;
    const charges = await db.query(`SELECT u.email, c.amount::int, c.status, c.attempts FROM fan_budget_charges c JOIN users u ON u.id = c.user_id WHERE c.month = $1 ORDER BY 1`, [month]);
    const postings = await db.query(
      `SELECT u.email, ch.handle, a.kind, p.amount::int FROM fan_budget_charges c JOIN users u ON u.id = c.user_id JOIN payments pay ON pay.id = c.payment_id
         JOIN ledger_postings p ON p.transaction_id = pay.ledger_transaction_id JOIN ledger_accounts a ON a.id = p.account_id LEFT JOIN channels ch ON ch.id = p.channel_id
        WHERE c.month = $1 ORDER BY 1, 2, 3, 4`,
      [month],
    );
    const items = await db.query(`SELECT u.email, i.title, i.gross::int, i.net::int FROM fan_budget_charge_items i JOIN fan_budget_charges c ON c.id = i.charge_id JOIN users u ON u.id = c.user_id WHERE c.month = $1 ORDER BY 1, 2`, [month]);
    const paid = await db.query(
      `SELECT u.email, count(*)::int AS n FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.purpose = 'fan_budget' AND p.status = 'succeeded' AND p.idempotency_key LIKE 'fan-budget:%' AND p.id IN (SELECT cp.payment_id FROM fan_budget_charge_payments cp JOIN fan_budget_charges c ON c.id = cp.charge_id WHERE c.month = $1)
        GROUP BY 1 ORDER BY 1`,
      [month],
    );
    const report = (await db.query<{ report: Record<string, unknown> }>('SELECT report FROM fan_budget_months WHERE month = $1', [month]))[0]?.report;
    return { charges, postings, items, paid, report: report && { ...report, month: undefined } };
  }

  const settle = (month: string, hooks?: SettleHooks) => settleMonth(fanBudgetSettlement(site.site.ctx), month, hooks);

  /** Kills a run at `stop`: a SIGKILLed child process on PostgreSQL, an exception in this process on PGlite. */
  async function killAt(month: string, stop: string) {
    if (!onPostgres) {
      let answered = 0;
      let charged = 0;
      const die = (point: string) => {
        if (point === stop) throw new Killed(stop);
      };
      await assert.rejects(settle(month, { stage: (s) => die(`stage:${s}`), answered: () => die(`answered:${++answered}`), charged: () => die(`charged:${++charged}`) }), Killed);
      return;
    }
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, await urlOfTestDatabase(site.deps.db), month, clock.now().toISOString(), TZ, stop], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('STOPPED')) resolve();
      });
      child.on('exit', () => reject(new Error(`the settlement child ended before ${stop}: ${out} ${err}`)));
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
  }

  let baseline: Awaited<ReturnType<typeof booksOf>>;

  it('settles a reference month in one uninterrupted run', async () => {
    await liveMonth('2026-01');
    await settle('2026-01');
    baseline = await booksOf('2026-01');
    assert.equal(baseline.charges.length, 4);
    assert.deepEqual(baseline.paid.map((p) => (p as { n: number }).n), [1, 1, 1]);
  });

  for (const [i, stop] of STOPS.entries()) {
    const month = `2026-${String(i + 2).padStart(2, '0')}`;
    it(`can be restarted after a crash at ${stop} (${onPostgres ? 'SIGKILL of a child process on PostgreSQL' : 'an exception on PGlite'}) and writes exactly the reference books`, async () => {
      await liveMonth(month);
      await killAt(month, stop);
      await settle(month);
      assert.deepEqual(await booksOf(month), baseline);
      await settle(month);
      assert.deepEqual(await booksOf(month), baseline, 'a second run changes nothing');
      assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    });
  }
});
