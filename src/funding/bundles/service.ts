import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../../core/deps.js';
import { hashToken, randomToken } from '../../core/crypto.js';
import type { CurrentUser } from '../../core/http/context.js';
import { ValidationError } from '../../core/http/errors.js';
import { translator, type Locale, type MessageKey } from '../../core/i18n/index.js';
import { findVideoById } from '../../videos/index.js';
import { formatMoney, isCurrency, money, MoneyInputError, parseMoneyInput, type Money } from '../money.js';
import type { PurposeRegistry } from '../payments/events.js';
import { openPaymentCheckout } from '../payments/checkout.js';
import * as payments from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { ProviderError } from '../providers/index.js';
import * as q from './queries.js';
import { expiryFrom, LINK_SECONDS, signedQuery } from './signing.js';

/** E-mail confirmation links work this long. */
export const CONFIRM_HOURS = 48;
/** Above this a price is surely a typo: refused rather than charged. */
export const MAX_BUNDLE_MINOR = 1_000_000;

/** May the holder of `unlock` (or a passer-by, without one) download `file`? */
export function canDownload(file: Pick<q.BundleFileRow, 'access'>, unlock: Pick<q.UnlockRow, 'status' | 'bonus'> | undefined): boolean {
  if (file.access === 'free') return true;
  if (!unlock || unlock.status !== 'unlocked') return false;
  return file.access === 'locked' || unlock.bonus;
}

/** A file as fans get it: a channel video's file is its current MP4 (a new transcode changes it). */
export interface ResolvedFile extends q.BundleFileRow {
  key: string;
  length: number;
}

/** The bundle's files with their current storage keys and sizes; videos without an MP4 are left out. */
export async function resolveFiles(deps: AppDeps, files: q.BundleFileRow[]): Promise<ResolvedFile[]> {
  const out: ResolvedFile[] = [];
  for (const file of files) {
    if (!file.video_id) {
      out.push({ ...file, key: file.storage_key, length: file.bytes });
      continue;
    }
    const video = await findVideoById(deps.db, file.video_id);
    if (!video?.hls_prefix || !video.download_file || video.download_bytes === null) continue;
    out.push({ ...file, key: `${video.hls_prefix}/${video.download_file}`, length: video.download_bytes });
  }
  return out;
}

const emailSchema = z.object({
  email: z.string().trim().max(254, 'error.email_invalid').pipe(z.email('error.email_invalid')),
  consent: z.literal('on', 'bundle.consent_required'),
});

/**
 * The first half of the e-mail unlock (double opt-in): a pending unlock and a link, valid
 * {@link CONFIRM_HOURS} hours, sent to the address. Nothing is unlocked until the link is followed.
 */
export async function startEmailUnlock(deps: AppDeps, bundle: q.BundleRow, input: Record<string, unknown>, user: CurrentUser | null, locale: Locale): Promise<void> {
  if (!bundle.unlock_by_email) throw new ValidationError({ email: 'bundle.email_unlock_off' });
  const parsed = emailSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message as MessageKey;
    throw new ValidationError(fields);
  }
  const token = randomToken();
  const expires = new Date(deps.clock.now().getTime() + CONFIRM_HOURS * 3600_000);
  await q.insertUnlock(deps.db, {
    bundleId: bundle.id,
    method: 'email',
    email: parsed.data.email,
    userId: user?.id ?? null,
    locale,
    consent: true,
    tokenHash: hashToken(token),
    tokenExpiresAt: expires,
    paymentId: null,
    amount: null,
  });
  const t = translator(locale);
  await deps.mailer.send({
    to: parsed.data.email,
    subject: t('bundle.confirm_subject', { title: bundle.title }),
    text: t('bundle.confirm_body', { title: bundle.title, link: `${deps.config.publicUrl}/b/confirm?token=${token}`, hours: CONFIRM_HOURS }),
  });
}

