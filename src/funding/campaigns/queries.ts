/**
 * The campaigns tables (migrations 022 and 023), in plain SQL. What this module does not query is
 * anything another capability owns, except the payments and users rows it needs to name (read only).
 */
import type { Queryable } from '../../core/db/index.js';

export type CampaignState = 'draft' | 'live' | 'successful' | 'failed' | 'cancelled';
export type GoalKind = 'amount' | 'backers';
export type PledgeStatus =
  | 'pending'
  | 'pledged'
  | 'charging'
  | 'collected'
  | 'errored'
  | 'authentication_required'
  | 'dropped'
  | 'cancelled'
  | 'released'
  | 'refunded'
  | 'disputed';

/** Pledges that count toward the live page's totals: a saved method and not cancelled. */
export const COUNTED_STATUSES: readonly PledgeStatus[] = ['pledged', 'charging', 'collected', 'errored', 'authentication_required', 'dropped', 'refunded', 'disputed'];

export interface CampaignRow {
  id: string;
  channel_id: string;
  slug: string;
  title: string;
  description: string;
  faq: string;
  pitch_video_id: string | null;
  goal_kind: GoalKind;
  goal: number;
  currency: string;
  min_pledge: number;
  deadline: Date;
  time_zone: string;
  state: CampaignState;
  launched_at: Date | null;
  original_deadline: Date | null;
  extended: boolean;
  final_amount: number | null;
  final_backers: number | null;
  ended_at: Date | null;
}

export interface RewardRow {
  id: string;
  campaign_id: string;
  title: string;
  description: string;
  price: number;
  quantity: number | null;
  claimed: number;
  delivery_month: string | null;
  position: number;
}

export interface StretchGoalRow {
  id: string;
  campaign_id: string;
  kind: GoalKind;
  threshold: number;
  description: string;
}

export interface PledgeRow {
  id: string;
  campaign_id: string;
  user_id: string | null;
  reward_id: string | null;
  amount: number;
  currency: string;
  status: PledgeStatus;
  provider: string;
  customer_ref: string | null;
  payment_method_ref: string | null;
  checkout_ref: string | null;
  payment_id: string | null;
  failure_code: string | null;
  reminders_sent: number;
  method_detached: boolean;
  created_at: Date;
}

export interface SettlementRow {
  campaign_id: string;
  outcome: 'successful' | 'failed' | 'cancelled';
  stage: 'charge' | 'grace' | 'retry' | 'release' | 'check' | 'done';
  started_at: Date;
  retry_at: Date | null;
  finished_at: Date | null;
  restarts: number;
  report: SettlementReport | null;
}

/** What a settlement says when it is done (also kept in campaign_settlements.report). */
export interface SettlementReport {
  outcome: SettlementRow['outcome'];
  currency: string;
  /** The page's frozen totals at the deadline. */
  frozenAmount: number;
  frozenBackers: number;
  /** Pledges by status at the end. */
  pledges: Partial<Record<PledgeStatus, number>>;
  /** Sum of collected pledges, and what the ledger recorded for this campaign's payments. */
  collectedAmount: number;
  ledgerGross: number;
  ledgerExact: boolean;
  ledgerCheckOk: boolean;
}

const CAMPAIGN = `id, channel_id, slug, title, description, faq, pitch_video_id, goal_kind, goal, currency, min_pledge, deadline, time_zone,
  state, launched_at, original_deadline, extended, final_amount, final_backers, ended_at`;
const PLEDGE = `id, campaign_id, user_id, reward_id, amount, currency, status, provider, customer_ref, payment_method_ref, checkout_ref,
  payment_id, failure_code, reminders_sent, method_detached, created_at`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);

