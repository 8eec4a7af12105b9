import { z } from 'zod';
import { defineConfig, envInteger } from '../core/config.js';

/** The community's settings. */
export interface CommunitySettings {
  /** NEWSLETTER_RATE_PER_SECOND: most e-mails a mailing sends per second (0: no limit). Default 20. */
  mailRatePerSecond: number;
  /** COMMENT_EDIT_MINUTES: how long an author may edit a comment. Default 15. */
  editWindowMs: number;
  /**
   * BOUNCE_ADDRESS: the mailbox bounces go to (`bounces@mail.example.org`). Set, each community e-mail's
   * envelope sender (Return-Path) is `bounces+<tag>@…` (VERP), the tag signing the recipient's address.
   */
  bounceAddress: string | undefined;
  /** INBOUND_MAIL_TOKEN: the bearer token of `POST /webhooks/mail/inbound` (unset: the endpoint answers 404). */
  inboundMailToken: string | undefined;
}

/** NEWSLETTER_* and COMMENT_* variables; read through `configSection(deps.config, communityConfig)`. */
export const communityConfig = defineConfig<CommunitySettings>(
  'community',
  z
    .object({
      NEWSLETTER_RATE_PER_SECOND: envInteger({ min: 0, max: 100_000, unit: 'e-mails per second' }).default(20),
      COMMENT_EDIT_MINUTES: envInteger({ min: 0, max: 10_080, unit: 'minutes' }).default(15),
      BOUNCE_ADDRESS: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}@[A-Za-z0-9.-]{1,200}$/, 'BOUNCE_ADDRESS must be a plain address such as bounces@mail.example.org (no + in it)').optional(),
      INBOUND_MAIL_TOKEN: z.string().min(24, 'INBOUND_MAIL_TOKEN must be at least 24 characters').max(200).optional(),
    })
    .transform((e) => ({
      mailRatePerSecond: e.NEWSLETTER_RATE_PER_SECOND, editWindowMs: e.COMMENT_EDIT_MINUTES * 60_000,
      bounceAddress: e.BOUNCE_ADDRESS?.toLowerCase(), inboundMailToken: e.INBOUND_MAIL_TOKEN,
    })),
);
