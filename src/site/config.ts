import { z } from 'zod';
import { defineConfig, envBoolean } from '../core/config.js';

/** The site capability's settings. */
export interface SiteSettings {
  /** CANONICAL_REDIRECT: send browsers that reached the site by another address to PUBLIC_URL's (one 308). */
  canonicalRedirect: boolean;
}

/** CANONICAL_REDIRECT (default on); read through `configSection(deps.config, siteConfig)`. */
export const siteConfig = defineConfig<SiteSettings>(
  'site',
  z.object({ CANONICAL_REDIRECT: envBoolean().default(true) }).transform((e) => ({ canonicalRedirect: e.CANONICAL_REDIRECT })),
);
