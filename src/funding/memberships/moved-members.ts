import { z } from 'zod';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { hmac, safeEqual } from '../../core/crypto.js';
import { enqueue, PermanentJobError, type JobHandler } from '../../core/jobs/index.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { createPaymentServices, type PaymentServices } from '../payments/services.js';
import type { PaymentEvent } from '../providers/index.js';
import * as q from './queries.js';
import { scheduleRenewal } from './schedule.js';

/**
 * Members of a channel that moved here from another site, whose saved card is held by another payment
 * account than this site's (another Stripe account, another test bank, or one the archive does not name):
 * this site cannot charge it. Each is asked, by e-mail with a signed link, to confirm a payment method
 * here before the next renewal, and reminded a few days before it. Until they do, nothing is charged;
 * never confirmed, the membership ends with the period already paid (on the old site). Confirmed, the
 * renewal charges the new method once, at the usual date: the period continues without a gap.
 */

/** The job that e-mails the request (`ask`, at import) and its reminder (`reminder`, before the renewal). */
export const PAYMENT_METHOD_MAIL_JOB = 'membership.payment-method-mail';
/** How long before the renewal date the reminder goes. */
export const REMINDER_DAYS_BEFORE = 3;
const DAY = 86_400_000;

/** A site's payment accounts by rail (`accountIdentity` of each enabled provider that can say). */
export type PaymentAccounts = Readonly<Record<string, string>>;

/**
 * This site's accounts. At export a rail that cannot be asked now is left out (the new site then asks its
 * members to confirm: the safe side). With `strict` (the import's side) its error is thrown instead, so
 * the import is retried rather than dropping the cards of members a brief outage made look foreign.
 */
export async function paymentAccounts(services: PaymentServices, options: { strict?: boolean } = {}): Promise<PaymentAccounts> {
  const accounts: Record<string, string> = {};
  for (const id of services.enabled) {
    const identity = await services.get(id)?.accountIdentity?.().catch((error: unknown) => {
      if (options.strict) throw error;
      return undefined;
    });
    if (identity) accounts[id] = identity;
  }
  return accounts;
}

/** The same, with the rails built from the site's configuration (for export and import, which run outside a request). */
export async function sitePaymentAccounts(deps: AppDeps, options: { strict?: boolean } = {}): Promise<PaymentAccounts> {
  return paymentAccounts(createPaymentServices(deps), options);
}

/** True when a saved method of rail `provider` made on the old site can be charged here. */
export function sameAccount(provider: string, accounts: { from: PaymentAccounts | undefined; here: PaymentAccounts }): boolean {
  const before = accounts.from?.[provider];
  return before !== undefined && before === accounts.here[provider];
}

/**
 * Marks an imported membership as needing a payment method (the old card references are dropped: they
 * name nothing here) and queues the e-mail now and the reminder before the renewal. Idempotent.
 */
export async function askForPaymentMethod(deps: AppDeps, tx: Queryable, membershipId: string, periodEnd: Date): Promise<void> {
  const now = deps.clock.now();
  await tx.query(
    `UPDATE memberships SET payment_method_needed_since = COALESCE(payment_method_needed_since, $2), customer_ref = NULL, payment_method_ref = NULL, updated_at = now() WHERE id = $1`,
    [membershipId, now],
  );
  const mail = (kind: 'ask' | 'reminder', runAt: Date) =>
    enqueue(tx, { type: PAYMENT_METHOD_MAIL_JOB, payload: { membershipId, kind, periodEnd: periodEnd.toISOString() }, runAt, dedupeKey: `payment-method:${kind}:${membershipId}:${periodEnd.toISOString()}`, maxAttempts: 5 }, deps.clock);
  await mail('ask', now);
  const reminder = new Date(periodEnd.getTime() - REMINDER_DAYS_BEFORE * DAY);
  if (reminder > now) await mail('reminder', reminder);
}

/**
 * Queues the next renewal of every membership of a channel that has one coming (an imported channel's
 * members renew on this site: its jobs did not travel). Queued at the period's end, or now when it is
 * past; the job's dedupe key makes a second call change nothing. With `accounts` (an import: the old
 * site's payment accounts and this one's), a live member whose rail has another account here is asked
 * to confirm a payment method (a past-due one until the end of its grace period), and is charged only
 * once they have.
 */
