import { z } from 'zod';
import { defineConfig } from '../../core/config.js';

/** How fast a settlement may call the payment provider. */
export interface CampaignSettings {
  /** Off-session charges per second at most (Stripe's live default is 100); 0: no limit (the test bank). */
  chargesPerSecond: number;
  /** Charges in flight at once during a settlement. */
  concurrency: number;
}

/** CAMPAIGN_CHARGES_PER_SECOND (default 100) and CAMPAIGN_CHARGE_CONCURRENCY (default 8). */
export const campaignsConfig = defineConfig<CampaignSettings>(
  'campaigns',
  z
    .object({
      CAMPAIGN_CHARGES_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(100),
      CAMPAIGN_CHARGE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    })
    .transform((e) => ({ chargesPerSecond: e.CAMPAIGN_CHARGES_PER_SECOND, concurrency: e.CAMPAIGN_CHARGE_CONCURRENCY })),
);
