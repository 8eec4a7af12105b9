// Benchmark: fan payments posted to the ledger on PostgreSQL, against bare INSERTs of the same rows.
// Run with `npx tsx bench/ledger.ts`. Uses DATABASE_URL (a fresh database is created on that server
// and dropped after), or starts a throwaway server like scripts/test-postgres.sh and removes it after.
//
// (a) ledger: BENCH_PAYMENTS (20 000) payments, each one recordPayment (own idempotency key, processor
//     fee, platform fee) in its own database transaction (BEGIN … COMMIT), from BENCH_CONCURRENCY (16)
//     clients of one pg Pool, spread over BENCH_CHANNELS (50) channels; (a') the same without
//     BEGIN/COMMIT, recordPayment's single statement being its own transaction.
// (b) bare: the same number of rows as (a) wrote postings, with the same concurrency and the same
//     number of commits (one multi-row INSERT per payment, autocommit) into a table with a primary key
//     only: no foreign keys, checks, triggers or indexes — what writing the rows costs at least.
// The three take turns in BENCH_ROUNDS (4) rounds, so a change in the machine's load hits all of them.
// (c) 50 concurrent tips to one channel, each sent twice at once: no cent lost or counted twice.
// BENCH_DURABLE=1 keeps fsync and synchronous_commit on for the throwaway server (default: the test
// settings of scripts/test-postgres.sh, fsync=off, so the figures measure CPU, not this disk).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { migrate, type Db } from '../src/core/db/index.js';
import { openPostgres } from '../src/core/db/postgres.js';
import { accounts, balanceOf, checkLedgerInvariants, recordPayment } from '../src/funding/ledger/index.js';
import { money } from '../src/funding/money.js';
import { machineInfo, median } from './lib/measure.js';
import { freshDatabase, startPostgres } from './lib/postgres.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 50);
const WARMUP = Math.min(1000, Math.max(1, Math.floor(PAYMENTS / 10)));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const DURABLE = process.env.BENCH_DURABLE === '1';
/** Goal: the ledger posts at least 2,000 payments per second on PostgreSQL. */
const GOAL_PAYMENTS_PER_SECOND = 2000;

/** One measured batch: how many jobs, wall seconds, each job's latency in ms. */
interface Run {
  count: number;
  seconds: number;
  latencies: number[];
}

function rate(run: Run): number {
  return run.count / run.seconds;
}

function combine(runs: Run[]): Run {
  return { count: runs.reduce((s, r) => s + r.count, 0), seconds: runs.reduce((s, r) => s + r.seconds, 0), latencies: runs.flatMap((r) => r.latencies) };
}

