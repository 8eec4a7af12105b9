import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import type { CurrentUser } from '../../core/http/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { formatMoney, money, type Money } from '../money.js';
import { applyChargeResult, type PurposeRegistry } from '../payments/events.js';
import { openPaymentCheckout } from '../payments/checkout.js';
import * as payments from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { ProviderError } from '../providers/index.js';
import { periodEnd, priceOf, prorateUpgrade } from './periods.js';
import type { WelcomeState } from './pages.js';
import * as q from './queries.js';
import { paymentMethodConfirmed } from './moved-members.js';
import { scheduleRenewal } from './schedule.js';

export interface JoinRequest {
  channel: { id: string; handle: string; name: string };
  tierId: string;
  interval: q.BillingInterval;
  user: CurrentUser;
  provider: string;
  locale: Locale;
}

/**
 * Joining: an incomplete membership and its first payment, then a checkout that saves the card for
 * renewals. The membership becomes active only when the provider confirms the payment.
 */
export async function joinTier(deps: AppDeps, services: PaymentServices, request: JoinRequest): Promise<string> {
  const tier = await q.findTier(deps.db, request.tierId);
  if (!tier || tier.channel_id !== request.channel.id || tier.archived) throw new ValidationError({ tier: 'membership.tier_invalid' });
  const amount = priceOf(tier, request.interval);
  if (!amount) throw new ValidationError({ interval: 'membership.interval_invalid' });
  const price = money(amount, tier.currency);
  const provider = services.get(request.provider || services.enabled[0] || '');
  if (!provider) throw new ValidationError({ provider: 'payment.provider_invalid' });
  if (!provider.capabilities.savedPaymentMethods) throw new ValidationError({ provider: 'membership.provider_cannot_renew' });
  const membershipId = randomUUID();
  const paymentId = randomUUID();
  await deps.db.transaction(async (tx) => {
    await q.lockFanMemberships(tx, request.channel.id, request.user.id);
    const live = await q.liveMembership(tx, request.channel.id, request.user.id);
    if (live && live.status !== 'incomplete') throw new ConflictError('membership.already_member', 'already_member');
    // The earlier checkout stays payable at the provider: if the fan pays it after all, the purpose
    // below honours it (or refunds it when another payment already made them a member).
    if (live) await tx.query(`UPDATE memberships SET status = 'expired', ended_at = $2 WHERE id = $1`, [live.id, deps.clock.now()]);
    await tx.query(
      `INSERT INTO memberships (id, channel_id, user_id, tier_id, billing_interval, status, provider) VALUES ($1, $2, $3, $4, $5, 'incomplete', $6)`,
      [membershipId, request.channel.id, request.user.id, tier.id, request.interval, provider.id],
    );
    await payments.insertPayment(tx, { id: paymentId, purpose: 'membership', channelId: request.channel.id, userId: request.user.id, amount: price.amount, currency: price.currency, provider: provider.id, idempotencyKey: `membership:${paymentId}`, email: request.user.email, membershipId });
  });
  const t = translator(request.locale);
  const checkout = await openPaymentCheckout(deps, provider, paymentId, {
    amount: price.amount,
    currency: price.currency,
    description: t('membership.checkout_description', { tier: tier.name, channel: request.channel.name }),
    idempotencyKey: `membership:${paymentId}`,
    customerEmail: request.user.email,
    savePaymentMethod: true,
    successUrl: `${deps.config.publicUrl}/memberships/${membershipId}/welcome`,
    cancelUrl: `${deps.config.publicUrl}/c/${request.channel.handle}/membership`,
    metadata: { paymentId, purpose: 'membership', membershipId },
  });
  return checkout.redirectUrl;
}

/** Cancelling keeps access to the end of the paid period; no renewal is attempted after that. */
export async function cancelMembership(deps: AppDeps, membership: q.MembershipRow): Promise<void> {
  if (!['active', 'past_due'].includes(membership.status)) throw new ConflictError('membership.not_cancellable', 'not_cancellable');
  await deps.db.transaction(async (tx) => {
    await tx.query(`UPDATE memberships SET status = 'cancelled', cancelled_at = $2, updated_at = now() WHERE id = $1`, [membership.id, deps.clock.now()]);
    await deps.events.publish(tx, 'membership.changed', { membershipId: membership.id, channelId: membership.channel_id, status: 'cancelled' });
  });
}

/**
 * Changing tier. Up: the new tier applies at once and the price difference for the rest of the period
 * is charged now to the saved card (prorated, periods.ts). Down: the change waits for the next renewal,
 * so nothing already paid is lost.
 */
