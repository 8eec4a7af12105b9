/** Memberships: monthly/yearly tiers, members-only videos, early access, renewals by the site's own jobs. */
import { defineCapability } from '../../core/module.js';
import { en, fr } from './messages.js';
import { membershipAccess } from './access.js';
import { membershipOffers } from './offers.js';
import { joinButton, watchJoinButton } from './join-button.js';
import { renewMembershipHandler } from './renewals.js';
import { membershipRoutes } from './routes.js';
import { membershipPurposes } from './service.js';
import { RENEW_JOB } from './schedule.js';
import { PAYMENT_METHOD_MAIL_JOB, paymentMethodMailHandler } from './moved-members.js';

/** The dunning shape every off-session charge follows: retried 1, 3 and 6 days after the first failure. */
export { RETRY_AFTER_DAYS } from './periods.js';
/** Who is a paid-up member (with tier and badge): for badges on comments and members-only e-mails. */
export { liveMembers, type LiveMember } from './access.js';
/** Imported members renew here; those whose card is at another payment account confirm a method first. */
export { scheduleChannelRenewals, sitePaymentAccounts, type PaymentAccounts } from './moved-members.js';
/** A channel's tiers (for choosing who a members-only post is for). */
export { listTiers, type TierRow } from './queries.js';
/** What notifications (and other readers) may learn of a membership, by id. */
export { findMembershipSummary, type MembershipSummary } from './queries.js';

export const membershipsCapability = defineCapability({
  name: 'memberships',
  messages: { en, fr },
  routes: [{ area: 'public', path: '/', build: (ctx) => membershipRoutes(ctx.deps, ctx.services.payments) }],
  jobs: (ctx) => ({ [RENEW_JOB]: renewMembershipHandler(ctx.deps, ctx.services.payments), [PAYMENT_METHOD_MAIL_JOB]: paymentMethodMailHandler(ctx.deps) }),
  contributes: {
    'payments.purposes': (ctx) => membershipPurposes(ctx.deps),
    // A paid-up member watches members-only videos, and scheduled ones early if the tier says so.
    'videos.viewer-grants': () => membershipAccess,
    // Paywalls and locks name the cheapest tier that opens a video.
    'videos.offers': () => membershipOffers,
    // Join, in the channel's header and under each of its videos, for fans who are not members.
    'channel.actions': (ctx) => (env, channel) => joinButton(ctx.deps.db, env, channel),
    'watch.below-player': (ctx) => (env, video) => watchJoinButton(ctx.deps.db, env, video),
  },
  tables: {
    membership_tiers: { export: 'rows', scope: 'channel' },
    memberships: { export: 'rows', scope: 'channel', note: "renewal dates and the provider's saved-card reference, never card data" },
  },
});
