import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDb } from '../../test/support/db.js';
import type { Db } from '../core/db/index.js';
import { isListed } from './access.js';
import { countListedVideos, listedVideoCondition, type VideoRow } from './queries.js';

const now = new Date('2026-11-21T12:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

/** Every status and visibility, each unscheduled, scheduled in the past, at `now` and in the future. */
const cases: Pick<VideoRow, 'status' | 'visibility' | 'publish_at'>[] = (['processing', 'ready', 'failed'] as const).flatMap((status) =>
  (['draft', 'public', 'unlisted', 'members'] as const).flatMap((visibility) => [null, at(-1), now, at(1)].map((publish_at) => ({ status, visibility, publish_at }))),
);

describe('videos: the listed rule', () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await openTestDb());
    const [channel] = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, language) VALUES ('listed', 'Listed', 'en') RETURNING id`);
    for (const [i, c] of cases.entries()) {
      await db.query('INSERT INTO videos (short_id, channel_id, title, status, visibility, publish_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        `listed${String(i).padStart(4, '0')}`,
        channel!.id,
        `case ${i}`,
        c.status,
        c.visibility,
        c.publish_at,
      ]);
    }
  });
  after(() => drop());

  it('says the same in SQL (listedVideoCondition) as in TypeScript (isListed)', async () => {
    const rows = await db.query<{ title: string }>(`SELECT v.title FROM videos v WHERE ${listedVideoCondition('v', '$1')}`, [now]);
    const inSql = new Set(rows.map((r) => r.title));
    for (const [i, c] of cases.entries()) assert.equal(inSql.has(`case ${i}`), isListed(c, now), JSON.stringify(c));
    assert.equal(await countListedVideos(db, now), cases.filter((c) => isListed(c, now)).length);
    assert.equal(inSql.size, 3, 'ready and public: unscheduled, published an hour ago, published now');
  });

  it('refuses an alias or parameter that is not a plain name', () => {
    assert.throws(() => listedVideoCondition('v; DROP TABLE videos', '$1'));
    assert.throws(() => listedVideoCondition('v', 'now()'));
  });
});
