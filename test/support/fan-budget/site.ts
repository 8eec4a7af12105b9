// A test site for the monthly fan budget: the channels camille and noe, three ready public videos
// (CamilleV01, CamilleV02 by camille, NoeVideo01 by noe), and a helper that sets a fan's budget through
// the form and the test bank's setup page.
import assert from 'node:assert/strict';
import type { Clock } from '../../../src/core/clock.js';
import { runDueJobsOnce } from '../../../src/core/jobs/index.js';
import { TestClient, setupFields } from '../client.js';
import { createTestSite, type TestSite } from '../harness.js';

export const VIDEOS = [['CamilleV01', 'camille'], ['CamilleV02', 'camille'], ['NoeVideo01', 'noe']] as const;

export async function createBudgetSite(clock: Clock, timeZone: string): Promise<{ site: TestSite; owner: TestClient; ids: Record<string, string> }> {
  const site = await createTestSite({ clock, env: { SITE_TIMEZONE: timeZone } });
  const owner = new TestClient(site.app, { 'accept-language': 'en' });
  await owner.post('/setup', setupFields({ channel_language: 'en' }));
  await owner.post('/studio/channels/new', { channel_name: 'Noé joue', handle: 'noe', description: '', channel_language: 'fr' });
  for (const [shortId, handle] of VIDEOS) {
    await site.deps.db.query(
      `INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) SELECT $1, id, 'Video ' || $1, 'ready', 'public', $1, 10 FROM channels WHERE handle = $2`,
      [shortId, handle],
    );
  }
  const ids: Record<string, string> = {};
  for (const row of await site.deps.db.query<{ id: string; handle: string }>('SELECT id, handle FROM channels')) ids[row.handle] = row.id;
  return { site, owner, ids };
}

/** Sets a budget through the form and saves `card` on the test bank's setup page (nothing is charged). */
export async function setBudgetWithCard(site: TestSite, clock: Clock, fan: TestClient, fields: Record<string, string>, card: string): Promise<void> {
  const res = await fan.post('/account/budget', fields);
  assert.equal(res.res.status, 303, res.html);
  const page = new URL(res.res.headers.get('location')!).pathname;
  assert.match((await fan.get(page)).html, /Nothing is charged now/);
  const paid = await fan.post(page, { number: card, expiry: '12/34', cvc: '123' });
  assert.equal(paid.res.status, 303, paid.html);
  await runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });
}

/** The text of an e-mail from the outbox, quoted-printable undone (the € sign is =E2=82=AC there). */
export function mailText(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  return Buffer.from(unfolded.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8');
}