/** What following an e-mail link did. */
export type ConfirmOutcome = { ok: true; unlock: q.UnlockRow; bundle: q.BundleRow } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/**
 * The second half: the link unlocks the bundle once. A reused, expired or unknown link changes nothing
 * and says which. On confirmation the address joins the creator's list (`follower.added`, kind e-mail):
 * the fan consented to that on the form.
 */
export async function confirmEmailUnlock(deps: AppDeps, token: string): Promise<ConfirmOutcome> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'invalid' };
  return deps.db.transaction(async (tx) => {
    const unlock = await q.findUnlockByToken(tx, hashToken(token));
    const bundle = unlock && (await q.findBundle(tx, unlock.bundle_id));
    if (!unlock || !bundle) return { ok: false, reason: 'invalid' } as const;
    if (unlock.status === 'unlocked') return { ok: false, reason: 'used' } as const;
    const now = deps.clock.now();
    if (unlock.token_expires_at && unlock.token_expires_at < now) return { ok: false, reason: 'expired' } as const;
    if (!(await q.confirmEmailUnlock(tx, unlock.id, now))) return { ok: false, reason: 'used' } as const;
    if (unlock.consent && unlock.email) {
      await deps.events.publish(tx, 'follower.added', { channelId: bundle.channel_id, follower: unlock.email.toLowerCase(), kind: 'email' }, `bundle-consent:${unlock.id}`);
    }
    return { ok: true, unlock: { ...unlock, status: 'unlocked', unlocked_at: now }, bundle } as const;
  });
}

const MONEY_INPUT_MESSAGES: Record<string, MessageKey> = {
  empty: 'error.required',
  malformed: 'bundle.amount_invalid',
  negative: 'bundle.amount_negative',
  too_many_decimals: 'bundle.amount_invalid',
  too_large: 'bundle.amount_too_large',
};

/** Reads a pay-what-you-want amount: a number, not negative, at least the creator's minimum. */
export function parseBundleAmount(input: string, bundle: Pick<q.BundleRow, 'currency' | 'minimum_amount'>): Money {
  if (!isCurrency(bundle.currency)) throw new ValidationError({ amount: 'bundle.amount_invalid' });
  let amount: Money;
  try {
    amount = parseMoneyInput(input, bundle.currency);
  } catch (error) {
    if (error instanceof MoneyInputError) throw new ValidationError({ amount: MONEY_INPUT_MESSAGES[error.problem] ?? 'bundle.amount_invalid' });
    throw error;
  }
  if (amount.amount < bundle.minimum_amount) throw new ValidationError({ amount: 'bundle.amount_below_minimum' });
  if (amount.amount > MAX_BUNDLE_MINOR) throw new ValidationError({ amount: 'bundle.amount_too_large' });
  return amount;
}

/** What a fan typed on the pay-what-you-want form. */
export interface BundlePaymentRequest {
  amountInput: string;
  email: string;
  provider: string;
  user: CurrentUser | null;
  locale: Locale;
}

/**
 * Starts a pay-what-you-want payment: a pending payment (purpose 'bundle') and its pending unlock, then
 * the checkout. The unlock, and whether it includes the bonus files, is decided when the provider
 * confirms the payment ({@link bundlePurpose}). An amount of 0 (a minimum of 0) needs no payment: the
 * fan is told to unlock with their e-mail address instead.
 */
