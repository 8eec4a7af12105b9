// Model-based property test: random payments (random fees and fee rates, split or not, EUR or JPY),
// refunds, disputes and their outcomes, payouts, delivered out of order, replayed, and sometimes under
// a key another event already used — through the real ledger and through LedgerModel. After each run
// the outcomes, every balance and every payment's refundable amount must agree, the self-check must
// be clean, and no unit may have been created or lost.
// LEDGER_MODEL_RUNS (default 20) and LEDGER_MODEL_EVENTS (default 70 events per run, each delivered
// about 2.5 times) make it bigger: LEDGER_MODEL_RUNS=200 LEDGER_MODEL_EVENTS=300 npm test -- src/funding/ledger
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { openTestDb } from '../../../test/support/db.js';
import type { Db } from '../../core/db/index.js';
import { money, MoneyError, type Currency } from '../money.js';
import { recordDisputeResolved } from './disputes.js';
import { checkLedgerInvariants } from './invariants.js';
import { LedgerModel, type Outcome } from '../../../test/support/funding/ledger-model.js';
import { recordSplitPayment } from './payments.js';
import { recordPayout } from './payouts.js';
import { allAccountBalances } from './queries.js';
import { recordDispute, recordRefund, refundableAmount } from './reversals.js';
import { createChannel } from '../../../test/support/funding/ledger.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const RUNS = Number(process.env.LEDGER_MODEL_RUNS ?? 20);
const EVENTS = Number(process.env.LEDGER_MODEL_EVENTS ?? 70);
const PROVIDER = 'model';

type Event =
  | { type: 'pay'; currency: Currency; gross: number; feePermille: number; bps: number; shares: { channel: number; weight: number }[] }
  | { type: 'refund'; payment: number; permille: number }
  | { type: 'dispute'; payment: number; permille: number | null; fee: number }
  | { type: 'resolve'; dispute: number; outcome: 'won' | 'lost' }
  | { type: 'payout'; channel: number; currency: Currency; amount: number };

const currency = fc.constantFrom<Currency>('EUR', 'JPY');
const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('pay' as const),
      currency,
      gross: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 200_000 })),
      feePermille: fc.integer({ min: 0, max: 1000 }),
      bps: fc.oneof(fc.constant(0), fc.constant(1000), fc.integer({ min: 0, max: 1000 })),
      shares: fc.uniqueArray(fc.record({ channel: fc.integer({ min: 0, max: 2 }), weight: fc.integer({ min: 1, max: 7 }) }), { minLength: 1, maxLength: 3, selector: (s) => s.channel }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('refund' as const), payment: fc.nat(), permille: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('dispute' as const), payment: fc.nat(), permille: fc.option(fc.integer({ min: 1, max: 1000 })), fee: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 })) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('resolve' as const), dispute: fc.nat(), outcome: fc.constantFrom('won' as const, 'lost' as const) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('payout' as const), channel: fc.integer({ min: 0, max: 2 }), currency, amount: fc.integer({ min: 1, max: 5000 }) }) },
);

const scenarioArb = fc
  .array(fc.record({ event: eventArb, keyOf: fc.oneof({ weight: 19, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }) }), { minLength: Math.ceil(EVENTS / 2), maxLength: EVENTS, size: 'max' })
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      // Deliveries in random order with repeats (webhook retries, replays); then every event once more in order.
      deliveries: fc.array(fc.nat({ max: events.length - 1 }), { minLength: events.length, maxLength: Math.ceil(events.length * 1.5), size: 'max' }),
    }),
  );

function outcomeOf(error: unknown): Outcome {
  if (error instanceof MoneyError) return `error:${error.code}`;
  throw error;
}

