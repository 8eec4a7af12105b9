/**
 * The rules of a campaign's life before its deadline: drafting, launching, the one extension,
 * cancelling, and pledges (save a payment method, charge nothing; change or cancel until the deadline).
 * Words: ../CONTEXT.md, "Campaigns".
 */
import { randomUUID } from 'node:crypto';
import { findChannelById } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { enqueue } from '../../core/jobs/index.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { formatMoney, isCurrency, money, MoneyInputError, parseMoneyInput, type Currency } from '../money.js';
import type { PaymentServices } from '../payments/index.js';
import { ProviderError } from '../providers/index.js';
import * as q from './queries.js';
import { instantOfWallTime, isTimeZone } from './zones.js';

export const SETTLE_JOB = 'campaign.settle';

/** Kickstarter's longest campaign: 60 days from launch. */
export const MAX_CAMPAIGN_DAYS = 60;
const DAY = 86_400_000;

/** The campaign form as typed (amounts and the deadline as text, read in the campaign's currency and zone). */
export interface CampaignInput {
  slug: string;
  title: string;
  description: string;
  faq: string;
  pitchVideoId: string | null;
  goalKind: q.GoalKind;
  goal: string;
  currency: string;
  minPledge: string;
  deadline: string;
  timeZone: string;
}

function amountOf(input: string, currency: Currency, field: string, errors: ValidationError['fields']): number {
  try {
    const m = parseMoneyInput(input, currency);
    if (m.amount <= 0) throw new MoneyInputError(input, 'negative', currency);
    return m.amount;
  } catch (error) {
    if (!(error instanceof MoneyInputError)) throw error;
    errors[field] = 'campaign.amount_invalid';
    return 0;
  }
}

/** Reads the form into row fields, or a ValidationError naming each bad field. */
export function campaignFields(input: CampaignInput): q.CampaignFields {
  const errors: ValidationError['fields'] = {};
  if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(input.slug)) errors['slug'] = 'campaign.slug_invalid';
  const currency = input.currency.toUpperCase();
  if (!isCurrency(currency)) errors['currency'] = 'campaign.currency_invalid';
  if (!isTimeZone(input.timeZone)) errors['time_zone'] = 'campaign.time_zone_invalid';
  let goal = 0;
  let minPledge = 0;
  if (isCurrency(currency)) {
    minPledge = amountOf(input.minPledge, currency, 'min_pledge', errors);
    if (input.goalKind === 'amount') goal = amountOf(input.goal, currency, 'goal', errors);
  }
  if (input.goalKind === 'backers') {
    goal = /^\d{1,9}$/.test(input.goal.trim()) ? Number(input.goal.trim()) : 0;
    if (goal <= 0) errors['goal'] = 'campaign.backers_invalid';
  }
  const deadline = isTimeZone(input.timeZone) ? instantOfWallTime(input.deadline.trim(), input.timeZone) : undefined;
  if (!deadline && !errors['time_zone']) errors['deadline'] = 'campaign.deadline_invalid';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return {
    slug: input.slug,
    title: input.title,
    description: input.description,
    faq: input.faq,
    pitchVideoId: input.pitchVideoId,
    goalKind: input.goalKind,
    goal,
    currency,
    minPledge,
    deadline: deadline!,
    timeZone: input.timeZone,
  };
}

async function insertOrConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new ValidationError({ slug: 'campaign.slug_taken' });
    throw error;
  }
}

export async function createCampaign(deps: AppDeps, channelId: string, input: CampaignInput): Promise<string> {
  const fields = campaignFields(input);
  return insertOrConflict(() => deps.db.transaction((tx) => q.insertCampaign(tx, channelId, fields)));
}

/**
 * Saves the form. A draft changes freely; a live campaign only its texts and pitch video: a goal,
 * deadline, currency or minimum different from the saved one is refused (extend the deadline instead).
 */
export async function updateCampaign(deps: AppDeps, campaign: q.CampaignRow, input: CampaignInput): Promise<void> {
  if (campaign.state === 'draft') {
    const fields = campaignFields(input);
    await insertOrConflict(() => q.updateCampaign(deps.db, campaign.id, fields));
    return;
  }
  if (campaign.state !== 'live') throw new ConflictError('campaign.not_editable');
  const fields = campaignFields({ ...input, slug: campaign.slug });
  const locked: Record<string, boolean> = {
    goal: fields.goal !== campaign.goal || fields.goalKind !== campaign.goal_kind,
    deadline: fields.deadline.getTime() !== campaign.deadline.getTime() || fields.timeZone !== campaign.time_zone,
    currency: fields.currency !== campaign.currency,
    min_pledge: fields.minPledge !== campaign.min_pledge,
  };
  const errors = Object.fromEntries(Object.entries(locked).filter(([, changed]) => changed).map(([field]) => [field, 'campaign.locked_when_live' as MessageKey]));
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  await q.updateCampaignTexts(deps.db, campaign.id, fields);
}

