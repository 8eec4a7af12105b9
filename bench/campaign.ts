// Benchmark: a campaign's settlement at its deadline on PostgreSQL, against bare INSERTs of the same rows.
// Run with `npm run bench:campaign`. Uses DATABASE_URL (a fresh database is created on that server and
// dropped after), or starts a throwaway server like scripts/test-postgres.sh and removes it after.
//
// BENCH_BACKERS (250 000) backers have pledged to one live campaign; each has a card saved at the built-in
// test bank, 1 % of them (BENCH_DECLINE_PERCENT) a card that declines off-session. At the deadline the real
// settlement (src/funding/campaigns/settlement.ts: freeze, then one off-session charge per pledge with its
// idempotency key, the ledger posting, the pledge's state, the domain events) runs with
// CAMPAIGN_CHARGE_CONCURRENCY (16) charges in flight and no rate limit (the test bank has none; Stripe's
// live limit is 100/s). Measured: the deadline stage, freeze to grace. Then the 7 days pass and the final
// retry and check run (not timed): the report says whether the ledger is exact.
// Reference, in the same run: the same number of rows the settlement wrote (payments, ledger, test bank,
// jobs, pledges' new versions…), as one bare multi-row INSERT per backer into a table with a primary key
// only, with the same concurrency: what writing the rows costs at least.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createManualClock } from '../src/core/clock.js';
import { loadConfig } from '../src/core/config.js';
import { migrate } from '../src/core/db/index.js';
import { openPostgres } from '../src/core/db/postgres.js';
import type { AppDeps } from '../src/core/deps.js';
import { createEventBus } from '../src/core/events/index.js';
import { createMailer } from '../src/core/mail/index.js';
import { createLocalStorage } from '../src/core/storage/index.js';
import { runSettlement, type SettlementReport } from '../src/funding/campaigns/index.js';
import { checkLedgerInvariants } from '../src/funding/ledger/index.js';
import { purposesOf } from '../src/funding/payments/index.js';
import { MODULES } from '../src/modules.js';
import { buildSite, subscriberIndex } from '../src/site.js';
import { machineInfo } from './lib/measure.js';
import { freshDatabase, startServer } from './lib/postgres.js';

