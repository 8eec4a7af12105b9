/**
 * All-or-nothing campaigns (Kickstarter's rules on the creator's own site): a goal in money or backers,
 * a deadline in an explicit time zone, limited rewards, stretch goals; pledges save a payment method and
 * charge nothing; at the deadline a staged, restartable settlement charges every pledge once (goal
 * reached) or releases them all (goal missed, campaign cancelled). Backers whose pledge was collected
 * watch the videos attached to the campaign. Words: ../CONTEXT.md, "Campaigns".
 */
import { defineCapability, oncePerSite } from '../../core/module.js';
import { purposesOf } from '../payments/index.js';
import { campaignsConfig } from './config.js';
import { en, fr } from './messages.js';
import { ChannelCampaigns, BackButton } from './pages.js';
import { backerGrant, campaignPurpose, onPaymentReversed } from './purpose.js';
import * as q from './queries.js';
import { campaignAccountRoutes, campaignPublicRoutes, campaignStudioRoutes } from './routes.js';
import { campaignTotals, SETTLE_JOB } from './service.js';
import { REMIND_JOB, remindHandler, settleCampaignHandler, type SettlementContext } from './settlement.js';

export { runSettlement, chargePledge, REMINDER_EVERY_MS, GRACE_MS } from './settlement.js';
export { SETTLE_JOB } from './service.js';
export { campaignsConfig } from './config.js';
export type { CampaignRow, PledgeRow, PledgeStatus, SettlementReport } from './queries.js';
// For community's backers-only posts and campaign e-mails: a campaign, a channel's campaigns, its backers.
export { campaignBackerIds, findCampaign, listCampaigns } from './queries.js';

declare module '../../core/events/catalog.js' {
  interface DomainEvents {
    /** A draft campaign went live (its settlement is queued for the deadline). */
    'campaign.launched': { campaignId: string; channelId: string };
    /** A fan's pledge counts: its payment method is saved, nothing is charged. */
    'campaign.pledged': { campaignId: string; channelId: string; pledgeId: string };
    /** A backer changed (amount, reward) or cancelled their pledge before the deadline. */
    'campaign.pledge_changed': { campaignId: string; channelId: string; pledgeId: string; status: 'pledged' | 'cancelled' };
    /**
     * A pledge's collection state changed after the deadline: collected, errored, authentication_required,
     * dropped, or released (goal missed or cancelled: nothing charged). Subscribers e-mail or count.
     */
    'campaign.pledge_status': { campaignId: string; channelId: string; pledgeId: string; status: string };
    /** The deadline passed (or the campaign was cancelled): totals frozen, outcome decided. */
    'campaign.ended': { campaignId: string; channelId: string; outcome: 'successful' | 'failed' | 'cancelled' };
    /** The settlement finished: every pledge collected, dropped or released, the ledger checked. */
    'campaign.settled': { campaignId: string; channelId: string; outcome: 'successful' | 'failed' | 'cancelled' };
  }
}

const settlement = oncePerSite((ctx): SettlementContext => ({ deps: ctx.deps, payments: ctx.services.payments, purposes: () => purposesOf(ctx) }));

export const campaignsCapability = defineCapability({
  name: 'campaigns',
  messages: { en, fr },
  config: campaignsConfig,
  routes: [
    { area: 'public', path: '/', build: (ctx) => campaignPublicRoutes(ctx.deps, ctx.services.payments) },
    { area: 'account', path: '/account', build: (ctx) => campaignAccountRoutes(ctx.deps) },
    { area: 'studio', path: '/studio', build: (ctx) => campaignStudioRoutes(ctx.deps) },
  ],
  jobs: (ctx) => ({ [SETTLE_JOB]: settleCampaignHandler(settlement(ctx)), [REMIND_JOB]: remindHandler(ctx.deps) }),
  subscriptions: {
    'payment.reversed': (ctx) => onPaymentReversed(ctx.deps),
  },
  contributes: {
    'payments.purposes': (ctx) => ({ campaign: campaignPurpose(ctx.deps) }),
    'videos.viewer-grants': () => backerGrant,
    'channel.sections': (ctx) => async (env, channel) => {
      const campaigns = await q.listCampaigns(ctx.deps.db, channel.id, true);
      const items = await Promise.all(campaigns.map(async (campaign) => ({ campaign, totals: await campaignTotals(ctx.deps.db, campaign) })));
      return ChannelCampaigns({ env, handle: channel.handle, items, now: ctx.deps.clock.now() });
    },
    'watch.below-player': (ctx) => async (env, video) => {
      const live = (await q.campaignsForPitchVideo(ctx.deps.db, video.id)).filter((c) => c.state === 'live' && c.deadline > ctx.deps.clock.now());
      return live.map((campaign) => BackButton({ env, handle: video.channel_handle, campaign }));
    },
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/campaigns`, label: 'campaign.studio_title', role: 'admin', order: 75 }],
  },
  tables: {
    campaigns: { export: 'rows', scope: 'channel' },
    campaign_rewards: { export: 'rows', scope: 'channel' },
    campaign_stretch_goals: { export: 'rows', scope: 'channel' },
    campaign_pledges: { export: 'rows', scope: 'channel', note: "the provider's saved-method references only, never card data" },
    campaign_videos: { export: 'rows', scope: 'channel' },
    campaign_settlements: { export: 'rows', scope: 'channel' },
  },
});
