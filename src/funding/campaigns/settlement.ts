/**
 * The settlement at a campaign's deadline, Liberapay's payday shape: its stage is a row
 * (campaign_settlements), each stage's work is idempotent and the stage advances only once that work is
 * durable, so a settlement killed anywhere and run again reaches the same ledger.
 *
 *   freeze   the page's totals are frozen, the outcome decided (goal reached or not, or cancelled)
 *   charge   goal reached: every pledge charged off-session once (idempotency key per pledge and attempt);
 *            failures become Errored or Authentication required, and the reminders start
 *   grace    7 days (168 h) from the deadline: reminders every 48 h, backers may fix their payment
 *   retry    one automatic retry of what is still failing; failing again → Dropped
 *   release  goal missed or campaign cancelled: nothing charged, backers told, saved methods detached
 *   check    the ledger's invariants, and the report (campaign_settlements.report)
 *
 * Kickstarter's rules (help.kickstarter.com, "What happens when there is a problem with one of my
 * backer's pledges"): errored backers are e-mailed every 48 hours for 7 days with a way to fix the
 * payment, the pledge is retried automatically at the end of the 7 days, and still failing it is dropped.
 */
import { z } from 'zod';
import { configSection } from '../../core/config.js';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../../core/jobs/index.js';
import { runLedgerSelfCheck } from '../ledger/index.js';
import { formatMoney, money, type Currency } from '../money.js';
import { applyPaymentEvents, insertPayment, findPaymentByKey, setPaymentStatus, type PaymentServices, type PurposeRegistry } from '../payments/index.js';
import { ProviderError } from '../providers/index.js';
import { createPacer, forEachPaced } from '../pacing.js';
import { campaignsConfig } from './config.js';
import * as q from './queries.js';
import { detachMethod, goalReached, newPaymentId, SETTLE_JOB } from './service.js';
import { wallTimeIn } from './zones.js';

export const REMIND_JOB = 'campaign.remind';
const HOUR = 3_600_000;
/** Kickstarter: reminders every 48 hours… */
export const REMINDER_EVERY_MS = 48 * HOUR;
/** …for 7 days, then one automatic retry. */
export const GRACE_MS = 7 * 24 * HOUR;
/** Reminder rounds: at the deadline's collection failure, then 48, 96 and 144 hours after the deadline. */
export const REMINDER_ROUNDS = Math.ceil(GRACE_MS / REMINDER_EVERY_MS);
const BATCH = 500;

const payloadSchema = z.object({ campaignId: z.uuid() });

export interface SettlementContext {
  deps: AppDeps;
  payments: PaymentServices;
  purposes: () => PurposeRegistry;
}

/** `campaign.settle`: runs the settlement from its current stage; a stage that must wait queues the next run. */
export function settleCampaignHandler(ctx: SettlementContext): JobHandler {
  return async ({ job }) => {
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid campaign.settle payload');
    return runSettlement(ctx, payload.data.campaignId);
  };
}

