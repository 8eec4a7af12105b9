import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Db } from '../db/index.js';
import { openPostgres } from '../db/postgres.js';
import { openTestDb } from '../../../test/support/db.js';
import { JobLeaseLostError, WorkerShutdownError } from './errors.js';
import { cancelJob, enqueue, getJob } from './queries.js';
import type { JobHandlers } from './types.js';
import { createWorker, type CreateWorkerOptions, type Worker } from './worker.js';
import { countByStatus, deferred, silentLog, urlOfTestDatabase, waitFor } from '../../../test/support/jobs/helpers.js';

describe('worker', () => {
  let db: Db;
  let drop: () => Promise<void>;
  // Every worker a test starts; stopped before the database is dropped.
  const running: Worker[] = [];
  before(async () => {
    ({ db, drop } = await openTestDb());
  });
  after(async () => {
    await Promise.all(running.map((w) => w.stop()));
    await drop();
  });
  beforeEach(() => db.exec('DELETE FROM jobs'));

  function startWorker(handlers: JobHandlers, options: Partial<CreateWorkerOptions> = {}): Worker {
    const worker = createWorker({ db, handlers, log: silentLog, pollIntervalMs: 10, ...options });
    worker.start();
    running.push(worker);
    return worker;
  }

  it('two workers running at once process each of many jobs exactly once', async () => {
    // On PostgreSQL the second worker gets its own connection pool, as a second process would.
    const otherDb = db.engine === 'postgres' ? await openPostgres(await urlOfTestDatabase(db), { max: 5 }) : db;
    try {
      const total = 80;
      for (let i = 0; i < total; i++) await enqueue(db, { type: 'count', payload: i });
      const calls = new Map<number, number>();
      const byWorker = new Map<string, number>();
      const handlerFor = (name: string): JobHandlers => ({
        count: async ({ job }) => {
          calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
          byWorker.set(name, (byWorker.get(name) ?? 0) + 1);
          await delay(Math.random() * 5);
        },
      });
      const a = startWorker(handlerFor('a'), { concurrency: 4, workerId: 'worker-a' });
      const b = startWorker(handlerFor('b'), { db: otherDb, concurrency: 4, workerId: 'worker-b' });
      await waitFor('all jobs to succeed', async () => (await countByStatus(db, 'succeeded')) === total);
      await Promise.all([a.stop(), b.stop()]);
      assert.equal(calls.size, total);
      assert.deepEqual([...new Set(calls.values())], [1], 'every job ran exactly once');
      const [row] = await db.query<{ max: number }>('SELECT max(attempts)::int AS max FROM jobs');
      assert.equal(row?.max, 1);
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });

  it('stop() lets a running job finish and claims nothing more', async () => {
    const started = deferred();
    const release = deferred();
    const worker = startWorker({
      slow: async () => {
        started.resolve();
        await release.promise;
        return 'finished';
      },
    });
    const { job } = await enqueue(db, { type: 'slow' });
    worker.wake();
    await started.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    const { job: later } = await enqueue(db, { type: 'slow' });
    await delay(50);
    assert.equal(stopped, false, 'stop() waits for the running handler');
    release.resolve();
    await stopping;
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'succeeded');
    assert.equal(row?.result, 'finished');
    assert.equal((await getJob(db, later.id))?.status, 'queued');
  });

  it('after the grace period, stop() aborts a running handler and hands its job back without using an attempt', async () => {
    const started = deferred();
    let reason: unknown;
    const worker = startWorker(
      {
        endless: async ({ signal }) => {
          started.resolve();
          await new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              reject(signal.reason);
            }),
          );
        },
      },
      { shutdownGraceMs: 20 },
    );
    const { job } = await enqueue(db, { type: 'endless' });
    worker.wake();
    await started.promise;
    await worker.stop();
    assert.ok(reason instanceof WorkerShutdownError);
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'queued');
    assert.equal(row?.attempts, 0);
    assert.equal(row?.lockedBy, null);
  });

  it('cancelling a running job aborts its handler and records nothing the handler does next', async () => {
    const started = deferred();
    const aborted = deferred<unknown>();
    startWorker(
      {
        cancellable: async ({ signal }) => {
          started.resolve();
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
          aborted.resolve(signal.reason);
          return 'should not be stored';
        },
      },
      // A short lease so the heartbeat that notices the cancellation comes soon.
      { leaseSeconds: 0.3 },
    );
    const { job } = await enqueue(db, { type: 'cancellable' });
    await started.promise;
    assert.equal(await cancelJob(db, job.id), true);
    assert.ok((await aborted.promise) instanceof JobLeaseLostError);
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'cancelled');
    assert.equal(row?.result, null);
  });

  it('shows live progress of a running job', async () => {
    const release = deferred();
    startWorker({
      'video.transcode': async ({ reportProgress }) => {
        void reportProgress(35, 'encoding 720p');
        await release.promise;
      },
    });
    const { job } = await enqueue(db, { type: 'video.transcode' });
    const seen = await waitFor('progress on the row', async () => {
      const row = await getJob(db, job.id);
      return row?.progress === 35 && row;
    });
    assert.equal(seen.status, 'running');
    assert.equal(seen.progressMessage, 'encoding 720p');
    release.resolve();
    await waitFor('the job to succeed', async () => (await getJob(db, job.id))?.status === 'succeeded');
  });

  it('keeps renewing the lease of a job that runs longer than the lease', async () => {
    const release = deferred();
    const started = deferred();
    startWorker(
      {
        long: async () => {
          started.resolve();
          await release.promise;
        },
      },
      { leaseSeconds: 0.3 },
    );
    const { job } = await enqueue(db, { type: 'long' });
    await started.promise;
    const claimedUntil = (await getJob(db, job.id))!.lockedUntil!.getTime();
    await waitFor('a lease renewal', async () => (await getJob(db, job.id))!.lockedUntil!.getTime() > claimedUntil);
    release.resolve();
    await waitFor('the job to succeed', async () => (await getJob(db, job.id))?.status === 'succeeded');
    assert.equal((await getJob(db, job.id))?.attempts, 1);
  });
});
