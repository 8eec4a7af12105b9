import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createManualClock } from '../clock.js';
import type { Db } from '../db/index.js';
import { openTestDb } from '../../../test/support/db.js';
import { claimJobs, completeJob, leaseOf } from './lease.js';
import { enqueue, getJob, LEASE_EXPIRED_MESSAGE, requeueStuckJobs } from './queries.js';
import { runDueJobsOnce } from './run-due.js';
import { createWorker } from './worker.js';
import { silentLog, urlOfTestDatabase, waitFor } from '../../../test/support/jobs/helpers.js';

const HANGING_WORKER = fileURLToPath(new URL('../../../test/support/jobs/claim-and-hang.ts', import.meta.url));

// The embedded engine opens one data directory from one process only, so the cross-process test needs
// PostgreSQL; on PGlite the same recovery path is exercised by abandoning a claim in-process.
const crossProcess = process.env.DATABASE_URL ? {} : { skip: 'needs PostgreSQL (run with DATABASE_URL)' };

describe('recovery from a killed worker', () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await openTestDb());
  });
  after(() => drop());
  beforeEach(() => db.exec('DELETE FROM jobs'));

  it('retries a job whose worker abandoned it once the lease expires, counting the lost attempt', async () => {
    const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
    const { job } = await enqueue(db, { type: 'video.transcode', payload: { videoId: 'v1' } }, clock);
    // The doomed worker claims the job and then disappears without a word.
    const [claimed] = await claimJobs(db, { types: ['video.transcode'], workerId: 'doomed', limit: 1, leaseSeconds: 30, now: clock.now() });
    assert.equal(claimed?.id, job.id);
    let calls = 0;
    const handlers = {
      'video.transcode': async () => {
        calls += 1;
        return 'transcoded';
      },
    };

    clock.advance(29_000);
    assert.equal((await runDueJobsOnce({ db, clock, handlers })).jobIds.length, 0, 'not while the lease holds');
    clock.advance(1_000);
    assert.equal((await runDueJobsOnce({ db, clock, handlers })).succeeded, 1);

    assert.equal(calls, 1);
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'succeeded');
    assert.equal(row?.attempts, 2);
    assert.equal(row?.lastError, LEASE_EXPIRED_MESSAGE);
    // Should the doomed worker come back to life, its result is not recorded over the new one.
    assert.equal(await completeJob(db, leaseOf(claimed!, 'doomed'), JSON.stringify('stale'), clock.now()), false);
    assert.equal((await getJob(db, job.id))?.result, 'transcoded');
  });

  it('fails a job whose worker died during its last attempt instead of retrying it forever', async () => {
    const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
    const { job } = await enqueue(db, { type: 'oom', maxAttempts: 1 }, clock);
    await claimJobs(db, { types: ['oom'], workerId: 'doomed', limit: 1, leaseSeconds: 30, now: clock.now() });
    clock.advance(30_000);
    assert.deepEqual(await requeueStuckJobs(db, clock), { requeued: [], failed: [job.id] });
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'failed');
    assert.equal(row?.lastError, LEASE_EXPIRED_MESSAGE);
    assert.equal((await runDueJobsOnce({ db, clock, handlers: { oom: async () => undefined } })).jobIds.length, 0);
  });

  it('another worker completes the job of a worker process killed with SIGKILL, after its lease expires', crossProcess, async () => {
    const leaseSeconds = 30;
    const { job } = await enqueue(db, { type: 'crash.test', payload: { n: 1 } });
    const child = spawn(process.execPath, ['--import', 'tsx', HANGING_WORKER, await urlOfTestDatabase(db), 'crash.test', String(leaseSeconds)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      await waitFor(`the child worker to claim the job (stderr: ${stderr})`, async () => {
        if (child.exitCode !== null) throw new Error(`child exited early: ${stderr}`);
        return stdout.includes(`claimed ${job.id}\n`);
      });
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    const abandoned = await getJob(db, job.id);
    assert.equal(abandoned?.status, 'running');
    assert.equal(abandoned?.lockedBy, `doomed:${child.pid}`);

    // Rather than wait out the lease, the rescuing worker's clock is set just past it.
    const clock = createManualClock(new Date(abandoned!.lockedUntil!.getTime() + 1000));
    let calls = 0;
    const rescuer = createWorker({
      db,
      clock,
      log: silentLog,
      pollIntervalMs: 10,
      workerId: 'rescuer',
      handlers: {
        'crash.test': async () => {
          calls += 1;
          return 'done';
        },
      },
    });
    rescuer.start();
    try {
      await waitFor('the rescuer to complete the job', async () => (await getJob(db, job.id))?.status === 'succeeded');
    } finally {
      await rescuer.stop();
    }
    const row = await getJob(db, job.id);
    assert.equal(calls, 1);
    assert.equal(row?.attempts, 2);
    assert.equal(row?.result, 'done');
    assert.equal(row?.lastError, LEASE_EXPIRED_MESSAGE);
  });
});
