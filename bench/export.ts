// Benchmark: a channel's archive on PostgreSQL (`npm run bench:export`, writes bench/results/export.json).
//
// A channel with BENCH_VIDEOS small videos (an original and a poster each), BENCH_FOLLOWERS followers (half
// e-mail, half remote ActivityPub actors), BENCH_MEMBERS members with one payment each in the ledger, is
// exported with `exportChannel` and imported into a second database with `importArchive`. The reference,
// in the same run on the same rows and files: `pg_dump --data-only` of the source database plus `tar` of
// its media folder, BENCH_ROUNDS (3) interleaved rounds. ratio = median export seconds / median (pg_dump + tar
// seconds), goal ≤ 2. roundTripIdentical compares the two sites' counts, file checksums and ledger balances.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/core/config.js';
import { migrate, type Db } from '../src/core/db/index.js';
import { openPostgres } from '../src/core/db/postgres.js';
import { createEventBus } from '../src/core/events/index.js';
import { createMailer } from '../src/core/mail/index.js';
import { createLocalStorage } from '../src/core/storage/index.js';
import { recordPayment } from '../src/funding/ledger/index.js';
import { money } from '../src/funding/money.js';
import { MODULES } from '../src/modules.js';
import { exportChannel, importArchive } from '../src/portability/index.js';
import { subscriberIndex } from '../src/site.js';
import { machineInfo, measure } from './lib/measure.js';
import { freshDatabase, startServer } from './lib/postgres.js';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 1_000);
const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 10_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000);
const GOAL = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function database(serverUrl: string, suffix: string): Promise<{ url: string; db: Db }> {
  const { url } = await freshDatabase(serverUrl, suffix);
  const db = await openPostgres(url, { max: 4 });
  await migrate(db);
  return { url, db };
}

function depsOn(db: Db, dir: string) {
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', PAYMENTS_TEST_PROVIDER: 'true' });
  const clock = { now: () => new Date() };
  const logger = pino({ level: 'silent' });
  return {
    config, db, clock, log: logger,
    events: createEventBus(subscriberIndex(MODULES), clock),
    mailer: createMailer({ smtpUrl: undefined, from: config.mailFrom, outboxDir: path.join(dir, 'outbox'), log: logger }),
    storage: createLocalStorage(path.join(dir, 'media')),
    signingSecret: 'bench-signing-secret-that-is-long-enough-0123456789',
  };
}

async function populate(deps: ReturnType<typeof depsOn>): Promise<void> {
  const { db, storage } = deps;
  const channel = (await db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ('bench', 'Bench', 'en') RETURNING id`))[0]!.id;
  const original = Buffer.alloc(16 * 1024, 7);
  for (let i = 0; i < VIDEOS; i++) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO videos (id, short_id, channel_id, title, status, visibility, source_key, poster_key) VALUES ($1, $2, $3, $4, 'ready', 'public', $5, $6)`,
      [id, `bench${String(i).padStart(8, '0')}`, channel, `Video ${i}`, `videos/${id}/original.mp4`, `videos/${id}/poster.jpg`],
    );
    await storage.put(`videos/${id}/original.mp4`, Buffer.concat([Buffer.from(id), original]));
    await storage.put(`videos/${id}/poster.jpg`, Buffer.from(`poster ${id}`));
  }
  await db.exec(`
    INSERT INTO community_followers (channel_id, kind, email, status, consent_at)
      SELECT '${channel}', 'email', 'reader' || g || '@example.org', 'active', now() FROM generate_series(1, ${Math.ceil(FOLLOWERS / 2)}) g;
    INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri)
      SELECT '${channel}', 'https://remote' || (g % 50) || '.example/users/u' || g, 'https://remote' || (g % 50) || '.example/inbox' FROM generate_series(1, ${Math.floor(FOLLOWERS / 2)}) g;
    INSERT INTO users (email, display_name) SELECT 'member' || g || '@example.org', 'Member ' || g FROM generate_series(1, ${MEMBERS}) g;
    INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ('${channel}', 'Support', 'EUR', 500);
    INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, current_period_start, current_period_end, provider, customer_ref)
      SELECT '${channel}', u.id, (SELECT id FROM membership_tiers LIMIT 1), 'month', 'active', now(), now() + interval '30 days', 'test', 'cus_' || u.id
        FROM users u WHERE u.email LIKE 'member%';
  `);
  const members = await db.query<{ id: string }>(`SELECT id FROM users WHERE email LIKE 'member%' ORDER BY email`);
  for (const m of members) {
    await recordPayment(db, {
      idempotencyKey: `bench:${m.id}`, channelId: channel, fanUserId: m.id, source: 'membership', provider: 'test', externalRef: `ch_${m.id}`,
      gross: money(500, 'EUR'), processorFee: money(40, 'EUR'), platformFeeBps: 0, occurredAt: new Date(),
    });
  }
  await db.exec('ANALYZE');
}

