import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../core/clock.js';
import type { Db } from '../core/db/index.js';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { openTestDb } from '../../test/support/db.js';
import { createDbKvStore } from './kv-store.js';
import { createJobMessageQueue, FEDIFY_JOB } from './message-queue.js';

/** Fedify passes Temporal durations; only total() is used. */
const duration = (ms: number) => ({ total: () => ms }) as never;

describe('Fedify storage on our database', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const clock = createManualClock(new Date('2025-05-01T00:00:00Z'));
  before(async () => ({ db, drop } = await openTestDb()));
  after(() => drop());

  it('stores, replaces and deletes values by array key, shared through the table', async () => {
    const kv = createDbKvStore({ db, clock });
    await kv.set(['_fedify', 'doc', 'https://a.example/x'], { a: [1, 'two'] });
    assert.deepEqual(await createDbKvStore({ db, clock }).get(['_fedify', 'doc', 'https://a.example/x']), { a: [1, 'two'] }, 'another store (process) sees it');
    await kv.set(['_fedify', 'doc', 'https://a.example/x'], true);
    assert.equal(await kv.get(['_fedify', 'doc', 'https://a.example/x']), true);
    assert.equal(await kv.get(['_fedify', 'doc']), undefined, 'a prefix is another key');
    await kv.delete(['_fedify', 'doc', 'https://a.example/x']);
    assert.equal(await kv.get(['_fedify', 'doc', 'https://a.example/x']), undefined);
  });

  it('treats an entry past its time to live as missing, and prunes it', async () => {
    const kv = createDbKvStore({ db, clock });
    await kv.set(['ttl'], 'soon gone', { ttl: duration(60_000) });
    assert.equal(await kv.get(['ttl']), 'soon gone');
    clock.advance(60_001);
    assert.equal(await kv.get(['ttl']), undefined);
    assert.equal(await kv.prune(), 1);
  });

  it('enqueues messages as durable jobs, due after their delay, once per message and attempt', async () => {
    const queue = createJobMessageQueue({ db, clock });
    const message = { type: 'outbox', id: '0b5a2c1e-1111-4222-8333-444455556666', attempt: 2, inbox: 'https://b.example/inbox' };
    await queue.enqueue(message, { delay: duration(30_000) });
    await queue.enqueue(message, { delay: duration(30_000) });
    const jobs = await db.query<{ payload: unknown; run_at: Date }>('SELECT payload, run_at FROM jobs WHERE type = $1', [FEDIFY_JOB]);
    assert.equal(jobs.length, 1, 'a job run twice enqueues its retry once');
    assert.deepEqual(jobs[0]!.payload, message);
    assert.equal(jobs[0]!.run_at.getTime(), clock.now().getTime() + 30_000);
  });

  it('hands due messages to the listener through the job handler, and refuses while nobody listens', async () => {
    const queue = createJobMessageQueue({ db, clock });
    const received: unknown[] = [];
    const handlers = { [FEDIFY_JOB]: async ({ job }: { job: { payload: unknown } }) => queue.process(job.payload) };
    await assert.rejects(queue.process({}), /not listening/);
    const controller = new AbortController();
    const listening = queue.listen((m) => void received.push(m), { signal: controller.signal });
    assert.equal(queue.listening, true);
    assert.equal((await runDueJobsOnce({ db, handlers, clock })).succeeded, 0, 'not due before its delay');
    clock.advance(30_000);
    assert.equal((await runDueJobsOnce({ db, handlers, clock })).succeeded, 1);
    assert.equal(received.length, 1);
    controller.abort();
    await listening;
    assert.equal(queue.listening, false);
  });
});