describe(`ledger against an in-memory model (${ENGINE})`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await openTestDb()));
  after(() => drop());

  it('agrees with the model on outcomes, balances and refundable amounts, and loses no cent, whatever the order and replays', async () => {
    let operations = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events, deliveries }) => {
        const run = randomUUID().slice(0, 8);
        const channels = [await createChannel(db), await createChannel(db), await createChannel(db)];
        const before = new Map((await allAccountBalances(db)).map((r) => [r.code, r.raw]));
        const model = new LedgerModel();
        const ledgerIds = new Map<number, number>();
        const idOf = (i: number) => `${run}:${i}`;
        const keyOf = (i: number) => {
          const k = events[i]!.keyOf;
          return `${run}:key:${k === null ? i : k % events.length}`;
        };
        const paymentEvents = events.flatMap((e, i) => (e.event.type === 'pay' ? [i] : []));
        const disputeEvents = events.flatMap((e, i) => (e.event.type === 'dispute' ? [i] : []));
        const pick = (list: number[], n: number) => (list.length ? list[n % list.length]! : -1);

        async function deliver(i: number): Promise<void> {
          const e = events[i]!.event;
          const id = idOf(i);
          const key = keyOf(i);
          const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
          let expected: Outcome;
          let actual: Promise<{ transactionId: number; created: boolean }>;
          if (e.type === 'pay') {
            const shares = e.shares.map((s) => ({ channelId: channels[s.channel]!, weight: s.weight }));
            const fee = Math.floor((e.gross * e.feePermille) / 1000);
            expected = model.pay({ id, key, provider: PROVIDER, currency: e.currency, gross: e.gross, fee, bps: e.bps, shares });
            actual = recordSplitPayment(db, {
              idempotencyKey: key, source: 'fan_budget', provider: PROVIDER, externalRef: id, shares,
              gross: money(e.gross, e.currency), processorFee: money(fee, e.currency), platformFeeBps: e.bps, occurredAt: at,
            });
          } else if (e.type === 'refund' || e.type === 'dispute') {
            const p = pick(paymentEvents, e.payment);
            const paymentId = idOf(p);
            const paid = p >= 0 ? (events[p]!.event as Extract<Event, { type: 'pay' }>) : undefined;
            const cur = paid?.currency ?? 'EUR';
            const permille = e.permille;
            const amount = paid && permille !== null ? Math.max(1, Math.floor((paid.gross * permille) / 1000)) : undefined;
            const paymentTransactionId = ledgerIds.get(p) ?? 0;
            if (e.type === 'refund') {
              expected = model.refund({ id, key, paymentId, amount: amount ?? 1 });
              actual = recordRefund(db, { idempotencyKey: key, paymentTransactionId, amount: money(amount ?? 1, cur), occurredAt: at });
            } else {
              expected = model.dispute({ id, key, paymentId, amount, fee: e.fee });
              actual = recordDispute(db, {
                idempotencyKey: key, paymentTransactionId, occurredAt: at, fee: money(e.fee, cur),
                ...(amount === undefined ? {} : { amount: money(amount, cur) }),
              });
            }
          } else if (e.type === 'resolve') {
            const d = pick(disputeEvents, e.dispute);
            expected = model.resolve({ id, key, disputeId: idOf(d), outcome: e.outcome });
            actual = recordDisputeResolved(db, { idempotencyKey: key, disputeTransactionId: ledgerIds.get(d) ?? 0, outcome: e.outcome, occurredAt: at });
          } else {
            const channelId = channels[e.channel]!;
            expected = model.payout({ id, key, channelId, currency: e.currency, amount: e.amount });
            actual = recordPayout(db, { idempotencyKey: key, channelId, amount: money(e.amount, e.currency), occurredAt: at });
          }
          const got = await actual.then((r) => {
            if (r.created) ledgerIds.set(i, r.transactionId);
            else assert.equal(r.transactionId, ledgerIds.get(i), 'a replay returns the first transaction');
            return (r.created ? 'created' : 'replay') as Outcome;
          }, outcomeOf);
          operations++;
          outcomes.set(`${e.type} ${got}`, (outcomes.get(`${e.type} ${got}`) ?? 0) + 1);
          assert.equal(got, expected, `event ${i} ${JSON.stringify(e)}`);
        }

        for (const i of deliveries) await deliver(i);
        for (let i = 0; i < events.length; i++) await deliver(i);

        const afterRows = await allAccountBalances(db);
        const totals = new Map<string, number>();
        for (const row of afterRows) {
          const delta = row.raw - (before.get(row.code) ?? 0);
          assert.equal(delta, model.balances.get(row.code) ?? 0, `balance of ${row.code}`);
          totals.set(row.currency, (totals.get(row.currency) ?? 0) + delta);
        }
        for (const code of model.balances.keys()) assert.ok(afterRows.some((r) => r.code === code) || model.balances.get(code) === 0, code);
        for (const [cur, total] of totals) assert.equal(total, 0, `no ${cur} created or lost`);
        for (const [i, transactionId] of ledgerIds) {
          if (events[i]!.event.type !== 'pay') continue;
          assert.equal((await refundableAmount(db, transactionId)).amount, model.refundable(idOf(i)));
        }
        assert.deepEqual(await checkLedgerInvariants(db), []);
      }),
      { numRuns: RUNS },
    );
    assert.ok(operations >= RUNS, `${operations} operations`);
    const summary = [...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`# model test: ${operations} ledger operations over ${RUNS} runs (${summary})`);
  });
});
