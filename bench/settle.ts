// Benchmark: closing a fan-budget month (`npm run bench:settle`, writes bench/results/settle.json).
//
// (a) BENCH_FANS (1,000,000) fans × BENCH_CLICKS (20) clicks over BENCH_ITEMS (10,000) videos of
//     BENCH_CHANNELS (100) channels, on PostgreSQL (a throwaway server, or DATABASE_URL). The settlement's
//     allocation step (the plan stage: one charge per fan, every click frozen as a charge item, one
//     transaction) is compared with a bare `GROUP BY user, channel` over the same clicks in the same run:
//     goal ≤ 3 × the bare query. Then the whole settlement, the test bank charging every fan off-session
//     (charges recorded, the split posted to the ledger): goal < 60 s. BENCH_ENGINE=pglite runs the same
//     on the embedded engine (the issue asks for its figure at 10,000 fans).
// (b) Creator take-home, from the ledger of a simulated month with the test bank's fees (Stripe's EU
//     cards: 1.5 % + €0.25): a fan giving €5 over 10 videos, settled as one batched charge, vs the same
//     €5 charged as ten €0.50 payments. Expected ≈ 93.5 % vs ≈ 48.5 %.
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/core/config.js';
import { migrate, type Db } from '../src/core/db/index.js';
import { openPglite } from '../src/core/db/pglite.js';
import { openPostgres } from '../src/core/db/postgres.js';
import { createEventBus } from '../src/core/events/index.js';
import { createMailer } from '../src/core/mail/index.js';
import { createLocalStorage } from '../src/core/storage/index.js';
import { fanBudgetSettlement, monthEnd, settleMonth } from '../src/funding/fan-budget/index.js';
import { recordPayment } from '../src/funding/ledger/index.js';
import { money } from '../src/funding/money.js';
import { MODULES } from '../src/modules.js';
import { buildSite, subscriberIndex } from '../src/site.js';
import { machineInfo, measure } from './lib/measure.js';
import { freshDatabase, startServer } from './lib/postgres.js';

const FANS = Number(process.env.BENCH_FANS ?? 1_000_000);
const CLICKS = Number(process.env.BENCH_CLICKS ?? 20);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 100);
const ENGINE = process.env.BENCH_ENGINE === 'pglite' ? 'pglite' : 'postgres';
const MONTH = '2026-11';
const TZ = 'UTC';
const GOAL_RATIO = 3;
const GOAL_SECONDS = 60;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function openDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
  if (ENGINE === 'pglite') {
    const db = await openPglite();
    return { db, close: () => db.close() };
  }
  const server = process.env.DATABASE_URL ? undefined : await startServer();
  const database = await freshDatabase(process.env.DATABASE_URL ?? server!.url);
  const db = await openPostgres(database.url, { max: 4 });
  return {
    db,
    async close() {
      await db.close();
      await database.drop();
      server?.stop();
    },
  };
}

/** A site on `db` whose clock stands at the month's close, as the scheduler would run it. */
function siteOn(db: Db) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fanfare-bench-settle-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SITE_TIMEZONE: TZ, PAYMENTS_TEST_PROVIDER: 'true' });
  const clock = { now: () => monthEnd(MONTH, TZ) };
  const logger = pino({ level: 'silent' });
  const deps = {
    config, db, clock, log: logger,
    events: createEventBus(subscriberIndex(MODULES), clock),
    mailer: createMailer({ smtpUrl: undefined, from: config.mailFrom, outboxDir: path.join(dir, 'outbox'), log: logger }),
    storage: createLocalStorage(path.join(dir, 'media')),
    signingSecret: 'bench-signing-secret-that-is-long-enough-0123456789',
  };
  return { deps, site: buildSite(deps, MODULES) };
}

/** Channels, videos, fans with an active €5 budget on one saved test card, and their clicks (set-based SQL). */
async function populate(db: Db, fans: number, clicks: number, items: number, channels: number): Promise<void> {
  await db.exec(`
    INSERT INTO channels (handle, name, language) SELECT 'channel' || g, 'Channel ' || g, 'en' FROM generate_series(1, ${channels}) g;
    INSERT INTO videos (short_id, channel_id, title, status, visibility)
      SELECT 'bench' || lpad(g::text, 8, '0'), (SELECT id FROM channels WHERE handle = 'channel' || (1 + g % ${channels})), 'Video ' || g, 'ready', 'public'
        FROM generate_series(1, ${items}) g;
    INSERT INTO test_bank_objects (id, kind, data, created_at)
      VALUES ('pm_bench', 'payment_method', '{"customerRef":"cus_bench","card":{"behavior":"succeed","brand":"visa","last4":"4242"}}', now());
    INSERT INTO users (email, display_name) SELECT 'fan' || g || '@example.org', 'Fan ' || g FROM generate_series(1, ${fans}) g;
    INSERT INTO fan_budgets (user_id, amount, currency, status, provider, customer_ref, payment_method_ref)
      SELECT id, 500, 'EUR', 'active', 'test', 'cus_bench', 'pm_bench' FROM users WHERE email LIKE 'fan%';
    CREATE TEMP TABLE bench_videos AS SELECT row_number() OVER (ORDER BY id) AS n, id, channel_id FROM videos;
    CREATE TEMP TABLE bench_fans AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM users WHERE email LIKE 'fan%';
    INSERT INTO fan_budget_clicks (month, user_id, channel_id, video_id)
      SELECT '${MONTH}', f.id, v.channel_id, v.id FROM bench_fans f CROSS JOIN generate_series(0, ${clicks - 1}) k
        JOIN bench_videos v ON v.n = 1 + ((f.n * 7919 + k * 104729) % ${items});
    ANALYZE;
  `);
}