async function fingerprint(db: Db, mediaDir: string) {
  const [channel] = await db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'bench'`);
  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql, [channel!.id]))[0]!.n);
  const keys = await db.query<{ source_key: string }>('SELECT source_key FROM videos WHERE channel_id = $1', [channel!.id]);
  const files = keys.map((k) => createHash('sha256').update(readFileSync(path.join(mediaDir, k.source_key))).digest('hex')).sort();
  return {
    videos: await count('SELECT count(*)::int AS n FROM videos WHERE channel_id = $1'),
    followers: await count('SELECT (SELECT count(*) FROM community_followers WHERE channel_id = $1) + (SELECT count(*) FROM federation_followers WHERE channel_id = $1) AS n'),
    members: await count(`SELECT count(*)::int AS n FROM memberships WHERE channel_id = $1 AND status = 'active'`),
    files: createHash('sha256').update(files.join('\n')).digest('hex'),
    balances: await db.query(`SELECT a.kind, sum(p.amount)::bigint AS total FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.channel_id = $1 GROUP BY a.kind ORDER BY a.kind`, [channel!.id]),
  };
}

function duSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

async function main(): Promise<void> {
  const server = await startServer();
  const work = mkdtempSync(path.join(tmpdir(), 'fanfare-bench-export-'));
  try {
    const source = await database(server.url, '_export_a');
    const target = await database(server.url, '_export_b');
    const a = depsOn(source.db, path.join(work, 'a'));
    const b = depsOn(target.db, path.join(work, 'b'));
    log(`populating: ${VIDEOS} videos, ${FOLLOWERS} followers, ${MEMBERS} members…`);
    await populate(a);
    const zip = path.join(work, 'bench.zip');
    const pgBin = `/usr/lib/postgresql/${readdirSync('/usr/lib/postgresql').sort((x, y) => Number(x) - Number(y)).at(-1)}/bin`;
    // ROUNDS rounds of export then pg_dump + tar, interleaved so both see the same machine; medians compared
    // (one round on a shared VM swung the ratio between 1.2 and 2.9).
    const exports: number[] = [];
    const dumps: number[] = [];
    const tars: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const exported = await measure(() => exportChannel(a, MODULES, { handle: 'bench', out: zip }));
      const dump = await measure(async () => execFileSync(`${pgBin}/pg_dump`, ['--data-only', '--format=custom', '--file', path.join(work, 'dump.pgc'), source.url], { stdio: 'ignore' }));
      const tar = await measure(async () => execFileSync('tar', ['-cf', path.join(work, 'media.tar'), '-C', path.join(work, 'a'), 'media']));
      exports.push(exported.seconds);
      dumps.push(dump.seconds);
      tars.push(tar.seconds);
      log(`round ${round}: export ${exported.seconds.toFixed(2)} s (${statSync(zip).size} bytes), reference pg_dump ${dump.seconds.toFixed(2)} s + tar ${tar.seconds.toFixed(2)} s`);
    }
    const imported = await measure(() => importArchive(b, MODULES, { file: zip }));
    log(`import: ${imported.seconds.toFixed(2)} s`);
    const exported = { seconds: median(exports) };
    const dump = { seconds: median(dumps) };
    const tar = { seconds: median(tars) };
    const before = await fingerprint(source.db, path.join(work, 'a', 'media'));
    const after = await fingerprint(target.db, path.join(work, 'b', 'media'));
    const roundTripIdentical = JSON.stringify(before) === JSON.stringify(after);
    const reference = median(dumps.map((d, i) => d + tars[i]!));
    const result = {
      ratio: Number((exported.seconds / reference).toFixed(3)),
      goal: GOAL,
      seconds: Number(exported.seconds.toFixed(3)),
      importSeconds: Number(imported.seconds.toFixed(3)),
      referenceSeconds: Number(reference.toFixed(3)),
      pgDumpSeconds: Number(dump.seconds.toFixed(3)),
      tarSeconds: Number(tar.seconds.toFixed(3)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      roundTripIdentical,
      rounds: { export: exports.map((x) => Number(x.toFixed(3))), pgDump: dumps.map((x) => Number(x.toFixed(3))), tar: tars.map((x) => Number(x.toFixed(3))) },
      archiveBytes: statSync(zip).size,
      mediaBytes: duSize(path.join(work, 'a', 'media')),
      sizes: { videos: VIDEOS, followers: FOLLOWERS, members: MEMBERS },
      engine: 'postgres',
      note: 'peakRssMb is the whole benchmark process (population included); ratio compares the median export with the median pg_dump --data-only of the whole source database plus tar of its media folder, over interleaved rounds',
      machine: machineInfo(),
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(result, null, 2));
    if (!roundTripIdentical) log(`round trip differs:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
    await mkdir(path.join(import.meta.dirname, 'results'), { recursive: true });
    await writeFile(path.join(import.meta.dirname, 'results', 'export.json'), `${JSON.stringify(result, null, 2)}\n`);
    await source.db.close();
    await target.db.close();
  } finally {
    server.stop();
    execFileSync('rm', ['-rf', work]);
  }
}

await main();