const BACKERS = Number(process.env.BENCH_BACKERS ?? 250_000);
const DECLINE_PERCENT = Number(process.env.BENCH_DECLINE_PERCENT ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Goal: the settlement keeps up with Stripe's live rate limit, 100 charges per second. */
const GOAL_CHARGES_PER_SECOND = 100;
const PLEDGE_CENTS = 1000;
const DEADLINE = new Date('2027-01-15T18:00:00Z');
/** Tables whose rows the deadline stage adds or rewrites (the pledges: one new row version each). */
const WRITTEN = ['payments', 'ledger_transactions', 'ledger_postings', 'test_bank_objects', 'provider_events', 'jobs', 'campaign_pledges'];

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL ? undefined : await startServer();
  const database = await freshDatabase(process.env.DATABASE_URL ?? server!.url);
  const db = await openPostgres(database.url, { max: CONCURRENCY + 4 });
  const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-bench-campaign-'));
  try {
    await migrate(db);
    const [{ server_version: version }] = (await db.query<{ server_version: string }>('SHOW server_version')) as [{ server_version: string }];
    const clock = createManualClock(new Date(DEADLINE.getTime() - 86_400_000));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', CAMPAIGN_CHARGES_PER_SECOND: '0', CAMPAIGN_CHARGE_CONCURRENCY: String(CONCURRENCY) });
    const log = pino({ level: 'silent' });
    const deps: AppDeps = {
      config,
      db,
      log,
      clock,
      events: createEventBus(subscriberIndex(MODULES), clock),
      mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(dir, 'outbox'), log }),
      storage: createLocalStorage(path.join(dir, 'media')),
      signingSecret: 'bench-signing-secret-that-is-long-enough-0123456789',
    };
    const site = buildSite(deps, MODULES);
    const ctx = { deps, payments: site.ctx.services.payments, purposes: () => purposesOf(site.ctx) };

    log_(`PostgreSQL ${version}; seeding ${BACKERS} backers (${DECLINE_PERCENT} % with cards that decline off-session)`);
    const campaignId = await seed(deps, clock.now());
    const before = await rowCounts(deps);

    clock.advance(86_400_000);
    const t0 = process.hrtime.bigint();
    const stage = await runSettlement(ctx, campaignId);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    assert.equal(stage.stage, 'grace');
    const after = await rowCounts(deps);
    const rowsWritten = WRITTEN.reduce((s, t) => s + (after[t]! - before[t]!), 0) + BACKERS; // + the pledges' new versions
    const rowsPerBacker = Math.round(rowsWritten / BACKERS);
    const chargesPerSecond = BACKERS / seconds;
    log_(`deadline stage: ${BACKERS} charges in ${seconds.toFixed(1)} s: ${chargesPerSecond.toFixed(0)} charges/s (${rowsPerBacker} rows per backer)`);

    // The reference: the same rows, bare.
    await db.exec('CREATE TABLE bench_bare (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a bigint, b text, c bigint, d jsonb)');
    const values = Array.from({ length: rowsPerBacker }, (_, r) => `($1, $2, ${r}, '{"k":"v"}')`).join(', ');
    let next = 0;
    const b0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BACKERS) {
          const i = next++;
          await db.query(`INSERT INTO bench_bare (a, b, c, d) VALUES ${values}`, [i, `pledge-${i}`]);
        }
      }),
    );
    const bareSeconds = Number(process.hrtime.bigint() - b0) / 1e9;
    log_(`bare INSERT: ${BACKERS} statements of ${rowsPerBacker} rows in ${bareSeconds.toFixed(1)} s: ${(BACKERS / bareSeconds).toFixed(0)}/s`);

    // The 7 days of grace, the final retry, the check and the report.
    clock.advance(7 * 86_400_000);
    const done = await runSettlement(ctx, campaignId);
    assert.equal(done.stage, 'done');
    const report = done.report as SettlementReport;
    const problems = await checkLedgerInvariants(db);
    const declined = Math.floor((BACKERS * DECLINE_PERCENT) / 100);
    const ledgerExact = report.ledgerExact && report.ledgerCheckOk && problems.length === 0 && report.collectedAmount === (BACKERS - declined) * PLEDGE_CENTS;
    const result = {
      ratio: round(chargesPerSecond / (BACKERS / bareSeconds), 4),
      ratioStatement: 'settlement charges per second / bare INSERT statements per second (one statement per backer, the same rows, the same concurrency)',
      goal: GOAL_CHARGES_PER_SECOND,
      goalStatement: "the deadline's settlement charges at least 100 pledges per second (Stripe's live rate limit), so the site is never the bottleneck",
      meetsGoal: chargesPerSecond >= GOAL_CHARGES_PER_SECOND,
      backers: BACKERS,
      seconds: round(seconds, 2),
      chargesPerSecond: round(chargesPerSecond, 1),
      ledgerExact,
      declinePercent: DECLINE_PERCENT,
      report,
      rowsPerBacker,
      bareInsert: { statements: BACKERS, rowsPerStatement: rowsPerBacker, seconds: round(bareSeconds, 2), statementsPerSecond: round(BACKERS / bareSeconds, 0) },
      concurrency: CONCURRENCY,
      invariantProblems: problems.length,
      postgres: { version, server: server ? 'throwaway (initdb + pg_ctl)' : 'DATABASE_URL', settings: server?.settings ?? 'as configured' },
      machine: machineInfo(),
      date: new Date().toISOString(),
    };
    const out = path.join(import.meta.dirname, 'results', 'campaign.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    log_(`written to ${path.relative(process.cwd(), out)}`);
    deps.mailer.close();
    assert.ok(ledgerExact, 'the ledger is exact');
  } finally {
    await db.close();
    await database.drop().catch(() => undefined);
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One channel, one live campaign (goal 1,000 €, deadline DEADLINE), BACKERS users with a pledge of 10 €
 * each and a card saved at the test bank, written in bulk (the pledging itself is tested elsewhere).
 */
async function seed(deps: AppDeps, now: Date): Promise<string> {
  const { db } = deps;
  const channel = (await db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ('bench', 'Bench', 'en') RETURNING id`))[0]!.id;
  const campaign = (await db.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone, state, launched_at, original_deadline)
     VALUES ($1, 'season-2', 'Season 2', 'amount', 100000, 'EUR', 100, $2, 'Europe/Paris', 'live', $3, $2) RETURNING id`,
    [channel, DEADLINE, now],
  ))[0]!.id;
  const every = DECLINE_PERCENT > 0 ? Math.round(100 / DECLINE_PERCENT) : 0;
  const chunk = 50_000;
  for (let from = 1; from <= BACKERS; from += chunk) {
    const to = Math.min(BACKERS, from + chunk - 1);
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO users (email, display_name) SELECT 'backer' || i || '@example.org', 'Backer ' || i FROM generate_series($1::int, $2::int) i`, [from, to]);
      await tx.query(
        `INSERT INTO test_bank_objects (id, kind, idempotency_key, fingerprint, data, created_at)
         SELECT 'pm_bench_' || i, 'payment_method', 'bench:' || i, 'bench',
                jsonb_build_object('customerRef', 'cus_bench_' || i, 'card', jsonb_build_object(
                  'behavior', CASE WHEN $3::int > 0 AND i % $3::int = 0 THEN 'decline_off_session' ELSE 'succeed' END, 'brand', 'visa', 'last4', '4242')),
                $4
           FROM generate_series($1::int, $2::int) i`,
        [from, to, every, now],
      );
      await tx.query(
        `INSERT INTO campaign_pledges (campaign_id, user_id, amount, currency, status, provider, customer_ref, payment_method_ref)
         SELECT $3, u.id, ${PLEDGE_CENTS}, 'EUR', 'pledged', 'test', 'cus_bench_' || i, 'pm_bench_' || i
           FROM generate_series($1::int, $2::int) i JOIN users u ON u.email = 'backer' || i || '@example.org'`,
        [from, to, campaign],
      );
    });
    log_(`seeded ${to}`);
  }
  await db.exec('ANALYZE');
  return campaign;
}

async function rowCounts(deps: AppDeps): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN) counts[table] = Number((await deps.db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${table}`))[0]!.n);
  return counts;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function log_(message: string): void {
  console.error(`[bench:campaign] ${message}`);
}

await main();