/** Runs a campaign's settlement as far as it can go now; returns the stage it stopped at. */
export async function runSettlement(ctx: SettlementContext, campaignId: string): Promise<{ stage: string; report?: q.SettlementReport }> {
  const { deps } = ctx;
  const resumed = await q.findSettlement(deps.db, campaignId);
  // Found mid-stage (not waiting, not done): an earlier run was interrupted; this one takes over.
  if (resumed && resumed.stage !== 'done' && resumed.stage !== 'grace') await deps.db.query('UPDATE campaign_settlements SET restarts = restarts + 1 WHERE campaign_id = $1', [campaignId]);
  let settlement = resumed ?? (await freeze(deps, campaignId));
  if (!settlement) return { stage: 'not-due' };
  for (;;) {
    switch (settlement.stage) {
      case 'charge':
        await chargeAll(ctx, campaignId, 0);
        await enterGrace(deps, campaignId);
        break;
      case 'grace':
        if (deps.clock.now() < settlement.retry_at!) return { stage: 'grace' };
        await q.setSettlementStage(deps.db, campaignId, 'retry');
        break;
      case 'retry':
        await chargeAll(ctx, campaignId, 1);
        await q.setSettlementStage(deps.db, campaignId, 'check');
        break;
      case 'release':
        await releaseAll(ctx, campaignId, settlement.outcome);
        await q.setSettlementStage(deps.db, campaignId, 'check');
        break;
      case 'check': {
        const report = await settlementReport(deps, campaignId, settlement.outcome);
        await deps.db.transaction(async (tx) => {
          await q.setSettlementStage(tx, campaignId, 'done', { report, finishedAt: deps.clock.now() });
          const campaign = (await q.findCampaign(tx, campaignId))!;
          await deps.events.publish(tx, 'campaign.settled', { campaignId, channelId: campaign.channel_id, outcome: settlement!.outcome }, `campaign:${campaignId}:settled`);
        });
        return { stage: 'done', report };
      }
      case 'done':
        return { stage: 'done', report: settlement.report ?? undefined };
    }
    settlement = (await q.findSettlement(deps.db, campaignId))!;
  }
}

/**
 * The deadline (or the cancellation) has come: freezes the page's totals, decides the outcome and opens
 * the settlement, in one transaction that waits for pledge changes in flight (they hold the campaign
 * row shared). Pledges whose method was never saved are cancelled: they never counted.
 */
async function freeze(deps: AppDeps, campaignId: string): Promise<q.SettlementRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const campaign = await q.findCampaign(tx, campaignId, true);
    if (!campaign) return undefined;
    const existing = await q.findSettlement(tx, campaignId);
    if (existing) return existing;
    const now = deps.clock.now();
    let outcome: q.SettlementRow['outcome'];
    if (campaign.state === 'live') {
      if (campaign.deadline > now) return undefined; // an earlier deadline's job, after an extension
      outcome = goalReached(campaign, await q.pledgeTotals(tx, campaignId)) ? 'successful' : 'failed';
    } else if (campaign.state === 'cancelled' && campaign.launched_at) {
      outcome = 'cancelled';
    } else {
      return undefined;
    }
    await tx.query(`UPDATE campaign_pledges SET status = 'cancelled', failure_code = 'no_payment_method', updated_at = now() WHERE campaign_id = $1 AND status = 'pending'`, [campaignId]);
    const totals = await q.pledgeTotals(tx, campaignId);
    await tx.query(
      `UPDATE campaigns SET state = $2, final_amount = $3, final_backers = $4, ended_at = COALESCE(ended_at, $5), updated_at = now() WHERE id = $1`,
      [campaignId, outcome, totals.amount, totals.backers, now],
    );
    const stage = outcome === 'successful' ? 'charge' : 'release';
    await tx.query('INSERT INTO campaign_settlements (campaign_id, outcome, stage, started_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [campaignId, outcome, stage, now]);
    await deps.events.publish(tx, 'campaign.ended', { campaignId, channelId: campaign.channel_id, outcome }, `campaign:${campaignId}:ended`);
    return q.findSettlement(tx, campaignId);
  });
}

/** After the deadline's charges: the 7 days of grace, their reminders and the final retry, queued. */
async function enterGrace(deps: AppDeps, campaignId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const campaign = (await q.findCampaign(tx, campaignId))!;
    const retryAt = new Date(campaign.deadline.getTime() + GRACE_MS);
    await tx.query(`UPDATE campaign_settlements SET stage = 'grace', retry_at = $2, updated_at = now() WHERE campaign_id = $1`, [campaignId, retryAt]);
    await enqueue(tx, { type: SETTLE_JOB, payload: { campaignId }, runAt: retryAt, dedupeKey: `campaign-settle-retry:${campaignId}`, maxAttempts: 20 }, deps.clock);
    await scheduleReminder(deps, tx, campaign, 0);
  });
}