export async function scheduleChannelRenewals(deps: AppDeps, tx: Queryable, channelId: string, accounts?: { from: PaymentAccounts | undefined; here: PaymentAccounts }): Promise<number> {
  const rows = await tx.query<{ id: string; status: q.MembershipStatus; provider: string; current_period_end: Date; grace_until: Date | null; renewal_failures: number }>(
    `SELECT id, status, provider, current_period_end, grace_until, renewal_failures FROM memberships
      WHERE channel_id = $1 AND status IN ('active', 'past_due', 'cancelled') AND current_period_end IS NOT NULL`,
    [channelId],
  );
  const now = deps.clock.now();
  for (const r of rows) {
    let runAt = r.current_period_end > now ? r.current_period_end : now;
    if (accounts && r.status !== 'cancelled' && !sameAccount(r.provider, accounts)) {
      await askForPaymentMethod(deps, tx, r.id, r.current_period_end);
      if (r.status === 'past_due' && r.grace_until && r.grace_until > now) runAt = r.grace_until;
    }
    await scheduleRenewal(deps, tx, r.id, r.current_period_end, r.renewal_failures, runAt);
  }
  return rows.length;
}

/** The signature of a membership's confirm link: it opens the page for that membership only. */
export function paymentMethodSignature(deps: Pick<AppDeps, 'signingSecret'>, membershipId: string): string {
  return hmac(deps.signingSecret, `membership-payment-method:${membershipId}`);
}

export function paymentMethodLinkValid(deps: Pick<AppDeps, 'signingSecret'>, membershipId: string, signature: string | undefined): boolean {
  return !!signature && safeEqual(signature, paymentMethodSignature(deps, membershipId));
}

export function paymentMethodLink(deps: Pick<AppDeps, 'signingSecret' | 'config'>, membershipId: string): string {
  return `${deps.config.publicUrl}/memberships/${membershipId}/payment-method?sig=${paymentMethodSignature(deps, membershipId)}`;
}

/**
 * The method saved by the confirm page's setup checkout: the membership renews with it. A past-due
 * membership (its renewal came before the move finished) is charged now, within its grace period.
 */
export async function paymentMethodConfirmed(deps: AppDeps, tx: Queryable, event: PaymentEvent): Promise<void> {
  const membershipId = event.metadata['membershipId'];
  if (!membershipId || !event.customerRef || !event.paymentMethodRef) return;
  const rows = await tx.query<{ status: q.MembershipStatus; current_period_end: Date | null; renewal_failures: number }>(
    `UPDATE memberships SET provider = $2, customer_ref = $3, payment_method_ref = $4, payment_method_needed_since = NULL, updated_at = now()
      WHERE id = $1 AND payment_method_needed_since IS NOT NULL AND status IN ('active', 'past_due')
      RETURNING status, current_period_end, renewal_failures`,
    [membershipId, event.provider, event.customerRef, event.paymentMethodRef],
  );
  const confirmed = rows[0];
  if (confirmed?.status === 'past_due' && confirmed.current_period_end) {
    await scheduleRenewal(deps, tx, membershipId, confirmed.current_period_end, confirmed.renewal_failures + 1, deps.clock.now());
  }
}

const mailSchema = z.object({ membershipId: z.uuid(), kind: z.enum(['ask', 'reminder']), periodEnd: z.iso.datetime() });

/** Sends the request or the reminder, in the member's language, unless the method was confirmed meanwhile. */
export function paymentMethodMailHandler(deps: AppDeps): JobHandler {
  return async ({ job }) => {
    const payload = mailSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid membership.payment-method-mail payload');
    const { membershipId, kind } = payload.data;
    const rows = await deps.db.query<{ email: string; language: Locale | null; channel: string; tier: string; status: string; needed: Date | null; period_end: Date | null }>(
      `SELECT u.email, u.language, c.name AS channel, t.name AS tier, m.status, m.payment_method_needed_since AS needed, m.current_period_end AS period_end
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN channels c ON c.id = m.channel_id JOIN membership_tiers t ON t.id = m.tier_id
        WHERE m.id = $1`,
      [membershipId],
    );
    const row = rows[0];
    if (!row || !row.needed || !row.period_end || !['active', 'past_due'].includes(row.status)) return { skipped: 'not_needed' };
    if (kind === 'reminder' && row.period_end <= deps.clock.now()) return { skipped: 'too_late' };
    const locale = row.language ?? deps.config.defaultLanguage;
    const t = translator(locale);
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(row.period_end);
    const values = { channel: row.channel, tier: row.tier, date, link: paymentMethodLink(deps, membershipId) };
    await deps.mailer.send({
      to: row.email,
      subject: t(kind === 'ask' ? 'membership.payment_method_subject' : 'membership.payment_method_reminder_subject', values),
      text: t(kind === 'ask' ? 'membership.payment_method_body' : 'membership.payment_method_reminder_body', values),
    });
    return { sent: kind };
  };
}