/** The take-home comparison, from the ledger: one fan, €5, ten videos of one creator. */
async function takeHome(): Promise<{ batched: number; separate: number }> {
  const { db, close } = await openDatabase();
  try {
    await migrate(db);
    await populate(db, 1, 10, 10, 1);
    const { deps, site } = siteOn(db);
    await settleMonth(fanBudgetSettlement(site.ctx), MONTH);
    const net = async (source: string) =>
      Number((await db.query<{ n: string }>(`SELECT coalesce(sum(p.amount), 0) AS n FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_transactions t ON t.id = p.transaction_id WHERE a.kind = 'creator_payable' AND t.source = $1`, [source]))[0]!.n);
    const batched = (await net('fan_budget')) / 500;
    // The same €5 as ten €0.50 payments, each through the test bank's fee schedule, posted as tips.
    const bank = site.ctx.services.payments.providers.test!;
    const [channel] = await db.query<{ id: string }>('SELECT id FROM channels LIMIT 1');
    for (let i = 0; i < 10; i++) {
      const charged = await bank.chargeSaved({ customerRef: 'cus_bench', paymentMethodRef: 'pm_bench', amount: 50, currency: 'EUR', idempotencyKey: `separate-${i}`, metadata: {} });
      await recordPayment(db, { idempotencyKey: `separate-${i}`, channelId: channel!.id, source: 'tip', provider: 'test', externalRef: charged.providerRef, gross: money(50, 'EUR'), processorFee: money(charged.fee ?? 0, 'EUR'), platformFeeBps: deps.config.platformFeeBps, occurredAt: deps.clock.now() });
    }
    return { batched, separate: (await net('tip')) / 500 };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  log(`bench:settle on ${ENGINE}: ${FANS} fans × ${CLICKS} clicks over ${ITEMS} items of ${CHANNELS} channels`);
  const { db, close } = await openDatabase();
  let result: Record<string, unknown>;
  try {
    await migrate(db);
    const populated = await measure(() => populate(db, FANS, CLICKS, ITEMS, CHANNELS));
    log(`populated in ${populated.seconds.toFixed(1)} s`);
    const clicks = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM fan_budget_clicks'))[0]!.n);
    const bare = await measure(() => db.query('SELECT user_id, channel_id, count(*) FROM fan_budget_clicks WHERE month = $1 GROUP BY user_id, channel_id', [MONTH]));
    log(`bare GROUP BY: ${bare.seconds.toFixed(2)} s`);
    const { site } = siteOn(db);
    let planSeconds = 0;
    let planStarted = 0n;
    const whole = await measure(() =>
      settleMonth(fanBudgetSettlement(site.ctx), MONTH, {
        stage: (stage) => {
          if (stage === 'plan') planStarted = process.hrtime.bigint();
          if (stage === 'charge') {
            planSeconds = Number(process.hrtime.bigint() - planStarted) / 1e9;
            log(`allocation (plan stage): ${planSeconds.toFixed(2)} s`);
          }
        },
      }),
    );
    const report = whole.value;
    log(`whole settlement: ${whole.seconds.toFixed(1)} s, ${report.fans.succeeded} charges paid, ledger ${report.ledgerOk ? 'ok' : 'NOT OK'}`);
    const home = await takeHome();
    const ratio = planSeconds / bare.seconds;
    result = {
      ratio: Number(ratio.toFixed(2)),
      goal: `allocation ≤ ${GOAL_RATIO} × bare GROUP BY; whole settlement < ${GOAL_SECONDS} s`,
      ratioMet: ratio <= GOAL_RATIO,
      seconds: Number(whole.seconds.toFixed(2)),
      secondsMet: whole.seconds < GOAL_SECONDS,
      allocationSeconds: Number(planSeconds.toFixed(3)),
      bareGroupBySeconds: Number(bare.seconds.toFixed(3)),
      engine: ENGINE,
      fans: FANS,
      clicks,
      items: ITEMS,
      channels: CHANNELS,
      paid: report.fans.succeeded,
      ledgerOk: report.ledgerOk,
      takeHomeBatched: Number(home.batched.toFixed(4)),
      takeHomeSeparate: Number(home.separate.toFixed(4)),
      machine: machineInfo(),
    };
  } finally {
    await close();
  }
  const out = path.join(import.meta.dirname, 'results', 'settle.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
