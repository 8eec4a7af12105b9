import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import type { PaymentPurposeHandlers, PaymentRow } from '../payments/index.js';
import type { PaymentEvent } from '../providers/index.js';
import * as q from './queries.js';
import { pledgeMethodSaved } from './service.js';

/**
 * What campaign payments do when their fate is known. A setup checkout's saved method makes a pending
 * pledge count; a succeeded charge (the deadline's, the retry's, or the fan's own "fix payment") collects
 * the pledge, unless it can no longer be collected (campaign cancelled or failed, pledge dropped or
 * already collected): then the answer is `{ undeliverable }` and the payments capability refunds it.
 */
export function campaignPurpose(deps: AppDeps): PaymentPurposeHandlers {
  return {
    async setupSaved(tx, event) {
      const pledgeId = event.metadata['pledgeId'];
      if (pledgeId) await pledgeMethodSaved(deps, tx, pledgeId, { customerRef: event.customerRef, paymentMethodRef: event.paymentMethodRef });
    },
    async succeeded(tx, payment, event) {
      return collect(deps, tx, payment, event);
    },
  };
}

async function collect(deps: AppDeps, tx: Queryable, payment: PaymentRow, event: PaymentEvent): Promise<void | { undeliverable: string }> {
  const pledge = await q.findPledge(tx, event.metadata['pledgeId'] ?? '', true);
  if (!pledge) return { undeliverable: 'pledge_not_found' };
  const campaign = (await q.findCampaign(tx, pledge.campaign_id))!;
  if (campaign.state !== 'successful') return { undeliverable: `campaign_${campaign.state}` };
  if (pledge.status === 'collected') return pledge.payment_id === payment.id ? undefined : { undeliverable: 'pledge_already_collected' };
  if (!['pledged', 'charging', 'errored', 'authentication_required'].includes(pledge.status)) return { undeliverable: `pledge_${pledge.status}` };
  await tx.query(`UPDATE campaign_pledges SET status = 'collected', payment_id = $2, failure_code = NULL, updated_at = now() WHERE id = $1`, [pledge.id, payment.id]);
  await deps.events.publish(tx, 'campaign.pledge_status', { campaignId: campaign.id, channelId: campaign.channel_id, pledgeId: pledge.id, status: 'collected' }, `campaign-pledge:${pledge.id}:collected`);
}

/** A collected pledge's payment was refunded or disputed: the backer's state says so (and unlocks nothing more). */
export function onPaymentReversed(deps: AppDeps) {
  return async ({ paymentId, purpose, kind }: { paymentId: string; purpose: string; kind: 'refund' | 'dispute' }) => {
    if (purpose !== 'campaign') return;
    await deps.db.query(
      `UPDATE campaign_pledges SET status = $2, updated_at = now() WHERE payment_id = $1 AND status IN ('collected', 'disputed', 'refunded')`,
      [paymentId, kind === 'refund' ? 'refunded' : 'disputed'],
    );
  };
}

/** `videos.viewer-grants`: a backer whose pledge was collected watches the videos attached to that campaign. */
export async function backerGrant(db: Queryable, userId: string, _channelId: string, _now: Date, videoId?: string) {
  const unlocked = videoId ? await q.backerUnlocksVideo(db, userId, videoId) : false;
  return { isMember: unlocked, earlyAccessDays: 0 };
}
