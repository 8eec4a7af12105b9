import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createManualClock } from '../clock.js';
import type { Db } from '../db/index.js';
import { openTestDb } from '../../../test/support/db.js';
import { PermanentJobError } from './errors.js';
import { enqueue, getJob } from './queries.js';
import { runDueJobsOnce } from './run-due.js';
import type { JobHandlers } from './types.js';

describe('job retries and failures', () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await openTestDb());
  });
  after(() => drop());
  beforeEach(() => db.exec('DELETE FROM jobs'));

  const backoff = { baseMs: 1000, capMs: 60_000 };
  const random = () => 0.5;

  it('retries a failing job with growing delays, then fails it with the last error after max attempts', async () => {
    const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
    let calls = 0;
    const handlers: JobHandlers = {
      'ap.deliver': async () => {
        calls += 1;
        throw new Error(`inbox answered 503 (call ${calls})`);
      },
    };
    const run = () => runDueJobsOnce({ db, clock, handlers, backoff, random });
    const { job } = await enqueue(db, { type: 'ap.deliver', maxAttempts: 3 }, clock);

    assert.equal((await run()).retrying, 1);
    let row = await getJob(db, job.id);
    assert.equal(row?.status, 'queued');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'inbox answered 503 (call 1)');
    assert.equal(row?.runAt.getTime(), clock.now().getTime() + 750);

    assert.equal((await run()).jobIds.length, 0, 'not due before its backoff is over');
    clock.advance(750);
    assert.equal((await run()).retrying, 1);
    row = await getJob(db, job.id);
    assert.equal(row?.runAt.getTime(), clock.now().getTime() + 1500);

    clock.advance(1500);
    assert.equal((await run()).failed, 1);
    row = await getJob(db, job.id);
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, 3);
    assert.equal(row?.lastError, 'inbox answered 503 (call 3)');
    assert.equal(row?.finishedAt?.getTime(), clock.now().getTime());
    assert.equal(row?.lockedBy, null);

    clock.advance(3_600_000);
    assert.equal((await run()).jobIds.length, 0);
    assert.equal(calls, 3);
  });

  it('fails at once on a permanent error, whatever attempts remain', async () => {
    const clock = createManualClock();
    const { job } = await enqueue(db, { type: 'video.transcode', payload: {}, maxAttempts: 5 }, clock);
    const summary = await runDueJobsOnce({
      db,
      clock,
      handlers: {
        'video.transcode': async () => {
          throw new PermanentJobError('payload has no videoId');
        },
      },
    });
    assert.equal(summary.failed, 1);
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'payload has no videoId');
  });

  it('succeeds on a retry and keeps the earlier error for diagnosis', async () => {
    const clock = createManualClock();
    let calls = 0;
    const handlers: JobHandlers = {
      mail: async () => {
        calls += 1;
        if (calls === 1) throw new Error('connection reset');
        return 'sent';
      },
    };
    const { job } = await enqueue(db, { type: 'mail' }, clock);
    await runDueJobsOnce({ db, clock, handlers, backoff, random });
    clock.advance(1000);
    assert.equal((await runDueJobsOnce({ db, clock, handlers, backoff, random })).succeeded, 1);
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'succeeded');
    assert.equal(row?.attempts, 2);
    assert.equal(row?.result, 'sent');
    assert.equal(row?.lastError, 'connection reset');
  });

  it('stores only a bounded error message, not the stack', async () => {
    const clock = createManualClock();
    const { job } = await enqueue(db, { type: 'noisy', maxAttempts: 1 }, clock);
    await runDueJobsOnce({
      db,
      clock,
      handlers: {
        noisy: async () => {
          throw new Error('x'.repeat(5000));
        },
      },
    });
    const row = await getJob(db, job.id);
    assert.equal(row?.lastError?.length, 1000);
    assert.doesNotMatch(row?.lastError ?? '', /at .*\.ts/);
  });

  it('records progress on the row while the handler works, and the last value of a failed attempt', async () => {
    const clock = createManualClock();
    const { job } = await enqueue(db, { type: 'video.transcode', maxAttempts: 2 }, clock);
    const seenWhileRunning: Array<[number | null, string | null]> = [];
    await runDueJobsOnce({
      db,
      clock,
      backoff,
      random,
      progressIntervalMs: 60_000,
      handlers: {
        'video.transcode': async ({ reportProgress }) => {
          await reportProgress(40, 'encoding 720p');
          const row = await getJob(db, job.id);
          seenWhileRunning.push([row!.progress, row!.progressMessage]);
          // Throttled: these collapse into one write when the attempt ends.
          void reportProgress(55);
          void reportProgress(70, 'encoding 1080p');
          throw new Error('ffmpeg exited with code 1');
        },
      },
    });
    assert.deepEqual(seenWhileRunning, [[40, 'encoding 720p']]);
    const failed = await getJob(db, job.id);
    assert.equal(failed?.progress, 70);
    assert.equal(failed?.progressMessage, 'encoding 1080p');

    clock.advance(1000);
    await runDueJobsOnce({
      db,
      clock,
      handlers: {
        'video.transcode': async ({ reportProgress }) => {
          await reportProgress(10, 'encoding 720p');
        },
      },
    });
    const done = await getJob(db, job.id);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.progress, 100);
  });

  it('treats a result that JSON cannot hold as a failed attempt', async () => {
    const clock = createManualClock();
    const { job } = await enqueue(db, { type: 'odd', maxAttempts: 1 }, clock);
    await runDueJobsOnce({ db, clock, handlers: { odd: async () => 10n } });
    const row = await getJob(db, job.id);
    assert.equal(row?.status, 'failed');
    assert.match(row?.lastError ?? '', /BigInt/);
  });
});