export async function startBundlePayment(deps: AppDeps, services: PaymentServices, bundle: q.BundleRow, request: BundlePaymentRequest): Promise<{ redirectUrl: string; paymentId: string }> {
  if (!bundle.unlock_by_payment) throw new ValidationError({ amount: 'bundle.payment_off' });
  const amount = parseBundleAmount(request.amountInput, bundle);
  if (amount.amount === 0) throw new ValidationError({ amount: bundle.unlock_by_email ? 'bundle.amount_zero_use_email' : 'bundle.amount_below_minimum' });
  const provider = services.get(request.provider || services.enabled[0] || '');
  if (!provider) throw new ValidationError({ provider: 'payment.provider_invalid' });
  const email = request.user?.email ?? (request.email.trim() || null);
  if (email && !z.email().safeParse(email).success) throw new ValidationError({ email: 'error.email_invalid' });
  const paymentId = randomUUID();
  const idempotencyKey = `bundle:${paymentId}`;
  await deps.db.transaction(async (tx) => {
    await payments.insertPayment(tx, { id: paymentId, purpose: 'bundle', channelId: bundle.channel_id, userId: request.user?.id ?? null, amount: amount.amount, currency: amount.currency, provider: provider.id, idempotencyKey, email });
    await q.insertUnlock(tx, { bundleId: bundle.id, method: 'payment', email, userId: request.user?.id ?? null, locale: request.locale, consent: false, tokenHash: null, tokenExpiresAt: null, paymentId, amount: amount.amount });
  });
  const base = deps.config.publicUrl;
  const checkout = await openPaymentCheckout(deps, provider, paymentId, {
    amount: amount.amount,
    currency: amount.currency,
    description: translator(request.locale)('bundle.checkout_description', { title: bundle.title }),
    idempotencyKey,
    customerEmail: email ?? undefined,
    successUrl: `${base}/b/${bundle.slug}/paid/${paymentId}`,
    cancelUrl: `${base}/b/${bundle.slug}`,
    metadata: { paymentId, purpose: 'bundle' },
  });
  return { redirectUrl: checkout.redirectUrl, paymentId };
}

/** The fan's access page: every file with its own signed link, the ZIP and the torrents. */
export function accessPath(deps: AppDeps, bundle: Pick<q.BundleRow, 'id' | 'slug'>, unlockId: string): string {
  const expires = expiryFrom(deps.clock.now(), LINK_SECONDS);
  return `/b/${bundle.slug}/access?${signedQuery(deps.signingSecret, { kind: 'access', bundleId: bundle.id, unlockId }, expires)}`;
}

/**
 * What bundles do when a payment succeeds, in the payment's transaction: unlock the bundle for the fan,
 * with the bonus files when the bundle has the Humble rule and the amount beats the running average of
 * the payments before this one (the average at the moment of payment). A bundle that was deleted or
 * unpublished meanwhile cannot be delivered: `{ undeliverable }`, and the payments part refunds.
 */
export function bundlePurpose(deps: AppDeps): PurposeRegistry['bundle'] {
  return {
    async succeeded(tx, payment) {
      const unlock = await q.findUnlockByPayment(tx, payment.id);
      if (!unlock) return { undeliverable: 'bundle_unlock_missing' };
      const bundle = await q.findBundle(tx, unlock.bundle_id);
      if (!bundle || !bundle.published) return { undeliverable: 'bundle_unavailable' };
      if (unlock.status === 'unlocked') return;
      const { average } = await q.averagePaid(tx, bundle.id);
      const bonus = bundle.bonus_above_average && payment.amount > average;
      await q.markPaidUnlock(tx, unlock.id, deps.clock.now(), average, bonus);
    },
    async afterSucceeded(payment) {
      const unlock = await q.findUnlockByPayment(deps.db, payment.id);
      const bundle = unlock && (await q.findBundle(deps.db, unlock.bundle_id));
      if (!payment.email || !unlock || !bundle || unlock.status !== 'unlocked') return;
      const t = translator(unlock.locale);
      await deps.mailer.send({
        to: payment.email,
        subject: t('bundle.receipt_subject', { title: bundle.title }),
        text: t('bundle.receipt_body', {
          title: bundle.title,
          amount: formatMoney(money(payment.amount, payment.currency), unlock.locale),
          link: deps.config.publicUrl + accessPath(deps, bundle, unlock.id),
        }),
      });
    },
  };
}