async function scheduleReminder(deps: AppDeps, tx: Queryable, campaign: q.CampaignRow, round: number): Promise<void> {
  if (round >= REMINDER_ROUNDS) return;
  const runAt = new Date(campaign.deadline.getTime() + round * REMINDER_EVERY_MS);
  await enqueue(tx, { type: REMIND_JOB, payload: { campaignId: campaign.id, round }, runAt, dedupeKey: `campaign-remind:${campaign.id}:${round}`, maxAttempts: 10 }, deps.clock);
}

/**
 * Charges every pledge waiting for this attempt (0: at the deadline, 1: the retry after 7 days), in id
 * order, `concurrency` at a time and at most `chargesPerSecond`. A pledge left `charging` by a crash is
 * charged again under the same idempotency key: the provider answers what it answered the first time.
 */
async function chargeAll(ctx: SettlementContext, campaignId: string, attempt: 0 | 1): Promise<void> {
  const settings = configSection(ctx.deps.config, campaignsConfig);
  const pacer = createPacer(settings.chargesPerSecond);
  const statuses: q.PledgeStatus[] = attempt === 0 ? ['pledged', 'charging'] : ['errored', 'authentication_required', 'charging'];
  const campaign = (await q.findCampaign(ctx.deps.db, campaignId))!;
  let after: string | null = null;
  for (;;) {
    const batch = await q.pledgeBatch(ctx.deps.db, campaignId, statuses, after, BATCH);
    if (batch.length === 0) return;
    after = batch[batch.length - 1]!.id;
    await forEachPaced(batch, { concurrency: settings.concurrency, pacer }, (pledge) => chargePledge(ctx, campaign, pledge, attempt));
  }
}

/** One pledge, one attempt: a payment row under the pledge's key, the off-session charge, its outcome. */
export async function chargePledge(ctx: SettlementContext, campaign: q.CampaignRow, pledge: q.PledgeRow, attempt: 0 | 1): Promise<void> {
  const { deps } = ctx;
  const idempotencyKey = `campaign:${pledge.id}:${attempt}`;
  const provider = ctx.payments.get(pledge.provider);
  // Only a pledge left `charging` (by a crash, or a pending answer) can have a payment under this key already.
  const earlier = pledge.status === 'charging' ? await findPaymentByKey(deps.db, idempotencyKey) : undefined;
  if (earlier?.status === 'succeeded') return; // recorded before a crash; the purpose marked the pledge collected
  const payment = { id: earlier?.id ?? newPaymentId() };
  if (!earlier) {
    await deps.db.transaction(async (tx) => {
      await insertPayment(tx, { id: payment.id, purpose: 'campaign', channelId: campaign.channel_id, userId: pledge.user_id, amount: pledge.amount, currency: pledge.currency, provider: pledge.provider, idempotencyKey, email: null });
      await tx.query(`UPDATE campaign_pledges SET status = 'charging', payment_id = $2, updated_at = now() WHERE id = $1`, [pledge.id, payment.id]);
    });
  }
  if (!provider || !pledge.customer_ref || !pledge.payment_method_ref) return failed(deps, campaign, pledge, payment.id, attempt, 'declined', 'no_payment_method');
  let result;
  try {
    result = await provider.chargeSaved({
      customerRef: pledge.customer_ref,
      paymentMethodRef: pledge.payment_method_ref,
      amount: pledge.amount,
      currency: pledge.currency as Currency,
      idempotencyKey,
      metadata: { paymentId: payment.id, purpose: 'campaign', pledgeId: pledge.id },
    });
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) return failed(deps, campaign, pledge, payment.id, attempt, 'declined', error.code);
    throw error;
  }
  if (result.status === 'succeeded') {
    await applyPaymentEvents(deps, ctx.purposes(), [
      {
        provider: provider.id,
        eventId: `charge-result:${result.providerRef}`,
        type: 'payment.succeeded',
        providerRef: result.providerRef,
        amount: pledge.amount,
        currency: pledge.currency as Currency,
        fee: result.fee,
        occurredAt: deps.clock.now(),
        metadata: { paymentId: payment.id, purpose: 'campaign', pledgeId: pledge.id },
        livemode: provider.livemode,
      },
    ]);
    return;
  }
  if (result.status === 'pending') return; // the webhook will say; the pledge stays `charging`
  return failed(deps, campaign, pledge, payment.id, attempt, result.status, result.declineCode ?? result.status);
}

