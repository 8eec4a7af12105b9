import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../../core/deps.js';
import { PermanentJobError, type JobHandler } from '../../core/jobs/index.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { findMove } from '../../federation/index.js';
import { withLedgerSelfCheck } from '../ledger/index.js';
import { formatMoney, money, type Money } from '../money.js';
import * as payments from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { GRACE_DAYS, periodEnd, priceOf, RETRY_AFTER_DAYS } from './periods.js';
import * as q from './queries.js';
import { RENEW_JOB, scheduleRenewal } from './schedule.js';
import { confirmCharge } from './service.js';

const payloadSchema = z.object({ membershipId: z.uuid(), periodEnd: z.iso.datetime(), attempt: z.number().int().min(0) });
const DAY = 86_400_000;

/**
 * `membership.renew`, queued for the end of each paid period (and again after a failed charge).
 * Fanfare runs its own renewals: it charges the saved card off-session with an idempotency key naming
 * the period and attempt, so a retried job never charges twice. A cancelled membership ends here; a
 * declined or authentication-required charge makes it past due, sends a dunning e-mail and tries again
 * (1, 3, 6 days later) within a grace period of 7 days, after which the membership expires. Like every
 * money job, it ends with the ledger's self-check.
 */
export function renewMembershipHandler(deps: AppDeps, services: PaymentServices): JobHandler {
  return withLedgerSelfCheck(deps, RENEW_JOB, async ({ job }) => {
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid membership.renew payload');
    const { membershipId, attempt } = payload.data;
    const end = new Date(payload.data.periodEnd);
    const membership = await q.findMembership(deps.db, membershipId);
    if (!membership || membership.current_period_end?.getTime() !== end.getTime()) return { skipped: 'stale' };
    const now = deps.clock.now();
    if (membership.status === 'cancelled' || membership.status === 'past_due' && membership.grace_until && membership.grace_until <= now) {
      await expire(deps, membershipId, membership.status === 'cancelled' ? end : now);
      return { expired: true };
    }
    if (membership.status !== 'active' && membership.status !== 'past_due') return { skipped: membership.status };
    // Moved here with a card this site's payment account cannot charge, and no method confirmed since:
    // nothing is charged, the membership ends with the period paid on the old site (moved-members.ts).
    if (membership.payment_method_needed_since) {
      await expire(deps, membershipId, membership.status === 'past_due' ? now : end);
      return { expired: true, paymentMethodNeeded: true };
    }
    // The period to come is charged at its tier's price for the membership's interval (a scheduled
    // downgrade applies now); a failure e-mail quotes that same price.
    const tier = await q.findTier(deps.db, membership.pending_tier_id ?? membership.tier_id);
    const amount = tier ? priceOf(tier, membership.billing_interval) : undefined;
    const price = tier && amount ? money(amount, tier.currency) : undefined;
    const provider = services.get(membership.provider);
    if (!price || !provider || !membership.customer_ref || !membership.payment_method_ref) {
      return failRenewal(deps, membership, end, attempt, 'no_saved_card', price);
    }
    const idempotencyKey = `renew:${membershipId}:${end.toISOString()}:${attempt}`;
    const existing = (await deps.db.query<{ id: string; status: string }>('SELECT id, status FROM payments WHERE idempotency_key = $1', [idempotencyKey]))[0];
    const paymentId = existing?.id ?? randomUUID();
    if (existing?.status === 'succeeded') return { renewed: true };
    // A channel that moved to another site renews its members there (the import queued their renewals):
    // this site never charges them again, and each membership ends here with the period it was paid for.
    if (existing?.status !== 'pending' && (await findMove(deps.db, membership.channel_id))) {
      if (existing) await payments.setStatus(deps.db, paymentId, 'failed', 'channel_moved');
      await expire(deps, membershipId, end);
      return { expired: true, moved: true };
    }
    if (!existing) {
      await payments.insertPayment(deps.db, {
        id: paymentId, purpose: 'membership', channelId: membership.channel_id, userId: membership.user_id, amount: price.amount, currency: price.currency,
        provider: provider.id, idempotencyKey, email: null, membershipId, periodStart: end, periodEnd: periodEnd(end, membership.billing_interval),
      });
    }
    const result = await provider.chargeSaved({ customerRef: membership.customer_ref, paymentMethodRef: membership.payment_method_ref, amount: price.amount, currency: price.currency, idempotencyKey, metadata: { paymentId, purpose: 'membership', membershipId } });
    if (result.status === 'succeeded') {
      await confirmCharge(deps, services, paymentId, result.providerRef, price, result.fee);
      return { renewed: true };
    }
    if (result.status === 'pending') return { pending: true };
    await payments.setStatus(deps.db, paymentId, result.status === 'requires_action' ? 'requires_action' : 'failed', result.declineCode ?? result.status);
    return failRenewal(deps, membership, end, attempt, result.declineCode ?? result.status, price);
  });
}

async function expire(deps: AppDeps, membershipId: string, at: Date): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const rows = await tx.query<{ channel_id: string }>(
      `UPDATE memberships SET status = 'expired', ended_at = $2, updated_at = now() WHERE id = $1 AND status <> 'expired' RETURNING channel_id`,
      [membershipId, at],
    );
    if (rows[0]) await deps.events.publish(tx, 'membership.changed', { membershipId, channelId: rows[0].channel_id, status: 'expired' }, `membership:${membershipId}:expired`);
  });
}

async function failRenewal(deps: AppDeps, membership: q.MembershipRow, end: Date, attempt: number, reason: string, price: Money | undefined) {
  const graceUntil = membership.grace_until ?? new Date(end.getTime() + GRACE_DAYS * DAY);
  const retryDays = RETRY_AFTER_DAYS[attempt];
  const retryAt = retryDays === undefined ? graceUntil : new Date(end.getTime() + retryDays * DAY);
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE memberships SET status = 'past_due', grace_until = $2, renewal_failures = renewal_failures + 1, updated_at = now() WHERE id = $1`,
      [membership.id, graceUntil],
    );
    // The last retry is the end of grace: if the card still fails, that run expires the membership.
    await scheduleRenewal(deps, tx, membership.id, end, attempt + 1, retryAt < graceUntil ? retryAt : graceUntil);
    await deps.events.publish(tx, 'membership.changed', { membershipId: membership.id, channelId: membership.channel_id, status: 'past_due' }, `membership:${membership.id}:past_due:${end.toISOString()}:${attempt}`);
  });
  await sendDunning(deps, membership, graceUntil, price).catch((err) => deps.log.error({ err }, 'dunning e-mail failed'));
  return { failed: reason, retryAt };
}

/** Tells the fan the renewal failed, quoting `price`, what the renewal tried to charge ("—" when it had none to charge). */
async function sendDunning(deps: AppDeps, membership: q.MembershipRow, graceUntil: Date, price: Money | undefined): Promise<void> {
  const rows = await deps.db.query<{ email: string; language: Locale | null; channel: string; handle: string }>(
    `SELECT u.email, u.language, c.name AS channel, c.handle FROM users u, channels c WHERE u.id = $1 AND c.id = $2`,
    [membership.user_id, membership.channel_id],
  );
  const row = rows[0];
  if (!row) return;
  const locale = row.language ?? deps.config.defaultLanguage;
  const t = translator(locale);
  const until = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(graceUntil);
  await deps.mailer.send({
    to: row.email,
    subject: t('membership.dunning_subject', { channel: row.channel }),
    text: t('membership.dunning_body', { channel: row.channel, until, link: `${deps.config.publicUrl}/c/${row.handle}/membership`, amount: price ? formatMoney(price, locale) : '—' }),
  });
}
