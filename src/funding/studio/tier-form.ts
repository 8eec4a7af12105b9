// The tier form: text fields checked by zod (messages are message keys), prices read with
// parseMoneyInput in the chosen currency, so "5", "5,00" and "5.50" all work and "5.555" € does not.
import { z } from 'zod';
import type { FormData, FormResult } from '../../core/http/form.js';
import { validateForm } from '../../core/http/form.js';
import type { MessageKey } from '../../core/i18n/index.js';
import type { TierFields, TierRow } from '../memberships/queries.js';
import { CURRENCIES, currencyExponent, formatMoneyInput, isCurrency, money, MoneyInputError, parseCurrency, parseMoneyInput, type Currency } from '../money.js';
import { oneLineText, multiLineText } from '../../core/http/text.js';

/** Currencies in the order the select lists them. */
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

/** The longest early access a tier can give (the database's CHECK says the same). */
export const MAX_EARLY_ACCESS_DAYS = 365;
/** Ranks order tiers for upgrades; a small range is plenty and keeps the form simple. */
export const MAX_RANK = 999;

/** A whole number in min..max; empty reads as 0. */
function wholeNumber(min: number, max: number, messageKey: MessageKey) {
  return z
    .string()
    .trim()
    .default('')
    .transform((text, ctx) => {
      const value = text === '' ? 0 : /^\d{1,6}$/.test(text) ? Number(text) : NaN;
      if (!(value >= min && value <= max)) {
        ctx.addIssue({ code: 'custom', message: messageKey });
        return z.NEVER;
      }
      return value;
    });
}

const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== '');

const tierTextSchema = z.object({
  name: oneLineText().trim().min(1, 'error.required').max(80, 'studio.tiers.name_too_long'),
  description: multiLineText().trim().max(2000, 'studio.tiers.description_too_long').default(''),
  currency: z.enum(CURRENCY_CODES, 'studio.tiers.currency_invalid'),
  members_only_videos: checkbox,
  badge: checkbox,
  early_access_days: wholeNumber(0, MAX_EARLY_ACCESS_DAYS, 'studio.tiers.early_access_invalid'),
  rank: wholeNumber(0, MAX_RANK, 'studio.tiers.rank_invalid'),
});

/** The message for a price that could not be read. */
export function moneyProblemKey(error: MoneyInputError): MessageKey {
  switch (error.problem) {
    case 'empty':
      return 'error.required';
    case 'negative':
      return 'studio.money.negative';
    case 'too_many_decimals': {
      const exponent = currencyExponent(error.currency);
      return exponent === 0 ? 'studio.money.decimals_0' : exponent === 3 ? 'studio.money.decimals_3' : 'studio.money.decimals_2';
    }
    case 'too_large':
      return 'studio.money.too_large';
    default:
      return 'studio.money.malformed';
  }
}

/** A price field: a positive amount of `currency`, or (when optional) nothing. */
function readPrice(text: string | undefined, currency: Currency, optional: boolean): { ok: true; amount: number | null } | { ok: false; error: MessageKey } {
  if (optional && (text ?? '').trim() === '') return { ok: true, amount: null };
  try {
    const amount = parseMoneyInput(text ?? '', currency).amount;
    return amount > 0 ? { ok: true, amount } : { ok: false, error: 'studio.money.zero' };
  } catch (error) {
    if (error instanceof MoneyInputError) return { ok: false, error: moneyProblemKey(error) };
    throw error;
  }
}

/**
 * Reads a submitted tier form. Every field's problem is reported at once (prices too, even when the
 * currency is missing: they are then read as euros, to still catch "abc" or "-5").
 */
export function parseTierForm(form: FormData): FormResult<TierFields> {
  const text = validateForm(tierTextSchema, form);
  const values = text.ok ? Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) : text.values;
  const errors: Record<string, MessageKey> = text.ok ? {} : { ...text.errors };
  const submitted = values['currency'] ?? '';
  const currency: Currency = text.ok ? text.data.currency : isCurrency(submitted) ? submitted : 'EUR';
  const monthly = readPrice(values['monthly_price'], currency, false);
  const yearly = readPrice(values['yearly_price'], currency, true);
  if (!monthly.ok) errors['monthly_price'] = monthly.error;
  if (!yearly.ok) errors['yearly_price'] = yearly.error;
  if (!text.ok || !monthly.ok || !yearly.ok) return { ok: false, errors, values };
  const d = text.data;
  return {
    ok: true,
    data: {
      name: d.name,
      description: d.description,
      currency: d.currency,
      monthlyPrice: monthly.amount!,
      yearlyPrice: yearly.amount,
      membersOnlyVideos: d.members_only_videos,
      earlyAccessDays: d.early_access_days,
      badge: d.badge,
      rank: d.rank,
    },
  };
}

/** A stored tier as the edit form shows it first: prices with the locale's decimal separator. */
export function tierFormValues(tier: TierRow, locale: string): Record<string, string> {
  const currency = parseCurrency(tier.currency);
  return {
    name: tier.name,
    description: tier.description,
    currency,
    monthly_price: formatMoneyInput(money(tier.monthly_price, currency), locale),
    yearly_price: tier.yearly_price === null ? '' : formatMoneyInput(money(tier.yearly_price, currency), locale),
    members_only_videos: tier.members_only_videos ? 'on' : '',
    badge: tier.badge ? 'on' : '',
    early_access_days: String(tier.early_access_days),
    rank: String(tier.rank),
  };
}

/** What a new tier's form starts with. */
export function newTierValues(currency: string): Record<string, string> {
  return { currency, members_only_videos: 'on', badge: 'on', early_access_days: '0', rank: '0', monthly_price: '', yearly_price: '' };
}
