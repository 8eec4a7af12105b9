import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertTier } from '../memberships/queries.js';
import { createMoneySite, useLanguage, type MoneySite } from '../../../test/support/funding/money-site.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

// "Now" is 2026-11-21 12:00 UTC: the churn window runs from 2026-10-22 12:00 UTC.
interface Row {
  who: string;
  tier: 'gold' | 'silver' | 'dollar';
  interval: 'month' | 'year';
  status: 'incomplete' | 'active' | 'past_due' | 'cancelled' | 'expired';
  created: string;
  paid: boolean;
  ended?: string;
}
const ROWS: Row[] = [
  { who: 'Ann', tier: 'gold', interval: 'month', status: 'active', created: '2026-01-01', paid: true }, // MRR 5.00 €
  { who: 'Ben', tier: 'gold', interval: 'year', status: 'active', created: '2026-03-01', paid: true }, // 50.01 € / 12
  { who: 'Cleo', tier: 'silver', interval: 'month', status: 'past_due', created: '2026-05-01', paid: true }, // MRR 10.00 €
  { who: 'Dan', tier: 'gold', interval: 'year', status: 'active', created: '2026-10-30', paid: true }, // 50.01 € / 12, joined in the window
  { who: 'Eve', tier: 'silver', interval: 'month', status: 'cancelled', created: '2026-02-01', paid: true }, // no MRR, still a member
  { who: 'Finn', tier: 'gold', interval: 'month', status: 'expired', created: '2026-02-01', paid: true, ended: '2026-11-05' }, // churned
  { who: 'Gus', tier: 'gold', interval: 'month', status: 'expired', created: '2026-02-01', paid: true, ended: '2026-10-01' }, // left before
  { who: 'Hana', tier: 'silver', interval: 'month', status: 'expired', created: '2026-11-01', paid: true, ended: '2026-11-15' }, // in and out
  { who: 'Ivo', tier: 'dollar', interval: 'month', status: 'active', created: '2026-06-01', paid: true }, // MRR 3.00 $
  { who: 'Jo', tier: 'gold', interval: 'month', status: 'incomplete', created: '2026-11-20', paid: false }, // checkout not finished
  { who: 'Kim', tier: 'gold', interval: 'month', status: 'expired', created: '2026-09-01', paid: false, ended: '2026-11-02' }, // never paid
  { who: '=cmd|calc, "x"', tier: 'silver', interval: 'month', status: 'cancelled', created: '2026-11-10', paid: true },
];