/** A failed attempt: Errored / Authentication required at the deadline, Dropped after the retry. */
async function failed(deps: AppDeps, campaign: q.CampaignRow, pledge: q.PledgeRow, paymentId: string, attempt: 0 | 1, kind: 'declined' | 'requires_action', code: string): Promise<void> {
  const status: q.PledgeStatus = attempt === 1 ? 'dropped' : kind === 'requires_action' ? 'authentication_required' : 'errored';
  await deps.db.transaction(async (tx) => {
    await setPaymentStatus(tx, paymentId, kind === 'requires_action' ? 'requires_action' : 'failed', code);
    const rows = await tx.query(`UPDATE campaign_pledges SET status = $2, failure_code = $3, updated_at = now() WHERE id = $1 AND status IN ('pledged', 'charging', 'errored', 'authentication_required') RETURNING id`, [pledge.id, status, code]);
    if (rows.length > 0) await deps.events.publish(tx, 'campaign.pledge_status', { campaignId: campaign.id, channelId: campaign.channel_id, pledgeId: pledge.id, status }, `campaign-pledge:${pledge.id}:${status}`);
  });
  if (status === 'dropped') await tellBacker(deps, campaign, pledge, 'dropped');
}

/** Goal missed or campaign cancelled: every pledge released, nothing charged, its method detached, its backer told. */
async function releaseAll(ctx: SettlementContext, campaignId: string, outcome: q.SettlementRow['outcome']): Promise<void> {
  const { deps } = ctx;
  const campaign = (await q.findCampaign(deps.db, campaignId))!;
  for (;;) {
    const batch = await q.pledgeBatch(deps.db, campaignId, ['pledged'], null, BATCH);
    const leftovers = await q.pledgeBatch(deps.db, campaignId, ['released'], null, BATCH).then((rows) => rows.filter((p) => !p.method_detached && p.payment_method_ref));
    for (const pledge of leftovers) await detachMethod(deps, ctx.payments, pledge);
    if (batch.length === 0) return;
    for (const pledge of batch) {
      const released = await deps.db.transaction(async (tx) => {
        const rows = await tx.query(`UPDATE campaign_pledges SET status = 'released', updated_at = now() WHERE id = $1 AND status = 'pledged' RETURNING id`, [pledge.id]);
        if (rows.length > 0) await deps.events.publish(tx, 'campaign.pledge_status', { campaignId, channelId: campaign.channel_id, pledgeId: pledge.id, status: 'released' }, `campaign-pledge:${pledge.id}:released`);
        return rows.length > 0;
      });
      if (released) await tellBacker(deps, campaign, pledge, outcome === 'cancelled' ? 'cancelled' : 'failed');
      await detachMethod(deps, ctx.payments, { ...pledge, status: 'released' });
    }
  }
}

/** The end of a settlement: the ledger's self-check, and what the campaign collected, by status. */
async function settlementReport(deps: AppDeps, campaignId: string, outcome: q.SettlementRow['outcome']): Promise<q.SettlementReport> {
  const campaign = (await q.findCampaign(deps.db, campaignId))!;
  const check = await runLedgerSelfCheck(deps, SETTLE_JOB);
  const { collectedAmount, ledgerGross } = await q.collectedAndRecorded(deps.db, campaignId);
  return {
    outcome,
    currency: campaign.currency,
    frozenAmount: campaign.final_amount ?? 0,
    frozenBackers: campaign.final_backers ?? 0,
    pledges: await q.countByStatus(deps.db, campaignId),
    collectedAmount,
    ledgerGross,
    ledgerExact: collectedAmount === ledgerGross,
    ledgerCheckOk: check.ok,
  };
}

