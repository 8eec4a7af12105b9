// The fan's side: setting the budget (and saving the card through the provider's setup flow), the
// Support clicks, and the live preview of how this month's budget will split.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/deps.js';
import type { CurrentUser } from '../../core/http/context.js';
import { ValidationError } from '../../core/http/errors.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { formatMoney, money, MoneyInputError, parseMoneyInput, type Money } from '../money.js';
import type { PaymentServices } from '../payments/services.js';
import { ProviderError } from '../providers/index.js';
import type { FanBudgetConfig } from './config.js';
import { monthOf, type MonthKey } from './months.js';
import * as q from './queries.js';
import { previewPerClick } from './split.js';

/** Above this a monthly budget is surely a typo: refused rather than charged (€1,000). */
export const MAX_BUDGET_MINOR = 100_000;

/** Reads the chosen or typed budget, in the site currency, between the minimum and the maximum. */
export function parseBudgetAmount(config: FanBudgetConfig, choice: string, other: string): Money {
  // A choice is one of the offered amounts, never anything else a request may carry.
  const chosen = config.choices.find((c) => String(c) === choice);
  if (choice && chosen === undefined) throw new ValidationError({ other: 'fan_budget.amount_invalid' });
  if (!other.trim() && chosen === undefined) throw new ValidationError({ other: 'fan_budget.amount_invalid' });
  let amount: Money;
  try {
    amount = other.trim() ? parseMoneyInput(other, config.currency) : money(chosen!, config.currency);
  } catch (error) {
    if (error instanceof MoneyInputError || error instanceof RangeError || error instanceof TypeError) throw new ValidationError({ other: 'fan_budget.amount_invalid' });
    throw error;
  }
  if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0) throw new ValidationError({ other: 'fan_budget.amount_invalid' });
  if (amount.amount < config.minimum) throw new ValidationError({ other: 'fan_budget.amount_below_minimum' });
  if (amount.amount > MAX_BUDGET_MINOR) throw new ValidationError({ other: 'fan_budget.amount_too_large' });
  return amount;
}

export interface SetBudgetRequest {
  user: CurrentUser;
  amount: Money;
  showName: boolean;
  locale: Locale;
}

/**
 * Saves the budget (a change applies to the month in progress: the close charges the amount in force
 * then). Without a saved card, returns the provider's setup page, where the fan saves one and pays
 * nothing; `payment_method.saved` then makes the budget active (purposes.ts).
 */
export async function setBudget(deps: AppDeps, services: PaymentServices, request: SetBudgetRequest): Promise<{ redirectUrl?: string }> {
  const budget = await q.saveBudget(deps.db, { userId: request.user.id, amount: request.amount.amount, currency: request.amount.currency, showName: request.showName });
  if (budget.status === 'active') return {};
  const provider = services.enabled.map((id) => services.get(id)!).find((p) => p.capabilities.setupWithoutCharge);
  if (!provider) throw new ValidationError({ _form: 'fan_budget.provider_cannot_setup' });
  const t = translator(request.locale);
  try {
    const checkout = await provider.createCheckout({
      amount: request.amount.amount,
      currency: request.amount.currency,
      description: t('fan_budget.setup_description', { amount: formatMoney(request.amount, request.locale) }),
      idempotencyKey: `fan-budget-setup:${request.user.id}:${randomUUID()}`,
      customerEmail: request.user.email,
      mode: 'setup',
      successUrl: `${deps.config.publicUrl}/account/budget?notice=budget_saved`,
      cancelUrl: `${deps.config.publicUrl}/account/budget`,
      metadata: { setup: '1', purpose: 'fan_budget', userId: request.user.id },
    });
    return { redirectUrl: checkout.redirectUrl };
  } catch (error) {
    if (error instanceof ProviderError) throw new ValidationError({ _form: 'payment.provider_unavailable' });
    throw error;
  }
}

/** What a Support button is about: a video (with its channel) or a channel itself. */
export interface SupportTarget {
  channelId: string;
  videoId: string | null;
}

/** The month a click made now belongs to. */
export function currentMonth(deps: AppDeps): MonthKey {
  return monthOf(deps.clock.now(), deps.config.siteTimeZone);
}

/** Supports (on) or stops supporting (off) an item this month; once per fan, item and month. */
export async function toggleSupport(deps: AppDeps, user: CurrentUser, target: SupportTarget, on: boolean): Promise<void> {
  const click = { month: currentMonth(deps), userId: user.id, ...target };
  if (on) await q.addClick(deps.db, click);
  else await q.removeClick(deps.db, click);
}

/** The live preview: this month's clicks and about how much each gets after fees. */
export interface BudgetPreview {
  month: MonthKey;
  budget: q.BudgetRow | undefined;
  clicks: q.ClickView[];
  /** About what each click receives, formatted; undefined without a budget or clicks. */
  each: string | undefined;
}

export async function budgetPreview(deps: AppDeps, config: FanBudgetConfig, userId: string, locale: Locale): Promise<BudgetPreview> {
  const month = currentMonth(deps);
  const [budget, clicks] = await Promise.all([q.findBudget(deps.db, userId), q.clicksOf(deps.db, month, userId)]);
  const amount = budget?.amount ?? config.choices[1] ?? config.minimum;
  const perClick = previewPerClick(amount, clicks.length, { feeBps: config.previewFeeBps, feeFixed: config.previewFeeFixed, platformFeeBps: deps.config.platformFeeBps });
  return { month, budget, clicks, each: clicks.length ? formatMoney(money(perClick, config.currency), locale) : undefined };
}
