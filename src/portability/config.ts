import { z } from 'zod';
import { defineConfig } from '../core/config.js';

/** The portability capability's settings. */
export interface PortabilitySettings {
  /** Days a Studio export stays downloadable before its archive is deleted. */
  exportKeepDays: number;
}

/** EXPORT_KEEP_DAYS (default 7, 1–90). */
export const portabilityConfig = defineConfig<PortabilitySettings>(
  'portability',
  z
    .object({ EXPORT_KEEP_DAYS: z.coerce.number().int().min(1).max(90).default(7) })
    .transform((e) => ({ exportKeepDays: e.EXPORT_KEEP_DAYS })),
);
