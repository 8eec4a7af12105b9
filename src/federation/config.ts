import { z } from 'zod';
import { defineConfig, envBoolean, envInteger } from '../core/config.js';

/** Federation's settings (and the recommendation fetcher's, which obeys the same switch). */
export interface FederationSettings {
  /**
   * FEDERATION_ALLOW_PRIVATE_ADDRESSES: ActivityPub and recommendation fetches may reach loopback and
   * private addresses (tests with local instances only: it turns off SSRF protection). Default false.
   */
  allowPrivateAddress: boolean;
  /** FEDERATION_RECONCILE_SECONDS: how often the safety-net sync runs, in ms (default 300 s). */
  reconcileIntervalMs: number;
}

/** FEDERATION_* variables; read through `configSection(deps.config, federationConfig)`. */
export const federationConfig = defineConfig<FederationSettings>(
  'federation',
  z
    .object({
      FEDERATION_ALLOW_PRIVATE_ADDRESSES: envBoolean().default(false),
      // At least 1 s (the two-instance e2e tests use 1), at most a day.
      FEDERATION_RECONCILE_SECONDS: envInteger({ min: 1, max: 86_400, unit: 'seconds' }).default(300),
    })
    .transform((e) => ({
      allowPrivateAddress: e.FEDERATION_ALLOW_PRIVATE_ADDRESSES,
      reconcileIntervalMs: e.FEDERATION_RECONCILE_SECONDS * 1000,
    })),
);
