// Benchmark: one post e-mailed to BENCH_RECIPIENTS (10 000) followers through a local SMTP capture server
// (smtp-server), on PostgreSQL, by the community's durable per-recipient send running in a worker process
// (test/support/community/mailing-worker.ts, as `npm run worker` runs it), SIGKILLed at about half-way and
// started again. Counted at the SMTP server: misses (recipients with no message), duplicates (recipients
// with two different messages) and resent copies (the messages in flight at the kill, one per sending lane, sent again with their
// Message-ID). The reference, in the same run, is a bare nodemailer loop in a process of its own (like the
// worker) writing the same messages to the same kind of server over the same pooled transport: goal ≥ 0.5 × its rate.
// Uses DATABASE_URL (a fresh database on that server), or starts a throwaway PostgreSQL and removes it.
// Run with `npm run bench:newsletter`; writes bench/results/newsletter.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startMailing } from '../src/community/index.js';
import { systemClock } from '../src/core/clock.js';
import { migrate } from '../src/core/db/index.js';
import { openPostgres } from '../src/core/db/postgres.js';
import type { AppDeps } from '../src/core/deps.js';
import { countDeliveries, startCaptureSmtp } from '../test/support/community/capture-smtp.js';
import { machineInfo } from './lib/measure.js';
import { freshDatabase, startServer } from './lib/postgres.js';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const GOAL = 0.5;
const WORKER = path.join(import.meta.dirname, '..', 'test', 'support', 'community', 'mailing-worker.ts');
const BARE = path.join(import.meta.dirname, 'lib', 'bare-mailer.ts');

const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `fan${String(i).padStart(6, '0')}@example.org`);

/**
 * The reference: a bare nodemailer loop (bench/lib/bare-mailer.ts) in a child process, as the worker is,
 * timed like the worker, from the first message the server accepts to the last. (Run inside this process,
 * next to the capture server, it skipped the hops between processes every real sender pays: on a loaded
 * machine those dominate, and the ratio measured the scheduler rather than the send loop.)
 */
async function bareLoop(): Promise<number> {
  const smtp = await startCaptureSmtp();
  let first = 0;
  let last = 0;
  smtp.onAccepted = (count) => {
    if (count === 1) first = performance.now();
    last = performance.now();
  };
  const child = spawn(process.execPath, ['--import', 'tsx', BARE, String(smtp.port), String(RECIPIENTS)], { stdio: ['ignore', 'ignore', 'inherit'] });
  await exited(child);
  await smtp.close();
  if (smtp.accepted !== RECIPIENTS) throw new Error(`the bare loop delivered ${smtp.accepted} of ${RECIPIENTS}`);
  return (RECIPIENTS - 1) / ((last - first) / 1000);
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function main() {
  const server = process.env.DATABASE_URL ? undefined : await startServer();
  const database = await freshDatabase(process.env.DATABASE_URL ?? server!.url);
  const db = await openPostgres(database.url, { max: 4 });
  try {
    await migrate(db);
    const loadBefore = machineInfo().loadAverage;
    const bareRate = await bareLoop();

    const [channel] = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, description, language) VALUES ('camille', 'Camille', '', 'en') RETURNING id`);
    const [post] = await db.query<{ id: string }>(
      `INSERT INTO community_posts (channel_id, slug, title, body, body_html, audience, published_at) VALUES ($1, 'benchpost01', 'News', 'Hello', '<p>Hello</p>', 'public', now()) RETURNING id`,
      [channel!.id],
    );
    await db.transaction((tx) => startMailing({ clock: systemClock } as AppDeps, tx, { channelId: channel!.id, kind: 'post', subjectId: post!.id, recipients: addresses.map((email) => ({ email, followerId: null, userId: null, language: 'en' })) }));

    const smtp = await startCaptureSmtp();
    const startWorker = () => spawn(process.execPath, ['--import', 'tsx', WORKER, database.url, String(smtp.port), '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
    // Sending time: from the first accepted message of a worker to its last (worker start-up and the
    // lease expiry after the kill are not sending).
    const marks: number[] = [];
    let phaseStart = 0;
    let killedAt = 0;
    const first = startWorker();
    const killed = new Promise<void>((resolve) => {
      smtp.onAccepted = (count) => {
        if (count === 1) phaseStart = performance.now();
        if (count === Math.floor(RECIPIENTS / 2)) {
          setImmediate(() => {
            first.kill('SIGKILL');
            killedAt = performance.now();
            marks.push(killedAt - phaseStart);
            resolve();
          });
        }
      };
    });
    await killed;
    await exited(first);
    const acceptedAtKill = smtp.accepted;
    let resumedAt = 0;
    let lastAt = 0;
    smtp.onAccepted = (count) => {
      if (count === acceptedAtKill + 1) resumedAt = performance.now();
      lastAt = performance.now();
    };
    const second = startWorker();
    for (;;) {
      const [row] = await db.query<{ left: number }>(`SELECT count(*)::int AS left FROM community_deliveries WHERE status IN ('queued', 'sending')`);
      if (row!.left === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    second.kill('SIGTERM');
    await exited(second);
    marks.push(lastAt - resumedAt);
    const sendingSeconds = marks.reduce((a, b) => a + b, 0) / 1000;
    const counts = countDeliveries(smtp, addresses);
    await smtp.close();

    const messagesPerSecond = smtp.accepted / sendingSeconds;
    const ratio = messagesPerSecond / bareRate;
    const result = {
      benchmark: 'newsletter',
      recipients: RECIPIENTS,
      ratio: Number(ratio.toFixed(3)),
      goal: GOAL,
      goalMet: ratio >= GOAL && counts.misses === 0 && counts.duplicates === 0,
      messagesPerSecond: Number(messagesPerSecond.toFixed(1)),
      bareNodemailerPerSecond: Number(bareRate.toFixed(1)),
      duplicates: counts.duplicates,
      misses: counts.misses,
      resentCopies: counts.resentCopies,
      acceptedAtKill,
      acceptedTotal: smtp.accepted,
      sendingSeconds: Number(sendingSeconds.toFixed(2)),
      notes: 'worker SIGKILLed at half the recipients, restarted; rate over the two sending phases; resentCopies are the messages in flight at the kill (at most one per sending lane), resent with the same Message-ID',
      machine: { ...machineInfo(), loadAverageBefore: loadBefore },
      database: server ? `throwaway PostgreSQL (${server.settings})` : 'DATABASE_URL',
    };
    console.log(JSON.stringify(result, null, 2));
    await mkdir(path.join(import.meta.dirname, 'results'), { recursive: true });
    await writeFile(path.join(import.meta.dirname, 'results', 'newsletter.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.close();
    await database.drop();
    server?.stop();
  }
}

await main();
