import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../../accounts/index.js';
import { channelForAdmin, findChannelByHandle } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { NotFoundError, ValidationError } from '../../core/http/errors.js';
import { readForm, textFields, validateForm } from '../../core/http/form.js';
import { noticeFrom, pageEnv, type PageEnv } from '../../core/http/layout.js';
import { canWatch, findVideoByShortId, type ViewerLookup } from '../../videos/index.js';
import type { PaymentServices } from '../payments/services.js';
import type { FanBudgetConfig } from './config.js';
import { BudgetPage, FanBudgetStudioPage, SupportWidget } from './pages.js';
import * as q from './queries.js';
import { budgetPreview, currentMonth, parseBudgetAmount, setBudget, toggleSupport, type SupportTarget } from './service.js';

const toggleSchema = z.object({ on: z.enum(['true', 'false']) });
const budgetSchema = z.object({
  choice: z.string().trim().max(12).default(''),
  other: z.string().trim().max(20, 'fan_budget.amount_invalid').default(''),
  show_name: z.string().optional().transform((v) => v === 'on'),
});
const stopSchema = z.object({ stop: z.literal('yes', 'fan_budget.amount_invalid') });
const undoSchema = z.object({ channel: z.uuid(), video: z.union([z.literal(''), z.uuid()]).default('') });

/** The Support button with this month's preview, for the watch page and the channel page. */
export async function supportWidget(deps: AppDeps, config: FanBudgetConfig, env: PageEnv, action: string, target: SupportTarget) {
  const user = env.user;
  const preview = user ? await budgetPreview(deps, config, user.id, env.locale) : undefined;
  const supported = user ? await q.hasClick(deps.db, { month: currentMonth(deps), userId: user.id, ...target }) : false;
  return SupportWidget({ env, action, supported, preview });
}

/** Support toggles (public pages), the fan's budget (account), the creator's page (Studio). */
export function fanBudgetRoutes(deps: AppDeps, services: PaymentServices, config: FanBudgetConfig, viewerFor: ViewerLookup) {
  const pub = new Hono<AppEnv>();
  const account = new Hono<AppEnv>();
  const studio = new Hono<AppEnv>();

  const toggle = async (c: AppContext, target: SupportTarget, back: string) => {
    const parsed = validateForm(toggleSchema, await readForm(c));
    if (!c.var.user) return c.redirect(`/login?back=${encodeURIComponent(back)}`, 303);
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    await toggleSupport(deps, c.var.user, target, parsed.data.on === 'true');
    return c.redirect(back, 303);
  };

  pub.post('/v/:shortId/support', async (c) => {
    const video = await findVideoByShortId(deps.db, c.req.param('shortId'));
    const now = deps.clock.now();
    if (!video || !canWatch(video, await viewerFor(deps.db, c.var.user, video.channel_id, now), now)) throw new NotFoundError('video.not_found');
    return toggle(c, { channelId: video.channel_id, videoId: video.id }, `/v/${video.short_id}`);
  });

  pub.post('/c/:handle/support', async (c) => {
    const channel = await findChannelByHandle(deps.db, c.req.param('handle').toLowerCase());
    if (!channel) throw new NotFoundError('channel.not_found');
    return toggle(c, { channelId: channel.id, videoId: null }, `/c/${channel.handle}`);
  });

  const budgetPage = async (c: AppContext, state?: Parameters<typeof BudgetPage>[0]['state'], status: 200 | 422 = 200) => {
    const user = requireUser(c);
    const [preview, history] = await Promise.all([budgetPreview(deps, config, user.id, c.var.locale), q.chargesOfFan(deps.db, user.id)]);
    return c.html(<BudgetPage env={pageEnv(c)} config={config} preview={preview} history={history} state={state} notice={noticeFrom(c)} />, status);
  };

  account.get('/account/budget', (c) => budgetPage(c));

  account.post('/account/budget', async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const parsed = validateForm(budgetSchema, form);
    if (!parsed.ok) return budgetPage(c, parsed, 422);
    try {
      const amount = parseBudgetAmount(config, parsed.data.choice, parsed.data.other);
      const { redirectUrl } = await setBudget(deps, services, { user, amount, showName: parsed.data.show_name, locale: c.var.locale });
      return c.redirect(redirectUrl ?? '/account/budget?notice=budget_saved', 303);
    } catch (error) {
      if (error instanceof ValidationError) return budgetPage(c, { errors: error.fields, values: textFields(form) }, 422);
      throw error;
    }
  });

  account.post('/account/budget/stop', async (c) => {
    const user = requireUser(c);
    const parsed = validateForm(stopSchema, await readForm(c));
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    await q.stopBudget(deps.db, user.id);
    return c.redirect('/account/budget?notice=budget_stopped', 303);
  });

  account.post('/account/budget/undo', async (c) => {
    const user = requireUser(c);
    const parsed = validateForm(undoSchema, await readForm(c));
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    await toggleSupport(deps, user, { channelId: parsed.data.channel, videoId: parsed.data.video || null }, false);
    return c.redirect('/account/budget', 303);
  });

  studio.get('/channels/:handle/fan-budget', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const [supporters, income] = await Promise.all([q.supportersOf(deps.db, channel.id, currentMonth(deps)), q.incomeByItem(deps.db, channel.id)]);
    return c.html(<FanBudgetStudioPage env={pageEnv(c, true)} supporters={supporters} income={income} />);
  });

  return { pub, account, studio };
}