export async function changeTier(deps: AppDeps, services: PaymentServices, membership: q.MembershipRow, newTierId: string): Promise<'upgraded' | 'downgrade_scheduled'> {
  if (membership.status !== 'active') throw new ConflictError('membership.not_changeable', 'not_changeable');
  const [current, next] = await Promise.all([q.findTier(deps.db, membership.tier_id), q.findTier(deps.db, newTierId)]);
  if (!current || !next || next.channel_id !== membership.channel_id || next.archived || next.id === current.id) throw new ValidationError({ tier: 'membership.tier_invalid' });
  const oldPrice = priceOf(current, membership.billing_interval)!;
  const newPrice = priceOf(next, membership.billing_interval);
  if (!newPrice) throw new ValidationError({ tier: 'membership.interval_invalid' });
  if (newPrice <= oldPrice) {
    await deps.db.query('UPDATE memberships SET pending_tier_id = $2, updated_at = now() WHERE id = $1', [membership.id, next.id]);
    return 'downgrade_scheduled';
  }
  const now = deps.clock.now();
  const due = prorateUpgrade(oldPrice, newPrice, membership.current_period_start!, membership.current_period_end!, now);
  if (due > 0) {
    const provider = services.get(membership.provider);
    if (!provider || !membership.customer_ref || !membership.payment_method_ref) throw new ConflictError('membership.no_saved_card', 'no_saved_card');
    const paymentId = randomUUID();
    const charge = money(due, next.currency);
    const idempotencyKey = `upgrade:${membership.id}:${next.id}:${membership.current_period_end!.toISOString()}`;
    await payments.insertPayment(deps.db, { id: paymentId, purpose: 'membership', channelId: membership.channel_id, userId: membership.user_id, amount: charge.amount, currency: charge.currency, provider: provider.id, idempotencyKey, email: null, membershipId: membership.id });
    const result = await provider.chargeSaved({ customerRef: membership.customer_ref, paymentMethodRef: membership.payment_method_ref, amount: charge.amount, currency: charge.currency, idempotencyKey, metadata: { paymentId, purpose: 'membership', membershipId: membership.id } });
    if (result.status !== 'succeeded') {
      await payments.setStatus(deps.db, paymentId, 'failed', result.declineCode ?? result.status);
      throw new ConflictError('membership.upgrade_declined', 'upgrade_declined');
    }
    await confirmCharge(deps, services, paymentId, result.providerRef, charge, result.fee);
  }
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE memberships SET tier_id = $2, pending_tier_id = NULL, updated_at = now() WHERE id = $1', [membership.id, next.id]);
    await deps.events.publish(tx, 'membership.changed', { membershipId: membership.id, channelId: membership.channel_id, status: 'active' });
  });
  return 'upgraded';
}

/** Applies a synchronous charge result like its webhook would; the webhook, when it comes, changes nothing. */
export async function confirmCharge(deps: AppDeps, services: PaymentServices, paymentId: string, providerRef: string, charged: Money, fee: number | undefined): Promise<void> {
  const payment = await payments.findPayment(deps.db, paymentId);
  const provider = services.get(payment!.provider)!;
  await applyChargeResult(deps, membershipPurposes(deps), { paymentId, provider: provider.id, livemode: provider.livemode, providerRef, charged, fee });
}