async function scheduleSettlement(deps: AppDeps, tx: Queryable, campaignId: string, at: Date): Promise<void> {
  await enqueue(tx, { type: SETTLE_JOB, payload: { campaignId }, runAt: at, dedupeKey: `campaign-settle:${campaignId}:${at.toISOString()}`, maxAttempts: 20 }, deps.clock);
}

/** Draft → live: the deadline must be ahead, at most 60 days away; the settlement is queued for it. */
export async function launchCampaign(deps: AppDeps, campaignId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const campaign = await q.findCampaign(tx, campaignId, true);
    if (!campaign) throw new NotFoundError();
    if (campaign.state !== 'draft') throw new ConflictError('campaign.not_draft');
    const now = deps.clock.now();
    if (campaign.deadline <= now) throw new ValidationError({ deadline: 'campaign.deadline_past' });
    if (campaign.deadline.getTime() - now.getTime() > MAX_CAMPAIGN_DAYS * DAY) throw new ValidationError({ deadline: 'campaign.deadline_too_far' });
    await tx.query(`UPDATE campaigns SET state = 'live', launched_at = $2, original_deadline = deadline, updated_at = now() WHERE id = $1`, [campaignId, now]);
    await scheduleSettlement(deps, tx, campaignId, campaign.deadline);
    await deps.events.publish(tx, 'campaign.launched', { campaignId, channelId: campaign.channel_id }, `campaign:${campaignId}:launched`);
  });
}

/**
 * The one extension a live campaign gets: a later deadline, at most the original length (launch to
 * original deadline) past the original deadline, and never beyond 60 days from launch times two.
 */
export async function extendCampaign(deps: AppDeps, campaignId: string, wall: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const campaign = await q.findCampaign(tx, campaignId, true);
    if (!campaign) throw new NotFoundError();
    if (campaign.state !== 'live' || campaign.deadline <= deps.clock.now()) throw new ConflictError('campaign.not_live');
    if (campaign.extended) throw new ValidationError({ deadline: 'campaign.already_extended' });
    const deadline = instantOfWallTime(wall.trim(), campaign.time_zone);
    if (!deadline) throw new ValidationError({ deadline: 'campaign.deadline_invalid' });
    const original = campaign.original_deadline!;
    const length = original.getTime() - campaign.launched_at!.getTime();
    if (deadline <= campaign.deadline) throw new ValidationError({ deadline: 'campaign.extension_not_later' });
    if (deadline.getTime() - original.getTime() > length) throw new ValidationError({ deadline: 'campaign.extension_too_long' });
    await tx.query('UPDATE campaigns SET deadline = $2, extended = true, updated_at = now() WHERE id = $1', [campaignId, deadline]);
    await scheduleSettlement(deps, tx, campaignId, deadline);
  });
}

/** Cancels a draft (nothing else happens) or a live campaign (settled at once: nothing charged, backers told). */
export async function cancelCampaign(deps: AppDeps, campaignId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const campaign = await q.findCampaign(tx, campaignId, true);
    if (!campaign) throw new NotFoundError();
    if (campaign.state !== 'draft' && campaign.state !== 'live') throw new ConflictError('campaign.not_live');
    const now = deps.clock.now();
    if (campaign.state === 'live' && campaign.deadline <= now) throw new ConflictError('campaign.deadline_passed');
    await tx.query(`UPDATE campaigns SET state = 'cancelled', ended_at = $2, updated_at = now() WHERE id = $1`, [campaignId, now]);
    if (campaign.state === 'live') await scheduleSettlement(deps, tx, campaignId, now);
  });
}

// ——— Pledges ———

/** What a fan asks for: an amount (text, in the campaign's currency), an optional reward, a rail. */
export interface PledgeRequest {
  amount: string;
  rewardId: string | null;
  provider: string;
}

/**
 * Locks the campaign for a pledge change (shared: pledges do not wait for each other, the settlement's
 * freeze waits for them) and checks it still takes pledges: live, before its deadline.
 */
async function lockOpenCampaign(deps: AppDeps, tx: Queryable, campaignId: string): Promise<q.CampaignRow> {
  const campaign = (await tx.query<q.CampaignRow>(`SELECT * FROM campaigns WHERE id = $1 FOR SHARE`, [campaignId]))[0];
  if (!campaign) throw new NotFoundError();
  if (campaign.state !== 'live' || campaign.deadline <= deps.clock.now()) throw new ConflictError('campaign.closed', 'campaign_closed');
  return campaign;
}

