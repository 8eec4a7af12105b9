import { z } from 'zod';
import { defineConfig, envInteger } from '../core/config.js';

/** The community's settings. */
export interface CommunitySettings {
  /** NEWSLETTER_RATE_PER_SECOND: most e-mails a mailing sends per second (0: no limit). Default 20. */
  mailRatePerSecond: number;
  /** COMMENT_EDIT_MINUTES: how long an author may edit a comment. Default 15. */
  editWindowMs: number;
}

/** NEWSLETTER_* and COMMENT_* variables; read through `configSection(deps.config, communityConfig)`. */
export const communityConfig = defineConfig<CommunitySettings>(
  'community',
  z
    .object({
      NEWSLETTER_RATE_PER_SECOND: envInteger({ min: 0, max: 100_000, unit: 'e-mails per second' }).default(20),
      COMMENT_EDIT_MINUTES: envInteger({ min: 0, max: 10_080, unit: 'minutes' }).default(15),
    })
    .transform((e) => ({ mailRatePerSecond: e.NEWSLETTER_RATE_PER_SECOND, editWindowMs: e.COMMENT_EDIT_MINUTES * 60_000 })),
);
