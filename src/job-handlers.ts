import type { AppServices } from './app.js';
import type { AppDeps } from './core/deps.js';
import type { JobHandlers } from './core/jobs/index.js';
import { renewMembershipHandler } from './funding/memberships/renewals.js';
import { RENEW_JOB } from './funding/memberships/service.js';
import { testWebhookJob } from './funding/payments/routes.js';
import { TEST_WEBHOOK_JOB } from './funding/payments/services.js';
import { federationJobHandlers, federationServices } from './federation/index.js';
import { TRANSCODE_JOB } from './videos/service.js';
import { transcodeVideoHandler } from './videos/transcode-job.js';

/** Every background job type and its handler, like app.ts for routes: wiring only. */
export function jobHandlers(deps: AppDeps, services: AppServices): JobHandlers {
  return {
    [TRANSCODE_JOB]: transcodeVideoHandler(deps),
    [TEST_WEBHOOK_JOB]: testWebhookJob(deps, services.payments, services.purposes),
    [RENEW_JOB]: renewMembershipHandler(deps, services.payments),
    ...federationJobHandlers(deps, federationServices(deps)),
  };
}