describe(`members page and CSV (${ENGINE})`, () => {
  let m: MoneySite;
  before(async () => {
    m = await createMoneySite();
    const db = m.site.deps.db;
    const tier = (name: string, currency: string, monthlyPrice: number, yearlyPrice: number | null) =>
      insertTier(db, m.channelId, { name, description: '', currency, monthlyPrice, yearlyPrice, membersOnlyVideos: true, earlyAccessDays: 0, badge: true, rank: 0 });
    const tiers = { gold: await tier('Gold', 'EUR', 500, 5001), silver: await tier('Silver', 'EUR', 1000, null), dollar: await tier('Dollar', 'USD', 300, 3000) };
    for (const [i, r] of ROWS.entries()) {
      const [user] = await db.query<{ id: string }>(`INSERT INTO users (email, display_name) VALUES ($1, $2) RETURNING id`, [`m${i}@example.org`, r.who]);
      const start = r.paid ? new Date('2026-11-01T00:00:00Z') : null;
      const end = r.paid ? new Date('2026-12-01T00:00:00Z') : null;
      await db.query(
        `INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, provider, current_period_start, current_period_end, grace_until, created_at, ended_at)
         VALUES ($1, $2, $3, $4, $5, 'test', $6, $7, $8, $9, $10)`,
        [m.channelId, user!.id, tiers[r.tier], r.interval, r.status, start, end, r.status === 'past_due' ? new Date('2026-11-28T00:00:00Z') : null, new Date(`${r.created}T00:00:00Z`), r.ended ? new Date(`${r.ended}T00:00:00Z`) : null],
      );
    }
  });
  after(() => m.site.close());

  const figure = (html: string, term: string) => {
    const match = new RegExp(`<dt>${term}</dt><dd>(.*?)<p class="hint">(.*?)</p>`, 's').exec(html);
    assert.ok(match, term);
    return { value: match[1]!.trim(), hint: match[2]!.replace(/<[^>]+>/g, '') };
  };

  it('counts active members, and the past-due and cancelled ones apart', async () => {
    const { res, html } = await m.owner.get('/studio/channels/camille/members');
    assert.equal(res.status, 200);
    const active = figure(html, 'Active members');
    assert.equal(active.value, '4');
    assert.match(active.hint, /Also 1 with a failing payment \(past due\) and 2 cancelled/);
  });

  it('states MRR per currency: monthly prices plus yearly ones over twelve, rounded once, halves up', async () => {
    const { html } = await m.owner.get('/studio/channels/camille/members');
    const mrr = figure(html, 'Monthly recurring revenue');
    // (5.00 + 10.00) × 12 + 50.01 × 2 = 280.02 € a year → 23.335 € a month → 23.34 €; dollars: 3.00 $.
    assert.equal(mrr.value, '€23.34 + $3.00');
    assert.match(mrr.hint, /a yearly price counts as a twelfth per month\. Rounded once, to the nearest cent \(halves up\)/);
  });

  it('states churn over the last 30 days as members who ended over members at the start, with its definition', async () => {
    const { html } = await m.owner.get('/studio/channels/camille/members');
    // At 2026-10-22 noon: Ann, Ben, Cleo, Eve, Finn, Ivo (Kim never paid; Gus had left; Dan, Hana came later). Finn ended.
    const churn = figure(html, 'Churn, last 30 days');
    assert.equal(churn.value, '16.7%');
    assert.match(churn.hint, /Of the 6 members at the start of the period, 1 had their membership end \(expire\) during it\. \(Oct 22, 2026 – Nov 21, 2026\)/);
  });

  it('shows churn as not measurable when nobody was a member at the start', async () => {
    const { html } = await m.owner.get('/studio/channels/noe/members');
    assert.match(figure(html, 'Churn, last 30 days').value, /No members at the start of the period/);
    assert.match(html, /No members yet/);
    assert.equal(figure(html, 'Monthly recurring revenue').value, '€0.00');
  });

  it('lists current and past members with tier, billing, translated status and dates, never unfinished or abandoned checkouts', async () => {
    const { html } = await m.owner.get('/studio/channels/camille/members');
    const rows = [...html.matchAll(/<tr><th scope="row">(.*?)<\/tr>/gs)].map((r) => r[0].replace(/<[^>]+>/g, '|').replace(/\|+/g, '|'));
    assert.equal(rows.length, ROWS.length - 2, 'Jo (checkout open) and Kim (checkout abandoned, closed as expired) were never members');
    assert.ok(rows.includes('|Ann|m0@example.org|Gold|Monthly|€5.00|Active|Jan 1, 2026|Dec 1, 2026|'), rows.join('\n'));
    assert.ok(rows.includes('|Ben|m1@example.org|Gold|Yearly|€50.01|Active|Mar 1, 2026|Dec 1, 2026|'));
    assert.ok(rows.includes('|Cleo|m2@example.org|Silver|Monthly|€10.00|Payment failing|May 1, 2026|Nov 28, 2026|'), 'past due: ends with the grace period');
    assert.ok(rows.includes('|Finn|m5@example.org|Gold|Monthly|€5.00|Ended|Feb 1, 2026|Nov 5, 2026|'));
    assert.ok(!rows.some((r) => r.includes('|Jo|') || r.includes('|Kim|')), 'an abandoned checkout never shows as Ended');
    await useLanguage(m.admin, 'fr');
    try {
      const fr = (await m.admin.get('/studio/channels/camille/members')).html;
      assert.match(fr, /Paiement en échec/);
      assert.match(fr, /Résilié/);
      assert.match(fr, /Mensuelle/);
      assert.match(fr, /16,7[\s\u00a0\u202f]%/);
    } finally {
      await useLanguage(m.admin, 'en');
    }
  });

  it('exports the members as RFC 4180 CSV with formulas defused', async () => {
    const { res, html: body } = await m.owner.get('/studio/channels/camille/members.csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="fanfare-camille-members-2026-11-21.csv"');
    const lines = body.split('\r\n');
    assert.equal(lines[0], 'Name,E-mail address,Tier,Billing,Status,Member since,Renews or ends,Price,Currency');
    assert.equal(lines.length, ROWS.length - 2 + 2, 'header, one line per member, final CRLF');
    assert.ok(lines.includes('Ann,m0@example.org,Gold,Monthly,Active,2026-01-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,5.00,EUR'));
    assert.ok(lines.includes('Ben,m1@example.org,Gold,Yearly,Active,2026-03-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,50.01,EUR'));
    assert.ok(lines.includes('Ivo,m8@example.org,Dollar,Monthly,Active,2026-06-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,3.00,USD'));
    assert.ok(lines.includes(`"'=cmd|calc, ""x""",m11@example.org,Silver,Monthly,Cancelled,2026-11-10T00:00:00.000Z,2026-12-01T00:00:00.000Z,10.00,EUR`), body);
  });
});
