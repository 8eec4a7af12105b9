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
  /** Charges in flight at once when a month closes. */
  chargeConcurrency: number;
  /** Off-session charges per second at most when a month closes (Stripe's live limit is 100); 0: unpaced. */
  chargesPerSecond: number;
}

const count = (fallback: number) => z.coerce.number().int().min(0).max(99_999_999).default(fallback);

const schema = z
  .object({
    FAN_BUDGET_CURRENCY: z.string().trim().toUpperCase().default('EUR').refine(isCurrency, 'a currency Fanfare supports (EUR, USD, …)'),
    FAN_BUDGET_MINIMUM: count(200).refine((n) => n > 0, 'must be at least 1 (minor units)'),
    FAN_BUDGET_PREVIEW_FEE_BPS: count(150).refine((n) => n <= 10_000, 'basis points, 0..10000'),
    FAN_BUDGET_PREVIEW_FEE_FIXED: count(25),
    FAN_BUDGET_CHARGE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    FAN_BUDGET_CHARGES_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(100),
  })
  .transform((e): FanBudgetConfig => ({
    currency: e.FAN_BUDGET_CURRENCY as Currency,
    minimum: e.FAN_BUDGET_MINIMUM,
    choices: [200, 500, 1000, 2000].filter((c) => c >= e.FAN_BUDGET_MINIMUM),
    previewFeeBps: e.FAN_BUDGET_PREVIEW_FEE_BPS,
    previewFeeFixed: e.FAN_BUDGET_PREVIEW_FEE_FIXED,
    chargeConcurrency: e.FAN_BUDGET_CHARGE_CONCURRENCY,
    chargesPerSecond: e.FAN_BUDGET_CHARGES_PER_SECOND,
  }));

/**
 * FAN_BUDGET_CURRENCY (EUR), FAN_BUDGET_MINIMUM (200 minor units), FAN_BUDGET_PREVIEW_FEE_BPS/FIXED (150, 25),
 * FAN_BUDGET_CHARGE_CONCURRENCY (8), FAN_BUDGET_CHARGES_PER_SECOND (100).
 */
export const fanBudgetConfig = defineConfig<FanBudgetConfig>('fan-budget', schema);