/** What membership payments do when confirmed: start or extend the period, keep the card, plan the renewal. */
export function membershipPurposes(deps: AppDeps): PurposeRegistry {
  const activate = async (tx: Queryable, membership: q.MembershipRow, payment: payments.PaymentRow, start: Date, cards: { customer: string | null; method: string | null }) => {
    const end = periodEnd(start, membership.billing_interval);
    await tx.query(
      `UPDATE memberships SET status = 'active', current_period_start = $2, current_period_end = $3, customer_ref = $4, payment_method_ref = $5,
              ended_at = NULL, updated_at = now() WHERE id = $1`,
      [membership.id, start, end, cards.customer, cards.method],
    );
    await scheduleRenewal(deps, tx, membership.id, end);
    await deps.events.publish(tx, 'membership.changed', { membershipId: membership.id, channelId: membership.channel_id, status: 'active' }, `membership:${membership.id}:paid:${payment.id}`);
  };
  return {
    membership: {
      async succeeded(tx, payment, event) {
        const membership = payment.membership_id ? await q.findMembership(tx, payment.membership_id) : undefined;
        if (!membership) return { undeliverable: 'membership_gone' };
        const cards = { customer: event.customerRef ?? membership.customer_ref, method: event.paymentMethodRef ?? membership.payment_method_ref };
        if (payment.period_start && payment.period_end) {
          // A renewal: the new period, a clean slate, the next renewal.
          await tx.query(
            `UPDATE memberships SET status = 'active', current_period_start = $2, current_period_end = $3, renewal_failures = 0, grace_until = NULL,
                    tier_id = COALESCE(pending_tier_id, tier_id), pending_tier_id = NULL, updated_at = now() WHERE id = $1`,
            [membership.id, payment.period_start, payment.period_end],
          );
          await scheduleRenewal(deps, tx, membership.id, payment.period_end);
          await deps.events.publish(tx, 'membership.changed', { membershipId: membership.id, channelId: membership.channel_id, status: 'active' }, `membership:${membership.id}:paid:${payment.id}`);
          return;
        }
        if (membership.status === 'incomplete') return activate(tx, membership, payment, event.occurredAt, cards);
        if (membership.status !== 'expired' || membership.current_period_start) return; // an upgrade's prorated charge: changeTier applies it
        // The checkout of a membership the fan replaced by joining again (two tabs, the back button) was
        // paid after all. Honour it unless another payment already made them a member; then refund it.
        await q.lockFanMemberships(tx, membership.channel_id, membership.user_id);
        const live = await q.liveMembership(tx, membership.channel_id, membership.user_id);
        if (live && live.status !== 'incomplete') return { undeliverable: 'already_member' };
        if (live) await tx.query(`UPDATE memberships SET status = 'expired', ended_at = $2 WHERE id = $1`, [live.id, deps.clock.now()]);
        return activate(tx, membership, payment, event.occurredAt, cards);
      },
      // A member of a channel that moved here confirmed a payment method (moved-members.ts).
      setupSaved: (tx, event) => paymentMethodConfirmed(deps, tx, event),
      async methodSaved(tx, payment, event) {
        if (!payment.membership_id) return;
        await tx.query('UPDATE memberships SET customer_ref = COALESCE($2, customer_ref), payment_method_ref = COALESCE($3, payment_method_ref) WHERE id = $1', [payment.membership_id, event.customerRef ?? null, event.paymentMethodRef ?? null]);
      },
      async afterSucceeded(payment) {
        if (!payment.email) return;
        const rows = await deps.db.query<{ language: Locale | null; channel: string; tier: string | null; status: string | null; period_end: Date | null }>(
          `SELECT u.language, c.name AS channel, t.name AS tier, m.status, m.current_period_end AS period_end
             FROM users u CROSS JOIN channels c
             LEFT JOIN memberships m ON m.id = $3 LEFT JOIN membership_tiers t ON t.id = m.tier_id
            WHERE u.id = $1 AND c.id = $2`,
          [payment.user_id, payment.channel_id, payment.membership_id],
        );
        const row = rows[0];
        const locale = row?.language ?? deps.config.defaultLanguage;
        const t = translator(locale);
        const amount = formatMoney(money(payment.amount, payment.currency), locale);
        // The welcome e-mail names the tier, when it renews and where to manage it (cancel any time).
        const details =
          row?.tier && row.period_end
            ? t(row.status === 'cancelled' ? 'membership.receipt_details_ending' : 'membership.receipt_details', {
                tier: row.tier,
                date: new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(row.period_end),
                link: `${deps.config.publicUrl}/account/memberships`,
              })
            : '';
        await deps.mailer.send({ to: payment.email, subject: t('membership.receipt_subject', { channel: row?.channel ?? '' }), text: t('membership.receipt_body', { amount, channel: row?.channel ?? '', reference: payment.id }) + details });
      },
    },
  };
}

/** What the welcome page says: read from the membership and the payment of its checkout. */
export async function welcomeState(deps: AppDeps, membership: q.MembershipRow): Promise<WelcomeState> {
  if (membership.status === 'active' || membership.status === 'cancelled' || membership.status === 'past_due') return 'active';
  const payment = await payments.checkoutPaymentOfMembership(deps.db, membership.id);
  if (payment?.undeliverable_reason || payment?.status === 'refunded' || payment?.status === 'disputed') return 'refunding';
  if (membership.current_period_start) return 'ended';
  if (membership.status === 'incomplete' || payment?.status === 'pending' || payment?.status === 'requires_action') return 'waiting';
  return 'not_charged';
}

export async function membershipOwnedBy(deps: AppDeps, id: string, user: CurrentUser): Promise<q.MembershipRow> {
  const membership = await q.findMembership(deps.db, id);
  if (!membership || membership.user_id !== user.id) throw new NotFoundError();
  return membership;
}