// ——— Reminders ———

const remindSchema = z.object({ campaignId: z.uuid(), round: z.number().int().min(0).max(REMINDER_ROUNDS) });

/**
 * `campaign.remind`, round n at the deadline + n × 48 h: e-mails each backer whose pledge is still
 * Errored or Authentication required, once per round, with the fix-payment link and the moment the
 * automatic retry comes (in the campaign's time zone); then queues the next round.
 */
export function remindHandler(deps: AppDeps): JobHandler {
  return async ({ job }) => {
    const payload = remindSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid campaign.remind payload');
    const { campaignId, round } = payload.data;
    const campaign = await q.findCampaign(deps.db, campaignId);
    const settlement = await q.findSettlement(deps.db, campaignId);
    if (!campaign || settlement?.stage !== 'grace') return { skipped: settlement?.stage ?? 'none' };
    let sent = 0;
    for (;;) {
      // Claim before sending: a crash between the two loses one reminder rather than sending two.
      const claimed = await deps.db.query<q.PledgeRow>(
        `UPDATE campaign_pledges SET reminders_sent = $2 + 1, updated_at = now()
          WHERE id IN (SELECT id FROM campaign_pledges WHERE campaign_id = $1 AND status IN ('errored', 'authentication_required') AND reminders_sent <= $2 ORDER BY id LIMIT 200)
          RETURNING *`,
        [campaignId, round],
      );
      if (claimed.length === 0) break;
      for (const pledge of claimed) {
        await tellBacker(deps, campaign, pledge, 'fix', settlement.retry_at!).catch((err) => deps.log.error({ err, pledgeId: pledge.id }, 'campaign reminder failed'));
        sent++;
      }
    }
    await deps.db.transaction((tx) => scheduleReminder(deps, tx, campaign, round + 1));
    return { round, sent };
  };
}

type Tell = 'fix' | 'dropped' | 'failed' | 'cancelled';

/** E-mails a backer about their pledge, in their language; the time in the campaign's zone. */
async function tellBacker(deps: AppDeps, campaign: q.CampaignRow, pledge: q.PledgeRow, what: Tell, until?: Date): Promise<void> {
  if (!pledge.user_id) return;
  const rows = await deps.db.query<{ email: string; language: Locale | null; handle: string }>(
    'SELECT u.email, u.language, c.handle FROM users u, channels c WHERE u.id = $1 AND c.id = $2',
    [pledge.user_id, campaign.channel_id],
  );
  const row = rows[0];
  if (!row) return;
  const locale = row.language ?? deps.config.defaultLanguage;
  const t = translator(locale);
  const page = `${deps.config.publicUrl}/c/${row.handle}/campaigns/${campaign.slug}`;
  const amount = formatMoney(money(pledge.amount, pledge.currency), locale);
  const vars = { title: campaign.title, amount, link: what === 'fix' ? `${page}/fix` : page, until: until ? `${wallTimeIn(until, campaign.time_zone).replace('T', ' ')} (${campaign.time_zone})` : '' };
  const [subject, body] = ({
    fix: ['campaign.mail.fix_subject', 'campaign.mail.fix_body'],
    dropped: ['campaign.mail.dropped_subject', 'campaign.mail.dropped_body'],
    failed: ['campaign.mail.failed_subject', 'campaign.mail.failed_body'],
    cancelled: ['campaign.mail.cancelled_subject', 'campaign.mail.cancelled_body'],
  } as const)[what];
  await deps.mailer.send({ to: row.email, subject: t(subject, vars), text: t(body, vars) });
}
