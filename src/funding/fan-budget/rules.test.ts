import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBudgetSite, setBudgetWithCard } from '../../../test/support/fan-budget/site.js';
import { createManualClock, signUpFan, type TestSite } from '../../../test/support/harness.js';
import { checkLedgerInvariants } from '../ledger/index.js';
import { fanBudgetSettlement, monthEnd, settleMonth } from './index.js';

const TZ = 'America/New_York';
const clock = createManualClock(new Date('2028-02-10T15:00:00Z'));

/** February 2028 (a leap month) in New York: budgets changed, stopped, and a channel deleted before the close. */
describe('the fan-budget rules at the close', () => {
  let site: TestSite;
  let ids: Record<string, string> = {};
  const charge = async (email: string) =>
    (await site.deps.db.query<{ amount: number; status: string; clicks: number }>(
      `SELECT c.amount::int, c.status, c.clicks FROM fan_budget_charges c JOIN users u ON u.id = c.user_id WHERE u.email = $1 AND c.month = '2028-02'`,
      [email],
    ))[0];
  const sharesOf = async (email: string) =>
    site.deps.db.query<{ channel_id: string; gross: number }>(
      `SELECT i.channel_id, sum(i.gross)::int AS gross FROM fan_budget_charge_items i JOIN fan_budget_charges c ON c.id = i.charge_id JOIN users u ON u.id = c.user_id
        WHERE u.email = $1 GROUP BY i.channel_id`,
      [email],
    );

  before(async () => {
    ({ site, ids } = await createBudgetSite(clock, TZ));
    const support = async (email: string, choice: string, videos: string[]) => {
      const fan = await signUpFan(site, email);
      await setBudgetWithCard(site, clock, fan, { choice }, '4242424242424242');
      for (const v of videos) await fan.post(`/v/${v}/support`, { on: 'true' });
      return fan;
    };
    const changer = await support('changer@example.org', '500', ['CamilleV01']);
    assert.equal((await changer.post('/account/budget', { choice: '', other: '12.34' })).res.headers.get('location'), '/account/budget?notice=budget_saved', 'an active budget changes without a new card');
    await support('one@example.org', '200', ['CamilleV02']);
    await support('split@example.org', '1000', ['CamilleV01', 'NoeVideo01']);
    await support('only-noe@example.org', '500', ['NoeVideo01']);
    const stopper = await support('stopper@example.org', '500', ['CamilleV01']);
    await stopper.post('/account/budget/stop', { stop: 'yes' });
    await support('idle@example.org', '500', []);
    // The channel noe goes before the close (it has no money history yet, so it can be deleted).
    await site.deps.db.query('DELETE FROM channels WHERE id = $1', [ids['noe']]);
    clock.advance(monthEnd('2028-02', TZ).getTime() - clock.now().getTime());
    await settleMonth(fanBudgetSettlement(site.site.ctx), '2028-02');
  });
  after(() => site.close());

  it('charges the budget in force at the close when it was changed mid-month', async () => {
    assert.deepEqual({ ...(await charge('changer@example.org')) }, { amount: 1234, status: 'succeeded', clicks: 1 });
  });

  it('gives the whole budget to the one item a fan supported', async () => {
    assert.deepEqual((await sharesOf('one@example.org')).map((s) => ({ ...s })), [{ channel_id: ids['camille'], gross: 200 }]);
  });

  it('gives a deleted channel’s share to the fan’s other clicks', async () => {
    assert.deepEqual({ ...(await charge('split@example.org')) }, { amount: 1000, status: 'succeeded', clicks: 1 });
    assert.deepEqual((await sharesOf('split@example.org')).map((s) => ({ ...s })), [{ channel_id: ids['camille'], gross: 1000 }]);
  });

  it('charges nothing to a fan whose only clicks were on the deleted channel, to a stopped budget, or to a fan with no click', async () => {
    assert.equal(await charge('only-noe@example.org'), undefined);
    assert.equal(await charge('stopper@example.org'), undefined);
    assert.equal(await charge('idle@example.org'), undefined);
  });

  it('ends with balanced books', async () => {
    assert.deepEqual(await checkLedgerInvariants(site.deps.db), []);
    const [row] = await site.deps.db.query<{ report: { fans: { succeeded: number } } }>(`SELECT report FROM fan_budget_months WHERE month = '2028-02'`);
    assert.equal(row!.report.fans.succeeded, 3);
  });
});
