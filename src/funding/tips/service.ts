import { randomUUID } from 'node:crypto';
import { contactsOf } from '../../accounts/index.js';
import { findChannelById } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { CurrentUser } from '../../core/http/context.js';
import { ValidationError } from '../../core/http/errors.js';
import { translator, type Locale, type MessageKey } from '../../core/i18n/index.js';
import { formatMoney, isCurrency, money, MoneyInputError, parseMoneyInput, type Money } from '../money.js';
import type { PurposeRegistry } from '../payments/events.js';
import { openPaymentCheckout } from '../payments/checkout.js';
import * as payments from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { ProviderError } from '../providers/index.js';
import * as q from './queries.js';

/** Above this a tip is surely a typo (€10,000): refused with a clear message rather than charged. */
export const MAX_TIP_MINOR = 1_000_000;

export interface TipRequest {
  channelId: string;
  video: { id: string; title: string; shortId: string };
  user: CurrentUser | null;
  amountInput: string;
  message: string;
  anonymous: boolean;
  email: string;
  displayName: string;
  provider: string;
  locale: Locale;
}

const MONEY_INPUT_MESSAGES: Record<string, MessageKey> = {
  empty: 'error.required',
  malformed: 'tip.amount_invalid',
  negative: 'tip.amount_invalid',
  too_many_decimals: 'tip.amount_decimals',
  too_large: 'tip.amount_too_large',
};

/** Reads the typed amount in the channel's currency and checks it against the minimum. */
export function parseTipAmount(input: string, currency: string, minimum: number): Money {
  if (!isCurrency(currency)) throw new ValidationError({ amount: 'tip.currency_invalid' });
  let amount: Money;
  try {
    amount = parseMoneyInput(input, currency);
  } catch (error) {
    if (error instanceof MoneyInputError) throw new ValidationError({ amount: MONEY_INPUT_MESSAGES[error.problem] ?? 'tip.amount_invalid' });
    throw error;
  }
  if (amount.amount < minimum) throw new ValidationError({ amount: 'tip.amount_below_minimum' });
  if (amount.amount > MAX_TIP_MINOR) throw new ValidationError({ amount: 'tip.amount_too_large' });
  return amount;
}

/**
 * Starts a tip: a pending payment and its tip row, then a checkout at the chosen rail. Nothing is
 * counted until the provider confirms the payment (events.ts); the fan is sent to the checkout page.
 */
export async function startTip(deps: AppDeps, services: PaymentServices, request: TipRequest): Promise<{ redirectUrl: string; paymentId: string }> {
  const provider = services.get(request.provider || services.enabled[0] || '');
  if (!provider) throw new ValidationError({ provider: 'payment.provider_invalid' });
  const settings = await q.tipSettings(deps.db, request.channelId, request.video.id);
  const amount = parseTipAmount(request.amountInput, settings.currency, settings.minimum);
  const email = request.user?.email ?? (request.email || null);
  const paymentId = randomUUID();
  const idempotencyKey = `tip:${paymentId}`;
  await deps.db.transaction(async (tx) => {
    await payments.insertPayment(tx, { id: paymentId, purpose: 'tip', channelId: request.channelId, userId: request.user?.id ?? null, amount: amount.amount, currency: amount.currency, provider: provider.id, idempotencyKey, email });
    await q.insertTip(tx, {
      paymentId,
      videoId: request.video.id,
      message: request.message || null,
      anonymous: request.anonymous || !request.user && !request.displayName,
      displayName: request.displayName || request.user?.displayName || null,
    });
  });
  const t = translator(request.locale);
  const base = deps.config.publicUrl;
  const checkout = await openPaymentCheckout(deps, provider, paymentId, {
    amount: amount.amount,
    currency: amount.currency,
    description: t('tip.checkout_description', { title: request.video.title }),
    idempotencyKey,
    customerEmail: email ?? undefined,
    successUrl: `${base}/tips/${paymentId}/thanks`,
    cancelUrl: `${base}/v/${request.video.shortId}`,
    metadata: { paymentId, purpose: 'tip' },
  });
  return { redirectUrl: checkout.redirectUrl, paymentId };
}

/** What tips do when their payment succeeds: hold the message for moderation, then send the receipt. */
export function tipPurpose(deps: AppDeps): PurposeRegistry['tip'] {
  return {
    async succeeded(tx, payment) {
      // The tip row is what the creator sees; without it the money would reach nobody who knows why.
      if (!(await q.tipExists(tx, payment.id))) return { undeliverable: 'tip_missing' };
      await q.holdMessageForModeration(tx, payment.id);
    },
    async afterSucceeded(payment) {
      if (!payment.email) return;
      const [fan] = payment.user_id ? await contactsOf(deps.db, [payment.user_id]) : [];
      const locale = fan?.language ?? deps.config.defaultLanguage;
      const t = translator(locale);
      const amount = formatMoney(money(payment.amount, payment.currency), locale);
      const site = (payment.channel_id ? await findChannelById(deps.db, payment.channel_id) : undefined)?.name ?? '';
      await deps.mailer.send({
        to: payment.email,
        subject: t('tip.receipt_subject', { channel: site }),
        text: t('tip.receipt_body', { amount, channel: site, reference: payment.id, link: `${deps.config.publicUrl}/tips/${payment.id}/thanks` }),
      });
    },
  };
}
