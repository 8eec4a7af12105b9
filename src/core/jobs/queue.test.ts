import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createManualClock } from '../clock.js';
import type { Db } from '../db/index.js';
import { openTestDb } from '../../../test/support/db.js';
import { cancelJob, enqueue, getJob, requeueJob } from './queries.js';
import { claimJobs } from './lease.js';
import { runDueJobsOnce } from './run-due.js';
import { countByStatus } from '../../../test/support/jobs/helpers.js';

describe('job queue', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
  before(async () => {
    ({ db, drop } = await openTestDb());
  });
  after(() => drop());
  beforeEach(() => db.exec('DELETE FROM jobs'));

  it('runs an enqueued job once and records its result', async () => {
    const { job, created } = await enqueue(db, { type: 'email.send', payload: { to: 'fan@example.org' } }, clock);
    assert.equal(created, true);
    assert.equal(job.status, 'queued');
    assert.equal(job.runAt.getTime(), clock.now().getTime());
    const seen: unknown[] = [];
    const summary = await runDueJobsOnce({
      db,
      clock,
      handlers: {
        'email.send': async ({ job }) => {
          seen.push(job.payload);
          return { messageId: 'abc' };
        },
      },
    });
    assert.deepEqual(seen, [{ to: 'fan@example.org' }]);
    assert.equal(summary.succeeded, 1);
    const done = await getJob(db, job.id);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.attempts, 1);
    assert.deepEqual(done?.result, { messageId: 'abc' });
    assert.equal(done?.finishedAt?.getTime(), clock.now().getTime());
    assert.equal(done?.lockedBy, null);
    assert.equal((await runDueJobsOnce({ db, clock, handlers: { 'email.send': async () => undefined } })).jobIds.length, 0);
  });

  it('enqueues a job twice with the same dedupe key only once', async () => {
    const first = await enqueue(db, { type: 'renewal', payload: { n: 1 }, dedupeKey: 'renew:42:2030-01' }, clock);
    const second = await enqueue(db, { type: 'renewal', payload: { n: 2 }, dedupeKey: 'renew:42:2030-01' }, clock);
    assert.equal(second.created, false);
    assert.equal(second.job.id, first.job.id);
    assert.deepEqual(second.job.payload, { n: 1 });
    assert.equal(await countByStatus(db, 'queued'), 1);
  });

  it('keeps a dedupe key taken after the job has finished, so finished work is not redone', async () => {
    const { job } = await enqueue(db, { type: 'renewal', dedupeKey: 'renew:7:2030-01' }, clock);
    await runDueJobsOnce({ db, clock, handlers: { renewal: async () => undefined } });
    const again = await enqueue(db, { type: 'renewal', dedupeKey: 'renew:7:2030-01' }, clock);
    assert.equal(again.created, false);
    assert.equal(again.job.id, job.id);
    assert.equal(again.job.status, 'succeeded');
  });

  it('commits a job with the transaction that enqueued it, and not when it rolls back', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueue(tx, { type: 'video.transcode', payload: { videoId: 'rolled-back' } }, clock);
        // The duplicate inside the same transaction must not abort it either.
        await enqueue(tx, { type: 'video.transcode', dedupeKey: 'k' }, clock);
        await enqueue(tx, { type: 'video.transcode', dedupeKey: 'k' }, clock);
        throw new Error('upload failed');
      }),
      /upload failed/,
    );
    assert.equal(await countByStatus(db, 'queued'), 0);
    const id = await db.transaction(async (tx) => (await enqueue(tx, { type: 'video.transcode' }, clock)).job.id);
    assert.equal((await getJob(db, id))?.status, 'queued');
  });

  it('stores array and string payloads as JSON', async () => {
    const list = await enqueue(db, { type: 'fanout', payload: ['https://a.example', 'https://b.example'] }, clock);
    const text = await enqueue(db, { type: 'fanout', payload: 'just text' }, clock);
    assert.deepEqual((await getJob(db, list.job.id))?.payload, ['https://a.example', 'https://b.example']);
    assert.equal((await getJob(db, text.job.id))?.payload, 'just text');
  });

  it('refuses a malformed job type and an impossible attempt count', async () => {
    await assert.rejects(enqueue(db, { type: 'Has Spaces' }, clock), { code: '23514' });
    await assert.rejects(enqueue(db, { type: 'ok', maxAttempts: 0 }, clock), { code: '23514' });
  });

  it('does not run a job before its run time', async () => {
    const later = new Date(clock.now().getTime() + 60_000);
    await enqueue(db, { type: 'reminder', runAt: later }, clock);
    const handlers = { reminder: async () => undefined };
    assert.equal((await runDueJobsOnce({ db, clock, handlers })).jobIds.length, 0);
    const at = createManualClock(later);
    assert.equal((await runDueJobsOnce({ db, clock: at, handlers })).succeeded, 1);
  });

  it('runs due jobs oldest first', async () => {
    const t = clock.now().getTime();
    const b = await enqueue(db, { type: 'step', payload: 'b', runAt: new Date(t - 1000) }, clock);
    const a = await enqueue(db, { type: 'step', payload: 'a', runAt: new Date(t - 2000) }, clock);
    const c = await enqueue(db, { type: 'step', payload: 'c' }, clock);
    const summary = await runDueJobsOnce({ db, clock, handlers: { step: async () => undefined } });
    assert.deepEqual(summary.jobIds, [a.job.id, b.job.id, c.job.id]);
  });

  it('leaves jobs of types it has no handler for to other workers', async () => {
    const { job } = await enqueue(db, { type: 'video.transcode' }, clock);
    await enqueue(db, { type: 'email.send' }, clock);
    const summary = await runDueJobsOnce({ db, clock, handlers: { 'email.send': async () => undefined } });
    assert.equal(summary.succeeded, 1);
    assert.equal((await getJob(db, job.id))?.status, 'queued');
  });

  it('cancels a queued job so it never runs, and reports when there was nothing to cancel', async () => {
    const { job } = await enqueue(db, { type: 'email.send' }, clock);
    assert.equal(await cancelJob(db, job.id, clock), true);
    assert.equal(await cancelJob(db, job.id, clock), false);
    const cancelled = await getJob(db, job.id);
    assert.equal(cancelled?.status, 'cancelled');
    assert.ok(cancelled?.finishedAt);
    assert.equal((await runDueJobsOnce({ db, clock, handlers: { 'email.send': async () => undefined } })).jobIds.length, 0);
  });

  it('requeues a failed job with fresh attempts', async () => {
    const { job } = await enqueue(db, { type: 'email.send', maxAttempts: 1 }, clock);
    await runDueJobsOnce({ db, clock, handlers: { 'email.send': async () => Promise.reject(new Error('smtp down')) } });
    assert.equal((await getJob(db, job.id))?.status, 'failed');
    assert.equal(await requeueJob(db, job.id, clock), true);
    const requeued = await getJob(db, job.id);
    assert.equal(requeued?.status, 'queued');
    assert.equal(requeued?.attempts, 0);
    assert.equal(requeued?.finishedAt, null);
    assert.equal((await runDueJobsOnce({ db, clock, handlers: { 'email.send': async () => undefined } })).succeeded, 1);
    assert.equal(await requeueJob(db, job.id, clock), false);
  });

  it('never hands one job to two concurrent claimers', async () => {
    for (let i = 0; i < 40; i++) await enqueue(db, { type: 'bulk', payload: i }, clock);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        claimJobs(db, { types: ['bulk'], workerId: `claimer-${n}`, limit: 5, leaseSeconds: 60, now: clock.now() }),
      ),
    );
    const ids = claims.flat().map((job) => job.id);
    assert.equal(ids.length, 40);
    assert.equal(new Set(ids).size, 40);
  });
});