/** Runs `count` jobs from `concurrency` loops. */
async function runConcurrently(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = process.hrtime.bigint();
        await job(i);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return { count, seconds: Number(process.hrtime.bigint() - start) / 1e9, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

function payment(channelId: string, i: number, prefix: string) {
  const gross = 100 + (i % 4900);
  return {
    idempotencyKey: `${prefix}:${i}`,
    channelId,
    source: 'tip' as const,
    provider: 'bench',
    externalRef: `${prefix}_ch_${i}`,
    gross: money(gross, 'EUR'),
    processorFee: money(25 + Math.floor((gross * 15) / 1000), 'EUR'),
    platformFeeBps: 500,
    occurredAt: new Date(),
  };
}

async function fiftyConcurrentTips(db: Db, channelId: string) {
  const tips = Array.from({ length: 50 }, (_, i) => payment(channelId, i, 'fifty'));
  const results = await Promise.all([...tips, ...tips].map((t) => db.transaction((tx) => recordPayment(tx, t))));
  const created = results.filter((r) => r.created);
  const expectedNet = created.reduce((s, r) => s + r.breakdown.net.amount, 0);
  const balance = (await balanceOf(db, accounts.creatorPayable(channelId, 'EUR').code)).amount;
  const [{ n }] = (await db.query<{ n: number }>("SELECT count(*)::bigint AS n FROM ledger_transactions WHERE idempotency_key LIKE 'fifty:%'")) as [{ n: number }];
  const grossIn = tips.reduce((s, t) => s + t.gross.amount, 0);
  const allocated = created.reduce((s, r) => s + r.breakdown.processorFee.amount + r.breakdown.platformFee.amount + r.breakdown.net.amount, 0);
  const ok = created.length === 50 && n === 50 && balance === expectedNet && allocated === grossIn;
  return { ok, tips: 50, sentTwiceAtOnce: true, transactions: n, grossIn, allocated, expectedNet, balance };
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL ? undefined : await startPostgres(DURABLE);
  const database = await freshDatabase(process.env.DATABASE_URL ?? server!.url);
  const db = await openPostgres(database.url, { max: CONCURRENCY });
  try {
    await migrate(db);
    const [{ server_version: version }] = (await db.query<{ server_version: string }>('SHOW server_version')) as [{ server_version: string }];
    const channels: string[] = [];
    for (let i = 0; i < CHANNELS + 1; i++) {
      const rows = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ($1, $1, 'en') RETURNING id`, [`bench_${i}`]);
      channels.push(rows[0]!.id);
    }
    const hot = channels.pop()!;
    log(`PostgreSQL ${version}; ${PAYMENTS} payments, concurrency ${CONCURRENCY}, ${CHANNELS} channels`);

    const loadBefore = machineInfo().loadAverage;
    await runConcurrently(WARMUP, CONCURRENCY, async (i) => void (await db.transaction((tx) => recordPayment(tx, payment(channels[i % CHANNELS]!, i, 'warmup')))));
    const rowsPerUnit = (await countPostings(db)) / WARMUP;
    assert.ok(Number.isInteger(rowsPerUnit), 'every payment writes the same number of postings');
    await db.exec('CREATE TABLE bench_bare (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, transaction_id bigint, account_id bigint, currency text, amount bigint, channel_id uuid)');
    const values = Array.from({ length: rowsPerUnit }, (_, r) => `($1, ${r + 1}, 'EUR', $2, $3)`).join(', ');
    const bareInsert = (i: number) => db.query(`INSERT INTO bench_bare (transaction_id, account_id, currency, amount, channel_id) VALUES ${values}`, [i, 100 + i, channels[i % CHANNELS]]);
    await runConcurrently(WARMUP, CONCURRENCY, async (i) => void (await bareInsert(-1 - i)));

    // The three variants take turns, ROUNDS times, so a change in the machine's load hits all of them.
    let netTotal = 0;
    const perRound = Math.ceil(PAYMENTS / ROUNDS);
    const runs: Record<'ledger' | 'autocommit' | 'bare', Run[]> = { ledger: [], autocommit: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const offset = round * perRound;
      const count = Math.min(perRound, PAYMENTS - offset);
      runs.ledger.push(
        await runConcurrently(count, CONCURRENCY, async (i) => {
          const r = await db.transaction((tx) => recordPayment(tx, payment(channels[(offset + i) % CHANNELS]!, offset + i, 'bench')));
          netTotal += r.breakdown.net.amount;
        }),
      );
      runs.autocommit.push(
        await runConcurrently(count, CONCURRENCY, async (i) => {
          const r = await recordPayment(db, payment(channels[(offset + i) % CHANNELS]!, offset + i, 'auto'));
          netTotal += r.breakdown.net.amount;
        }),
      );
      runs.bare.push(await runConcurrently(count, CONCURRENCY, async (i) => void (await bareInsert(offset + i))));
      log(`round ${round + 1}/${ROUNDS}: ledger ${rate(runs.ledger.at(-1)!).toFixed(0)}/s, autocommit ${rate(runs.autocommit.at(-1)!).toFixed(0)}/s, bare INSERT ${rate(runs.bare.at(-1)!).toFixed(0)}/s`);
    }
    const ledger = combine(runs.ledger);
    const autocommit = combine(runs.autocommit);
    const bare = combine(runs.bare);
    const postings = (await countPostings(db)) - WARMUP * rowsPerUnit;
    assert.equal(postings, 2 * PAYMENTS * rowsPerUnit, 'every payment of (a) and (a\') wrote its postings');
    const paymentsPerSecond = rate(ledger);
    const autocommitRate = rate(autocommit);
    const bareRate = rate(bare);
    log(`(a) ledger: ${PAYMENTS} payments in ${ledger.seconds.toFixed(2)} s: ${paymentsPerSecond.toFixed(0)} payments/s`);
    log(`(a') ledger, autocommit: ${autocommitRate.toFixed(0)} payments/s`);
    log(`(b) bare INSERT: ${PAYMENTS} statements of ${rowsPerUnit} rows in ${bare.seconds.toFixed(2)} s: ${bareRate.toFixed(0)}/s`);

    const fifty = await fiftyConcurrentTips(db, hot);
    log(`(c) 50 concurrent tips on one channel, each sent twice: ${fifty.ok ? 'no cent lost or double-counted' : 'MISMATCH'}`);
    const payables = await db.query<{ total: number }>(
      `SELECT coalesce(sum(p.amount), 0)::bigint AS total FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        JOIN ledger_transactions t ON t.id = p.transaction_id WHERE a.kind = 'creator_payable' AND (t.idempotency_key LIKE 'bench:%' OR t.idempotency_key LIKE 'auto:%')`,
    );
    const problems = await checkLedgerInvariants(db);

    const result = {
      ratio: round(paymentsPerSecond / bareRate, 3),
      ratioStatement: 'ledger payments per second (a) / bare INSERT statements per second (b), same rows, commits and concurrency',
      ratioMedianOfRounds: round(median(runs.ledger.map((r, i) => rate(r) / rate(runs.bare[i]!))), 3),
      goal: GOAL_PAYMENTS_PER_SECOND,
      goalStatement: 'the ledger posts at least 2,000 payments per second on PostgreSQL (each payment its own transaction, 16 concurrent clients)',
      meetsGoal: paymentsPerSecond >= GOAL_PAYMENTS_PER_SECOND,
      paymentsPerSecond: round(paymentsPerSecond, 0),
      ledger: {
        payments: PAYMENTS,
        postings: PAYMENTS * rowsPerUnit,
        roundsPaymentsPerSecond: runs.ledger.map((r) => round(rate(r), 0)),
        seconds: round(ledger.seconds, 3),
        latencyMs: { p50: round(median(ledger.latencies), 2), p99: percentile(ledger.latencies, 99) },
      },
      ledgerAutocommit: {
        note: 'recordPayment(db, …) without BEGIN/COMMIT: its one statement is its own transaction',
        payments: PAYMENTS,
        seconds: round(autocommit.seconds, 3),
        paymentsPerSecond: round(autocommitRate, 0),
        roundsPaymentsPerSecond: runs.autocommit.map((r) => round(rate(r), 0)),
        latencyMs: { p50: round(median(autocommit.latencies), 2), p99: percentile(autocommit.latencies, 99) },
      },
      bareInsert: {
        statements: PAYMENTS,
        rowsPerStatement: rowsPerUnit,
        rows: PAYMENTS * rowsPerUnit,
        seconds: round(bare.seconds, 3),
        statementsPerSecond: round(bareRate, 0),
        roundsStatementsPerSecond: runs.bare.map((r) => round(rate(r), 0)),
        rowsPerSecond: round((PAYMENTS * rowsPerUnit) / bare.seconds, 0),
        latencyMs: { p50: round(median(bare.latencies), 2), p99: percentile(bare.latencies, 99) },
      },
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      channels: CHANNELS,
      fiftyConcurrentTips: fifty,
      // (a) and (a') together: the creators' balances hold exactly the nets recordPayment returned.
      netPosted: netTotal,
      creatorPayableSum: payables[0]!.total,
      invariantProblems: problems.length,
      postgres: { version, server: server ? 'throwaway (initdb + pg_ctl)' : 'DATABASE_URL', settings: server?.settings ?? 'as configured' },
      node: process.version,
      pgDriver: JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'node_modules', 'pg', 'package.json'), 'utf8')).version as string,
      machine: { ...machineInfo(), loadAverageBefore: loadBefore },
      date: new Date().toISOString(),
    };
    assert.equal(result.creatorPayableSum, netTotal, 'creator balances hold exactly the nets posted');
    assert.ok(fifty.ok, 'fifty concurrent tips add up');
    assert.deepEqual(problems, [], 'the ledger self-check is clean');
    const out = path.join(import.meta.dirname, 'results', 'ledger.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    log(`written to ${path.relative(process.cwd(), out)}`);
  } finally {
    await db.close();
    await database.drop().catch(() => undefined);
    server?.stop();
  }
}

async function countPostings(db: Db): Promise<number> {
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM ledger_postings')) as [{ n: number }];
  return n;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function log(message: string): void {
  console.error(`[bench:ledger] ${message}`);
}

await main();
