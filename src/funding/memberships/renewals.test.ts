import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../../test/support/client.js';
import { createManualClock, createTestSite, latestMagicToken, readOutbox, type TestSite } from '../../../test/support/harness.js';
import { runDueJobsOnce } from '../../core/jobs/index.js';

const clock = createManualClock(new Date('2026-11-21T10:00:00Z'));
const DAY = 86_400_000;

/** The text of an e-mail from the outbox, quoted-printable undone (the € sign is =E2=82=AC there). */
function mailText(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = /^=([0-9A-F]{2})/.exec(unfolded.slice(i, i + 3));
    if (hex) {
      bytes.push(Number.parseInt(hex[1]!, 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(unfolded[i]!));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

describe('membership renewals', () => {
  let site: TestSite;
  let tierId = '';
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });

  before(async () => {
    site = await createTestSite({ clock });
    const owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    const channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
    // 5.00 € a month or 50.00 € a year: the two prices must never be confused.
    tierId = (await site.deps.db.query<{ id: string }>(
      `INSERT INTO membership_tiers (channel_id, name, currency, monthly_price, yearly_price) VALUES ($1, 'Supporter', 'EUR', 500, 5000) RETURNING id`,
      [channelId],
    ))[0]!.id;
  });
  after(() => site.close());

  /** Signs a fan up and joins the tier with the test bank's `card` (saved for renewals). */
  async function join(email: string, interval: 'month' | 'year', card: string): Promise<TestClient> {
    const member = new TestClient(site.app);
    await member.post('/signup', { email, display_name: email.split('@')[0]! });
    await member.post('/auth/magic', { token: latestMagicToken(site.outboxDir, email) });
    await member.get('/');
    const joined = await member.post('/c/camille/membership/join', { tier: tierId, interval, provider: 'test' });
    assert.equal(joined.res.status, 303, joined.html);
    const page = new URL(joined.res.headers.get('location')!).pathname;
    await member.get(page);
    const paid = await member.post(page, { number: card, expiry: '12/34', cvc: '123' });
    assert.equal(paid.res.status, 303, paid.html);
    await runJobs();
    return member;
  }

  it('e-mails a yearly member whose renewal is declined the yearly price, formatted', async () => {
    // This card pays on-session and is saved, then the bank declines every off-session charge.
    const member = await join('yearly@example.org', 'year', '4000000000000341');
    const [joined] = await site.deps.db.query<{ status: string; billing_interval: string }>('SELECT status, billing_interval FROM memberships');
    assert.deepEqual({ ...joined }, { status: 'active', billing_interval: 'year' });
    assert.match((await member.get('/account/memberships')).html, /€50\.00 \/ yearly/i, 'the account page shows the same price');

    clock.advance(365 * DAY + 3_600_000); // an hour after the year paid for ends (retries come a day later)
    await runJobs();
    assert.equal((await site.deps.db.query<{ status: string }>('SELECT status FROM memberships'))[0]!.status, 'past_due');
    const dunning = readOutbox(site.outboxDir)
      .map(mailText)
      .filter((mail) => mail.includes('To: yearly@example.org') && mail.includes('payment failed'));
    assert.equal(dunning.length, 1, 'one dunning e-mail');
    assert.match(dunning[0]!, /We could not renew your membership of .* \(€50\.00\)/);
    assert.doesNotMatch(dunning[0]!, /€5\.00/);
    const checks = await site.deps.db.query<{ ok: boolean }>(`SELECT ok FROM ledger_checks WHERE trigger = 'membership.renew'`);
    assert.deepEqual(checks.map((c) => c.ok), [true], 'the renewal job ended with the ledger self-check');
  });
  it('never charges again once the channel moved to another site: the membership ends with its paid period', async () => {
    await join('mover@example.org', 'month', '4242424242424242');
    const userId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'mover@example.org'`))[0]!.id;
    const [joined] = await site.deps.db.query<{ id: string; status: string; channel_id: string; current_period_end: Date }>('SELECT id, status, channel_id, current_period_end FROM memberships WHERE user_id = $1', [userId]);
    assert.equal(joined!.status, 'active');
    // The channel moves to another site (whose import queued this member's renewals there).
    await site.deps.db.query(
      `INSERT INTO federation_moves (channel_id, target_actor_uri, target_page_url, move_activity_uri, moved_at) VALUES ($1, 'https://new.example/ap/c/camille', 'https://new.example/c/camille', 'https://old.example/ap/c/camille#moves/1', $2)`,
      [joined!.channel_id, clock.now()],
    );
    const paymentsBefore = (await site.deps.db.query('SELECT 1 FROM payments WHERE user_id = $1', [userId])).length;
    clock.advance(32 * DAY);
    await runJobs();
    const [after] = await site.deps.db.query<{ status: string; ended_at: Date }>('SELECT status, ended_at FROM memberships WHERE id = $1', [joined!.id]);
    assert.equal(after!.status, 'expired');
    assert.equal(after!.ended_at.toISOString(), joined!.current_period_end.toISOString(), 'it ends with the period paid for');
    assert.equal((await site.deps.db.query('SELECT 1 FROM payments WHERE user_id = $1', [userId])).length, paymentsBefore, 'no charge on the old site');
    await site.deps.db.query('DELETE FROM federation_moves');
  });
});
