import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../core/clock.js';
import type { AppDeps } from '../core/deps.js';
import type { Db } from '../core/db/index.js';
import { openTestDb } from '../../test/support/db.js';
import { countDeliveries, startCaptureSmtp, type CaptureSmtp } from '../../test/support/community/capture-smtp.js';
import { urlOfTestDatabase, waitFor } from '../../test/support/jobs/helpers.js';
import { SEND_LANES, startMailing } from './mailings.js';
import { insertPost } from './post-queries.js';

const WORKER = fileURLToPath(new URL('../../test/support/community/mailing-worker.ts', import.meta.url));
// The embedded engine opens its data from one process only: the cross-process crash needs PostgreSQL.
const crossProcess = process.env.DATABASE_URL ? {} : { skip: 'needs PostgreSQL (run with DATABASE_URL, or scripts/test-postgres.sh)' };

function startWorker(url: string, smtpPort: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, String(smtpPort), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('a mailing whose worker is SIGKILLed mid-send', crossProcess, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let smtp: CaptureSmtp;
  const children: ChildProcess[] = [];

  before(async () => {
    ({ db, drop } = await openTestDb());
    smtp = await startCaptureSmtp();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await smtp.close();
    await drop();
  });

  it('is resumed by a new worker: every recipient gets the post, nobody gets a second one', { timeout: 180_000 }, async () => {
    const recipients = Array.from({ length: 400 }, (_, i) => `fan${String(i).padStart(4, '0')}@example.org`);
    const [channel] = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, description, language) VALUES ('camille', 'Camille', '', 'en') RETURNING id`);
    const deps = { clock: systemClock } as AppDeps;
    await db.transaction(async (tx) => {
      const post = await insertPost(tx, { channel_id: channel!.id, slug: 'crashtest01', title: 'News', body: 'Hello', body_html: '<p>Hello</p>', audience: 'public', tier_ids: [], campaign_id: null, published_at: new Date(), authorId: null as unknown as string });
      await startMailing(deps, tx, { channelId: channel!.id, kind: 'post', subjectId: post.id, recipients: recipients.map((email) => ({ email, followerId: null, userId: null, language: 'en' })) });
    });
    const url = await urlOfTestDatabase(db);

    const first = startWorker(url, smtp.port);
    children.push(first);
    // The kill comes from outside the send loop, at whatever point the worker has reached.
    const killed = new Promise<number>((resolve) => {
      smtp.onAccepted = (count) => {
        if (count === 150) {
          smtp.onAccepted = undefined;
          setImmediate(() => {
            first.kill('SIGKILL');
            resolve(count);
          });
        }
      };
    });
    await killed;
    await exited(first);
    const [half] = await db.query<{ sent: number; left: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS left FROM community_deliveries`,
    );
    assert.ok(half!.sent >= 149 && half!.left > 0, `killed mid-send: ${JSON.stringify(half)}`);

    const second = startWorker(url, smtp.port);
    children.push(second);
    await waitFor('the restarted worker to finish the mailing', async () => {
      const [row] = await db.query<{ left: number }>(`SELECT count(*)::int AS left FROM community_deliveries WHERE status IN ('queued', 'sending')`);
      return row!.left === 0;
    }, 150_000);
    second.kill('SIGTERM');

    const counts = countDeliveries(smtp, recipients);
    assert.equal(counts.misses, 0, 'nobody gets zero');
    assert.equal(counts.duplicates, 0, 'nobody gets two different messages');
    // The messages in flight at the kill (one per sending lane) may have reached the server before their
    // "sent" was written; they are sent again with the same Message-ID (which mail stores deduplicate).
    assert.ok(counts.resentCopies <= SEND_LANES, `resent copies: ${counts.resentCopies}`);
    const [sent] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM community_deliveries WHERE status = 'sent'`);
    assert.equal(sent!.n, recipients.length);
  });
});
