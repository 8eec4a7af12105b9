import type { AppServices } from './app.js';
import type { AppDeps } from './core/deps.js';
import { membershipPurposes } from './funding/memberships/service.js';
import { createPaymentServices } from './funding/payments/services.js';
import { tipPurpose } from './funding/tips/service.js';
import { recommendationFederationHooks } from './federation/index.js';

/** Services shared by the web app and the job handlers: the payment rails and what each payment purpose does. */
export function createSiteServices(deps: AppDeps): AppServices {
  return {
    payments: createPaymentServices(deps),
    purposes: { tip: tipPurpose(deps), ...membershipPurposes(deps) },
    // Recommendations read from ActivityPub are announced to followers and to the recommended creator.
    recommendations: recommendationFederationHooks(deps),
  };
}