export async function findCampaign(db: Queryable, id: string, lock = false): Promise<CampaignRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<CampaignRow>(`SELECT ${CAMPAIGN} FROM campaigns WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))[0];
}

export async function findCampaignBySlug(db: Queryable, channelId: string, slug: string): Promise<CampaignRow | undefined> {
  return (await db.query<CampaignRow>(`SELECT ${CAMPAIGN} FROM campaigns WHERE channel_id = $1 AND slug = $2`, [channelId, slug]))[0];
}

export async function listCampaigns(db: Queryable, channelId: string, publicOnly: boolean): Promise<CampaignRow[]> {
  return db.query<CampaignRow>(
    `SELECT ${CAMPAIGN} FROM campaigns WHERE channel_id = $1 ${publicOnly ? `AND state <> 'draft'` : ''} ORDER BY created_at DESC LIMIT 50`,
    [channelId],
  );
}

export async function campaignsForPitchVideo(db: Queryable, videoId: string): Promise<CampaignRow[]> {
  return db.query<CampaignRow>(`SELECT ${CAMPAIGN} FROM campaigns WHERE pitch_video_id = $1 AND state <> 'draft' ORDER BY created_at DESC`, [videoId]);
}

export interface CampaignFields {
  slug: string;
  title: string;
  description: string;
  faq: string;
  pitchVideoId: string | null;
  goalKind: GoalKind;
  goal: number;
  currency: string;
  minPledge: number;
  deadline: Date;
  timeZone: string;
}

export async function insertCampaign(db: Queryable, channelId: string, f: CampaignFields): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, slug, title, description, faq, pitch_video_id, goal_kind, goal, currency, min_pledge, deadline, time_zone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [channelId, f.slug, f.title, f.description, f.faq, f.pitchVideoId, f.goalKind, f.goal, f.currency, f.minPledge, f.deadline, f.timeZone],
  );
  return rows[0]!.id;
}

export async function updateCampaign(db: Queryable, id: string, f: CampaignFields): Promise<void> {
  await db.query(
    `UPDATE campaigns SET slug = $2, title = $3, description = $4, faq = $5, pitch_video_id = $6, goal_kind = $7, goal = $8, currency = $9,
            min_pledge = $10, deadline = $11, time_zone = $12, updated_at = now() WHERE id = $1`,
    [id, f.slug, f.title, f.description, f.faq, f.pitchVideoId, f.goalKind, f.goal, f.currency, f.minPledge, f.deadline, f.timeZone],
  );
}

/** The texts a live campaign may still change (its goal, deadline, currency and minimum are locked). */
export async function updateCampaignTexts(db: Queryable, id: string, f: Pick<CampaignFields, 'title' | 'description' | 'faq' | 'pitchVideoId'>): Promise<void> {
  await db.query('UPDATE campaigns SET title = $2, description = $3, faq = $4, pitch_video_id = $5, updated_at = now() WHERE id = $1', [id, f.title, f.description, f.faq, f.pitchVideoId]);
}

export async function listRewards(db: Queryable, campaignId: string): Promise<RewardRow[]> {
  return db.query<RewardRow>(
    `SELECT id, campaign_id, title, description, price, quantity, claimed, delivery_month, position FROM campaign_rewards WHERE campaign_id = $1 ORDER BY position, price, id`,
    [campaignId],
  );
}

export async function insertReward(db: Queryable, campaignId: string, r: { title: string; description: string; price: number; quantity: number | null; deliveryMonth: string | null }): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO campaign_rewards (campaign_id, title, description, price, quantity, delivery_month, position)
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT count(*) FROM campaign_rewards WHERE campaign_id = $1)) RETURNING id`,
    [campaignId, r.title, r.description, r.price, r.quantity, r.deliveryMonth],
  );
  return rows[0]!.id;
}

export async function deleteReward(db: Queryable, campaignId: string, rewardId: string): Promise<void> {
  if (!isUuid(rewardId)) return;
  await db.query('DELETE FROM campaign_rewards WHERE id = $1 AND campaign_id = $2 AND claimed = 0', [rewardId, campaignId]);
}

/** Takes one unit of a reward; false when it is sold out (the row's CHECK makes overselling impossible). */
export async function claimReward(db: Queryable, campaignId: string, rewardId: string): Promise<RewardRow | undefined> {
  const rows = await db.query<RewardRow>(
    `UPDATE campaign_rewards SET claimed = claimed + 1 WHERE id = $1 AND campaign_id = $2 AND (quantity IS NULL OR claimed < quantity)
     RETURNING id, campaign_id, title, description, price, quantity, claimed, delivery_month, position`,
    [rewardId, campaignId],
  );
  return rows[0];
}

export async function releaseReward(db: Queryable, rewardId: string): Promise<void> {
  await db.query('UPDATE campaign_rewards SET claimed = claimed - 1 WHERE id = $1 AND claimed > 0', [rewardId]);
}

export async function findReward(db: Queryable, campaignId: string, rewardId: string): Promise<RewardRow | undefined> {
  if (!isUuid(rewardId)) return undefined;
  return (await db.query<RewardRow>(
    'SELECT id, campaign_id, title, description, price, quantity, claimed, delivery_month, position FROM campaign_rewards WHERE id = $1 AND campaign_id = $2',
    [rewardId, campaignId],
  ))[0];
}