function checkAmount(campaign: q.CampaignRow, amountText: string, reward: q.RewardRow | undefined): number {
  const currency = campaign.currency as Currency;
  const errors: ValidationError['fields'] = {};
  const amount = amountOf(amountText, currency, 'amount', errors);
  if (errors['amount']) throw new ValidationError(errors);
  if (amount < campaign.min_pledge) throw new ValidationError({ amount: 'campaign.below_minimum' });
  if (reward && amount < reward.price) throw new ValidationError({ amount: 'campaign.below_reward' });
  return amount;
}

async function takeReward(tx: Queryable, campaign: q.CampaignRow, rewardId: string | null): Promise<q.RewardRow | undefined> {
  if (!rewardId) return undefined;
  const reward = await q.findReward(tx, campaign.id, rewardId);
  if (!reward) throw new ValidationError({ reward: 'campaign.reward_unknown' });
  const claimed = await q.claimReward(tx, campaign.id, rewardId);
  if (!claimed) throw new ValidationError({ reward: 'campaign.reward_sold_out' });
  return claimed;
}

/**
 * Starts a pledge: checks it, holds a unit of a limited reward, and sends the fan to save a payment
 * method (a setup checkout: nothing is charged). Rails that cannot save a method without charging
 * (BTCPay: bitcoin cannot be pre-authorized) are refused with a message saying so.
 */
export async function startPledge(deps: AppDeps, services: PaymentServices, campaign: q.CampaignRow, userId: string, request: PledgeRequest, locale: Locale): Promise<{ redirectUrl: string; pledgeId: string }> {
  const provider = services.get(request.provider);
  if (!provider) throw new ValidationError({ provider: 'campaign.provider_unknown' });
  if (!provider.capabilities.setupWithoutCharge) throw new ValidationError({ provider: 'campaign.provider_cannot_preauthorize' });
  const pledgeId = await deps.db.transaction(async (tx) => {
    const open = await lockOpenCampaign(deps, tx, campaign.id);
    // The campaign is only share-locked (pledges of different fans run side by side); the same fan's
    // pledges (a double click, two tabs) wait for each other here, so the second sees the first.
    await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
    const existing = await q.findFanPledge(tx, open.id, userId, true);
    if (existing && existing.status !== 'pending') throw new ConflictError('campaign.already_pledged', 'already_pledged');
    if (existing) await abandon(tx, existing);
    const reward = await takeReward(tx, open, request.rewardId);
    const amount = checkAmount(open, request.amount, reward);
    return q.insertPledge(tx, { campaignId: open.id, userId, rewardId: reward?.id ?? null, amount, currency: open.currency, provider: provider.id });
  });
  const t = translator(locale);
  const base = deps.config.publicUrl;
  const handle = (await findChannelById(deps.db, campaign.channel_id))!.handle;
  const page = `${base}/c/${handle}/campaigns/${campaign.slug}`;
  const pledge = (await q.findPledge(deps.db, pledgeId))!;
  try {
    const checkout = await provider.createCheckout({
      mode: 'setup',
      amount: pledge.amount,
      currency: pledge.currency as Currency,
      description: t('campaign.checkout_description', { title: campaign.title }),
      idempotencyKey: `campaign-pledge-setup:${pledgeId}`,
      successUrl: `${page}?pledged=1`,
      cancelUrl: page,
      metadata: { setup: '1', purpose: 'campaign', pledgeId },
    });
    await q.setPledgeCheckout(deps.db, pledgeId, checkout.providerRef);
    return { redirectUrl: checkout.redirectUrl, pledgeId };
  } catch (error) {
    await deps.db.transaction(async (tx) => abandon(tx, (await q.findPledge(tx, pledgeId, true))!));
    if (error instanceof ProviderError) throw new ValidationError({ provider: 'campaign.provider_unavailable' });
    throw error;
  }
}

/** A pledge whose method was never saved, given up: its reward unit goes back. */
async function abandon(tx: Queryable, pledge: q.PledgeRow): Promise<void> {
  await q.setPledgeStatus(tx, pledge.id, 'cancelled', 'abandoned');
  if (pledge.reward_id) await q.releaseReward(tx, pledge.reward_id);
}

