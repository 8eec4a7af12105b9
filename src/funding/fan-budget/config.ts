import { z } from 'zod';
import { defineConfig } from '../../core/config.js';
import { isCurrency, type Currency } from '../money.js';

/** The fan budget's settings. */
export interface FanBudgetConfig {
  /** The site currency budgets are in. */
  currency: Currency;
  /** The smallest monthly budget, in minor units (default 200: €2). */
  minimum: number;
  /** The choices offered as buttons, in minor units (€2, €5, €10, €20); any amount ≥ minimum may be typed. */
  choices: number[];
  /** The processor fee the live preview assumes (Stripe's EU cards by default: 1.5 % + 25 cents). */
  previewFeeBps: number;
  previewFeeFixed: number;
}

const count = (fallback: number) => z.coerce.number().int().min(0).max(99_999_999).default(fallback);

const schema = z
  .object({
    FAN_BUDGET_CURRENCY: z.string().trim().toUpperCase().default('EUR').refine(isCurrency, 'a currency Fanfare supports (EUR, USD, …)'),
    FAN_BUDGET_MINIMUM: count(200).refine((n) => n > 0, 'must be at least 1 (minor units)'),
    FAN_BUDGET_PREVIEW_FEE_BPS: count(150).refine((n) => n <= 10_000, 'basis points, 0..10000'),
    FAN_BUDGET_PREVIEW_FEE_FIXED: count(25),
  })
  .transform((e): FanBudgetConfig => ({
    currency: e.FAN_BUDGET_CURRENCY as Currency,
    minimum: e.FAN_BUDGET_MINIMUM,
    choices: [200, 500, 1000, 2000].filter((c) => c >= e.FAN_BUDGET_MINIMUM),
    previewFeeBps: e.FAN_BUDGET_PREVIEW_FEE_BPS,
    previewFeeFixed: e.FAN_BUDGET_PREVIEW_FEE_FIXED,
  }));

/** FAN_BUDGET_CURRENCY (EUR), FAN_BUDGET_MINIMUM (200 minor units), FAN_BUDGET_PREVIEW_FEE_BPS/FIXED (150, 25). */
export const fanBudgetConfig = defineConfig<FanBudgetConfig>('fan-budget', schema);