export async function listStretchGoals(db: Queryable, campaignId: string): Promise<StretchGoalRow[]> {
  return db.query<StretchGoalRow>('SELECT id, campaign_id, kind, threshold, description FROM campaign_stretch_goals WHERE campaign_id = $1 ORDER BY kind, threshold', [campaignId]);
}

export async function insertStretchGoal(db: Queryable, campaignId: string, g: { kind: GoalKind; threshold: number; description: string }): Promise<void> {
  await db.query('INSERT INTO campaign_stretch_goals (campaign_id, kind, threshold, description) VALUES ($1, $2, $3, $4)', [campaignId, g.kind, g.threshold, g.description]);
}

/** The live totals: pledged amount and backers among the pledges that count. */
export async function pledgeTotals(db: Queryable, campaignId: string): Promise<{ amount: number; backers: number }> {
  const rows = await db.query<{ amount: number | null; backers: number }>(
    `SELECT COALESCE(sum(amount), 0)::bigint AS amount, count(*)::int AS backers FROM campaign_pledges WHERE campaign_id = $1 AND status = ANY($2)`,
    [campaignId, COUNTED_STATUSES],
  );
  return { amount: Number(rows[0]?.amount ?? 0), backers: rows[0]?.backers ?? 0 };
}

export async function countByStatus(db: Queryable, campaignId: string): Promise<Partial<Record<PledgeStatus, number>>> {
  const rows = await db.query<{ status: PledgeStatus; n: number }>('SELECT status, count(*)::int AS n FROM campaign_pledges WHERE campaign_id = $1 GROUP BY status', [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function findPledge(db: Queryable, id: string, lock = false): Promise<PledgeRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<PledgeRow>(`SELECT ${PLEDGE} FROM campaign_pledges WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))[0];
}

/** The fan's pledge to a campaign that is not cancelled, if any. */
export async function findFanPledge(db: Queryable, campaignId: string, userId: string, lock = false): Promise<PledgeRow | undefined> {
  return (await db.query<PledgeRow>(`SELECT ${PLEDGE} FROM campaign_pledges WHERE campaign_id = $1 AND user_id = $2 AND status <> 'cancelled' ${lock ? 'FOR UPDATE' : ''}`, [campaignId, userId]))[0];
}

export async function insertPledge(db: Queryable, p: { campaignId: string; userId: string; rewardId: string | null; amount: number; currency: string; provider: string }): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO campaign_pledges (campaign_id, user_id, reward_id, amount, currency, status, provider) VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id`,
    [p.campaignId, p.userId, p.rewardId, p.amount, p.currency, p.provider],
  );
  return rows[0]!.id;
}

export async function setPledgeCheckout(db: Queryable, id: string, checkoutRef: string): Promise<void> {
  await db.query('UPDATE campaign_pledges SET checkout_ref = $2, updated_at = now() WHERE id = $1', [id, checkoutRef]);
}

export async function setPledgeStatus(db: Queryable, id: string, status: PledgeStatus, failureCode?: string | null): Promise<void> {
  await db.query('UPDATE campaign_pledges SET status = $2, failure_code = COALESCE($3, failure_code), updated_at = now() WHERE id = $1', [id, status, failureCode ?? null]);
}

/** Pledges of a campaign in one of `statuses`, after `afterId`, in id order: the settlement's batches. */
export async function pledgeBatch(db: Queryable, campaignId: string, statuses: readonly PledgeStatus[], afterId: string | null, limit: number): Promise<PledgeRow[]> {
  return db.query<PledgeRow>(
    `SELECT ${PLEDGE} FROM campaign_pledges WHERE campaign_id = $1 AND status = ANY($2) AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`,
    [campaignId, statuses, afterId, limit],
  );
}

/** Everything a fan has pledged, newest first, with the campaign's words. */
export async function pledgesOfFan(db: Queryable, userId: string): Promise<(PledgeRow & { title: string; slug: string; handle: string; state: CampaignState })[]> {
  return db.query(
    `SELECT ${PLEDGE.split(', ').map((c) => `p.${c.trim()}`).join(', ')}, c.title, c.slug, ch.handle, c.state
       FROM campaign_pledges p JOIN campaigns c ON c.id = p.campaign_id JOIN channels ch ON ch.id = c.channel_id
      WHERE p.user_id = $1 AND p.status <> 'pending' ORDER BY p.created_at DESC LIMIT 100`,
    [userId],
  );
}

/** The backers of a campaign for its creator: status, amount, reward, e-mail. */
export async function backersOf(db: Queryable, campaignId: string): Promise<(PledgeRow & { email: string | null; reward_title: string | null })[]> {
  return db.query(
    `SELECT ${PLEDGE.split(', ').map((c) => `p.${c.trim()}`).join(', ')}, u.email, r.title AS reward_title
       FROM campaign_pledges p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN campaign_rewards r ON r.id = p.reward_id
      WHERE p.campaign_id = $1 AND p.status <> 'pending' ORDER BY p.created_at LIMIT 1000`,
    [campaignId],
  );
}

export async function findSettlement(db: Queryable, campaignId: string, lock = false): Promise<SettlementRow | undefined> {
  return (await db.query<SettlementRow>(
    `SELECT campaign_id, outcome, stage, started_at, retry_at, finished_at, restarts, report FROM campaign_settlements WHERE campaign_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [campaignId],
  ))[0];
}

export async function setSettlementStage(db: Queryable, campaignId: string, stage: SettlementRow['stage'], extra: { report?: SettlementReport; finishedAt?: Date } = {}): Promise<void> {
  await db.query(
    `UPDATE campaign_settlements SET stage = $2, report = COALESCE($3::jsonb, report), finished_at = COALESCE($4, finished_at), updated_at = now() WHERE campaign_id = $1`,
    [campaignId, stage, extra.report ? JSON.stringify(extra.report) : null, extra.finishedAt ?? null],
  );
}

/** Whether a collected pledge of this user unlocks this video (attached to a campaign it backed). */
export async function backerUnlocksVideo(db: Queryable, userId: string, videoId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM campaign_videos cv JOIN campaign_pledges p ON p.campaign_id = cv.campaign_id
      WHERE cv.video_id = $1 AND p.user_id = $2 AND p.status = 'collected' LIMIT 1`,
    [videoId, userId],
  );
  return rows.length > 0;
}

export async function attachVideo(db: Queryable, campaignId: string, videoId: string): Promise<void> {
  await db.query('INSERT INTO campaign_videos (campaign_id, video_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [campaignId, videoId]);
}

/** False when the video was not attached. */
export async function detachVideo(db: Queryable, campaignId: string, videoId: string): Promise<boolean> {
  return (await db.query('DELETE FROM campaign_videos WHERE campaign_id = $1 AND video_id = $2 RETURNING video_id', [campaignId, videoId])).length > 0;
}

export async function attachedVideoIds(db: Queryable, campaignId: string): Promise<string[]> {
  return (await db.query<{ video_id: string }>('SELECT video_id FROM campaign_videos WHERE campaign_id = $1 ORDER BY video_id', [campaignId])).map((r) => r.video_id);
}

/**
 * What the collected pledges add up to, and the gross the ledger recorded for the payments that
 * collected them (their clearing postings): the settlement report's exactness check, read only.
 */
export async function collectedAndRecorded(db: Queryable, campaignId: string): Promise<{ collectedAmount: number; ledgerGross: number }> {
  const rows = await db.query<{ collected: number; gross: number }>(
    `SELECT (SELECT COALESCE(sum(amount), 0) FROM campaign_pledges WHERE campaign_id = $1 AND status IN ('collected', 'refunded', 'disputed'))::bigint AS collected,
            (SELECT COALESCE(-sum(lp.amount), 0)
               FROM campaign_pledges p JOIN payments pay ON pay.id = p.payment_id
               JOIN ledger_postings lp ON lp.transaction_id = pay.ledger_transaction_id
               JOIN ledger_accounts la ON la.id = lp.account_id AND la.kind = 'provider_clearing'
              WHERE p.campaign_id = $1 AND p.status IN ('collected', 'refunded', 'disputed'))::bigint AS gross`,
    [campaignId],
  );
  return { collectedAmount: Number(rows[0]!.collected), ledgerGross: Number(rows[0]!.gross) };
}

/** Pledges whose fans are backers for the campaign's updates: counted and neither dropped, refunded nor disputed. */
const BACKER_STATUSES: readonly PledgeStatus[] = ['pledged', 'charging', 'collected', 'errored', 'authentication_required'];

/** The accounts backing a campaign (for backers-only posts), or those of `userIds` that do. */
export async function campaignBackerIds(db: Queryable, campaignId: string, userIds?: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM campaign_pledges
      WHERE campaign_id = $1 AND user_id IS NOT NULL AND status = ANY($2::text[]) AND ($3::uuid[] IS NULL OR user_id = ANY($3::uuid[]))`,
    [campaignId, [...BACKER_STATUSES], userIds ? [...userIds] : null],
  );
  return rows.map((r) => r.user_id);
}