/** A setup checkout saved the fan's method: the pledge counts from now on. */
export async function pledgeMethodSaved(deps: AppDeps, tx: Queryable, pledgeId: string, refs: { customerRef?: string; paymentMethodRef?: string }): Promise<void> {
  const pledge = await q.findPledge(tx, pledgeId, true);
  if (!pledge || pledge.status !== 'pending' || !refs.customerRef || !refs.paymentMethodRef) return;
  const campaign = (await q.findCampaign(tx, pledge.campaign_id))!;
  await tx.query(`UPDATE campaign_pledges SET status = 'pledged', customer_ref = $2, payment_method_ref = $3, updated_at = now() WHERE id = $1`, [pledgeId, refs.customerRef, refs.paymentMethodRef]);
  await deps.events.publish(tx, 'campaign.pledged', { campaignId: campaign.id, channelId: campaign.channel_id, pledgeId }, `campaign-pledge:${pledgeId}:pledged`);
}

/** Raise, lower or change the reward of a pledge, until the deadline. */
export async function changePledge(deps: AppDeps, campaign: q.CampaignRow, userId: string, change: { amount: string; rewardId: string | null }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const open = await lockOpenCampaign(deps, tx, campaign.id);
    const pledge = await q.findFanPledge(tx, open.id, userId, true);
    if (!pledge || pledge.status !== 'pledged') throw new NotFoundError('campaign.no_pledge');
    let reward: q.RewardRow | undefined;
    if (change.rewardId !== pledge.reward_id) {
      reward = await takeReward(tx, open, change.rewardId);
      if (pledge.reward_id) await q.releaseReward(tx, pledge.reward_id);
    } else if (pledge.reward_id) {
      reward = await q.findReward(tx, open.id, pledge.reward_id);
    }
    const amount = checkAmount(open, change.amount, reward);
    await tx.query('UPDATE campaign_pledges SET amount = $2, reward_id = $3, updated_at = now() WHERE id = $1', [pledge.id, amount, reward?.id ?? null]);
    await deps.events.publish(tx, 'campaign.pledge_changed', { campaignId: open.id, channelId: open.channel_id, pledgeId: pledge.id, status: 'pledged' });
  });
}

/** Cancels a pledge before the deadline: its reward unit goes back and the saved method is detached. */
export async function cancelPledge(deps: AppDeps, services: PaymentServices, campaign: q.CampaignRow, userId: string): Promise<void> {
  const pledge = await deps.db.transaction(async (tx) => {
    const open = await lockOpenCampaign(deps, tx, campaign.id);
    const found = await q.findFanPledge(tx, open.id, userId, true);
    if (!found || (found.status !== 'pledged' && found.status !== 'pending')) throw new NotFoundError('campaign.no_pledge');
    await q.setPledgeStatus(tx, found.id, 'cancelled', 'cancelled_by_backer');
    if (found.reward_id) await q.releaseReward(tx, found.reward_id);
    await deps.events.publish(tx, 'campaign.pledge_changed', { campaignId: open.id, channelId: open.channel_id, pledgeId: found.id, status: 'cancelled' });
    return found;
  });
  await detachMethod(deps, services, pledge);
}

/** Detaches a pledge's saved method at its provider, once; a failure is logged, never thrown. */
export async function detachMethod(deps: AppDeps, services: PaymentServices, pledge: q.PledgeRow): Promise<void> {
  if (pledge.method_detached || !pledge.customer_ref || !pledge.payment_method_ref) return;
  const provider = services.get(pledge.provider);
  try {
    await provider?.detachPaymentMethod({ customerRef: pledge.customer_ref, paymentMethodRef: pledge.payment_method_ref });
    await deps.db.query('UPDATE campaign_pledges SET method_detached = true, updated_at = now() WHERE id = $1', [pledge.id]);
  } catch (error) {
    deps.log.warn({ err: error, pledgeId: pledge.id }, 'could not detach a pledge’s payment method');
  }
}

/** The live totals, or the frozen ones once the campaign ended. */
export async function campaignTotals(db: Queryable, campaign: q.CampaignRow): Promise<{ amount: number; backers: number }> {
  if (campaign.final_amount !== null && campaign.final_backers !== null) return { amount: campaign.final_amount, backers: campaign.final_backers };
  return q.pledgeTotals(db, campaign.id);
}

/** Whether the totals reach the goal. */
export function goalReached(campaign: Pick<q.CampaignRow, 'goal_kind' | 'goal'>, totals: { amount: number; backers: number }): boolean {
  return campaign.goal_kind === 'amount' ? totals.amount >= campaign.goal : totals.backers >= campaign.goal;
}

/** The campaign's goal, for people. */
export function formatGoal(campaign: q.CampaignRow, locale: Locale): string {
  return campaign.goal_kind === 'amount' ? formatMoney(money(campaign.goal, campaign.currency), locale) : translator(locale)('campaign.backers_count', { count: campaign.goal });
}

export const newPaymentId = (): string => randomUUID();
