/**
 * The monthly fan budget (Flattr 1.0, done exactly): a fan sets a monthly amount, clicks Support on
 * videos and channels, and at 00:00 on the 1st (site time zone) is charged once, the money split equally
 * among the month's clicks. Rules: ../CONTEXT.md, "The monthly fan budget"; words: ./CONTEXT.md.
 */
import { configSection } from '../../core/config.js';
import { defineCapability, oncePerSite, type BuildContext } from '../../core/module.js';
import { purposesOf } from '../payments/index.js';
import { RETRY_JOB, type ChargeContext } from './charges.js';
import { fanBudgetConfig } from './config.js';
import { en, fr } from './messages.js';
import { fanBudgetPurposes } from './purposes.js';
import { fanBudgetRoutes, supportWidget } from './routes.js';
import { CLOSE_CHECK_SECONDS, CLOSE_JOB, retryJob, scheduleJob, SETTLE_JOB, settleJob } from './settle.js';

export { fanBudgetConfig, type FanBudgetConfig } from './config.js';
export { isMonthKey, lastClosedMonth, monthEnd, monthOf, monthStart, type MonthKey } from './months.js';
export type { MonthReport } from './queries.js';
export { formatReport } from './report.js';
export { MonthNotClosedError, settleMonth, SETTLE_JOB, type SettleHooks } from './settle.js';

/** What settling needs, built from a site's context (the CLI and tests settle through it). */
export function fanBudgetSettlement(ctx: BuildContext): ChargeContext {
  return { deps: ctx.deps, services: ctx.services.payments, purposes: purposesOf(ctx) };
}

const routes = oncePerSite((ctx) => fanBudgetRoutes(ctx.deps, ctx.services.payments, configSection(ctx.deps.config, fanBudgetConfig), ctx.services.viewers));
const config = (ctx: BuildContext) => configSection(ctx.deps.config, fanBudgetConfig);

export const fanBudgetCapability = defineCapability({
  name: 'fan-budget',
  messages: { en, fr },
  config: fanBudgetConfig,
  routes: [
    { area: 'public', path: '/', build: (ctx) => routes(ctx).pub },
    { area: 'account', path: '/', build: (ctx) => routes(ctx).account },
    { area: 'studio', path: '/studio', build: (ctx) => routes(ctx).studio },
  ],
  jobs: (ctx) => ({
    [SETTLE_JOB]: settleJob(fanBudgetSettlement(ctx)),
    [RETRY_JOB]: retryJob(fanBudgetSettlement(ctx)),
    [CLOSE_JOB]: scheduleJob(fanBudgetSettlement(ctx)),
  }),
  recurring: [{ type: CLOSE_JOB, everySeconds: () => CLOSE_CHECK_SECONDS }],
  contributes: {
    'payments.purposes': (ctx) => fanBudgetPurposes(ctx.deps),
    'watch.below-player': (ctx) => (env, video) => supportWidget(ctx.deps, config(ctx), env, `/v/${video.short_id}/support`, { channelId: video.channel_id, videoId: video.id }),
    'channel.sections': (ctx) => (env, channel, page) => (page === 1 ? supportWidget(ctx.deps, config(ctx), env, `/c/${channel.handle}/support`, { channelId: channel.id, videoId: null }) : Promise.resolve(null)),
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/fan-budget`, label: 'fan_budget.studio_title', role: 'admin', order: 75 }],
  },
  tables: {
    fan_budgets: { export: 'rows', scope: 'site', note: "the provider's saved-card references, never card data" },
    fan_budget_clicks: { export: 'rows', scope: 'channel' },
    fan_budget_months: { export: 'none', why: "this server's settlement runs; the ledger and the charges keep what they did" },
    fan_budget_charges: { export: 'rows', scope: 'site', archiveOnly: "the settlement of the old site's months (fan_budget_months stays there); the ledger carries the money they moved" },
    fan_budget_charge_items: { export: 'rows', scope: 'channel', archiveOnly: "the settlement of the old site's months (fan_budget_months stays there); the ledger carries the money they moved" },
    fan_budget_charge_payments: { export: 'rows', scope: 'site', archiveOnly: "the settlement of the old site's months (fan_budget_months stays there); the ledger carries the money they moved" },
  },
});
