// Helpers for the campaign tests: a site on a manual clock with the channel "camille", fans inserted
// directly, campaigns drafted and launched through the service, pledges completed on the test bank.
import assert from 'node:assert/strict';
import { runDueJobsOnce } from '../../../src/core/jobs/index.js';
import { createManualClock, createTestSite, type TestSite } from '../harness.js';
import { TestClient, setupFields } from '../client.js';
import { purposesOf } from '../../../src/funding/payments/index.js';
import type { PaymentServices } from '../../../src/funding/payments/index.js';
import type { TestProvider } from '../../../src/funding/providers/index.js';
import { createCampaign, launchCampaign, startPledge, type CampaignInput } from '../../../src/funding/campaigns/service.js';
import * as q from '../../../src/funding/campaigns/queries.js';
import type { SettlementContext } from '../../../src/funding/campaigns/settlement.js';

/** Test cards by what they do off-session (the test bank's numbers). */
export const CARDS = {
  good: '4242424242424242',
  /** Saves fine, every off-session charge declined. */
  declinesLater: '4000000000000341',
  /** Needs the fan present every time: setup asks to authenticate, charges come back requires_action. */
  alwaysAuthenticate: '4000002760003184',
} as const;

export interface CampaignSite {
  site: TestSite;
  clock: ReturnType<typeof createManualClock>;
  channelId: string;
  owner: TestClient;
  bank: TestProvider;
  runJobs(): Promise<void>;
  /** The settlement's context, with the site's payments unless others are given (a crashing provider). */
  settlement(payments?: PaymentServices): SettlementContext;
}

export async function createCampaignSite(start: Date, env: Record<string, string> = {}): Promise<CampaignSite> {
  const clock = createManualClock(start);
  const site = await createTestSite({ clock, env: { CAMPAIGN_CHARGES_PER_SECOND: '0', SESSION_TTL_DAYS: '365', ...env } });
  const owner = new TestClient(site.app, { 'accept-language': 'en' });
  await owner.post('/setup', setupFields({ channel_language: 'en' }));
  const channelId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
  const runJobs = async () => {
    const summary = await runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock });
    if (summary.failed + summary.retrying > 0) {
      const errors = await site.deps.db.query<{ type: string; last_error: string }>(`SELECT type, last_error FROM jobs WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 3`);
      assert.fail(`jobs failed: ${JSON.stringify(errors)}`);
    }
  };
  return {
    site,
    clock,
    channelId,
    owner,
    bank: site.services.payments.providers.test!,
    runJobs,
    settlement: (payments = site.services.payments) => ({ deps: site.deps, payments, purposes: () => purposesOf(site.site.ctx) }),
  };
}

let fanSeq = 0;

/** `n` fans, inserted directly (sign-up is tested elsewhere); their ids. */
export async function makeFans(cs: CampaignSite, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const seq = ++fanSeq;
    ids.push((await cs.site.deps.db.query<{ id: string }>(`INSERT INTO users (email, display_name, language) VALUES ($1, $2, 'en') RETURNING id`, [`backer${seq}@example.org`, `Backer ${seq}`]))[0]!.id);
  }
  return ids;
}

export function campaignInput(overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    slug: `season-${++fanSeq}`,
    title: 'Season 2',
    description: 'If enough of you pre-order, **season 2** is made.',
    faq: '',
    pitchVideoId: null,
    goalKind: 'amount',
    goal: '100.00',
    currency: 'EUR',
    minPledge: '5.00',
    deadline: '2026-12-20T18:00',
    timeZone: 'Europe/Paris',
    ...overrides,
  };
}

/** A live campaign (drafted and launched now); its row. */
export async function liveCampaign(cs: CampaignSite, overrides: Partial<CampaignInput> = {}): Promise<q.CampaignRow> {
  const id = await createCampaign(cs.site.deps, cs.channelId, campaignInput(overrides));
  await launchCampaign(cs.site.deps, id);
  return (await q.findCampaign(cs.site.deps.db, id))!;
}

/**
 * A fan pledges and saves `card` on the test bank's setup page (authenticating when the bank asks),
 * then the bank's webhook is applied: the pledge is `pledged`. Returns the pledge id.
 */
export async function pledge(cs: CampaignSite, campaign: q.CampaignRow, userId: string, amount: string, card: string = CARDS.good, rewardId: string | null = null): Promise<string> {
  const { redirectUrl, pledgeId } = await startPledge(cs.site.deps, cs.site.services.payments, campaign, userId, { amount, rewardId, provider: 'test' }, 'en');
  const checkoutId = new URL(redirectUrl).pathname.split('/').at(-1)!;
  let outcome = await cs.bank.payCheckout(checkoutId, { number: card, expiry: '12/34', cvc: '123' });
  if (outcome.status === 'requires_action') outcome = await cs.bank.authenticateCheckout(checkoutId, 'complete');
  assert.equal(outcome.status, 'succeeded');
  await cs.runJobs();
  assert.equal((await q.findPledge(cs.site.deps.db, pledgeId))!.status, 'pledged');
  return pledgeId;
}

export async function pledgeStatuses(cs: CampaignSite, campaignId: string): Promise<string[]> {
  return (await cs.site.deps.db.query<{ status: string }>('SELECT status FROM campaign_pledges WHERE campaign_id = $1 ORDER BY created_at, id', [campaignId])).map((r) => r.status);
}

/** The journal's postings, as text lines sorted: two equal snapshots mean the same ledger. */
export async function ledgerSnapshot(cs: CampaignSite): Promise<string[]> {
  const rows = await cs.site.deps.db.query<{ key: string; code: string; amount: number }>(
    `SELECT t.idempotency_key AS key, a.code, p.amount FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id JOIN ledger_accounts a ON a.id = p.account_id`,
  );
  return rows.map((r) => `${r.key} ${r.code} ${r.amount}`).sort();
}

/** E-mails sent to `to` whose text matches. */
export function mailsTo(outbox: string[], to: string, match: RegExp): string[] {
  return outbox.map((m) => m.replace(/=\r?\n/g, '')).filter((m) => m.includes(`To: ${to}`) && match.test(m));
}
