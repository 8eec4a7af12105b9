import { Hono } from 'hono';
import { channelForAdmin, findChannelByHandle } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../core/http/errors.js';
import { readForm, textFields, validateForm } from '../../core/http/form.js';
import { noticeFrom, pageEnv } from '../../core/http/layout.js';
import { findVideoById, findVideoByShortId, renderMarkdown } from '../../videos/index.js';
import { isCurrency, MoneyInputError, parseMoneyInput, type Currency } from '../money.js';
import { insertPayment, findPaymentByKey, openPaymentCheckout, type PaymentServices } from '../payments/index.js';
import { ProviderError } from '../providers/index.js';
import { CampaignPage, FixPaymentPage, MyPledgesPage, StudioCampaignPage, StudioCampaignsPage } from './pages.js';
import * as q from './queries.js';
import { campaignFormSchema, extendSchema, pledgeSchema, rewardSchema, stretchGoalSchema, videoRefSchema } from './schema.js';
import { campaignTotals, cancelCampaign, cancelPledge, changePledge, createCampaign, extendCampaign, launchCampaign, newPaymentId, startPledge, updateCampaign, type CampaignInput } from './service.js';

/** A watch link (`…/v/<id>`) or a bare short id → the video, if it is one of the channel's. */
async function channelVideo(deps: AppDeps, channelId: string, ref: string) {
  const shortId = ref.trim().replace(/^.*\/v\//, '').replace(/[?#].*$/, '');
  if (!shortId) return undefined;
  const video = await findVideoByShortId(deps.db, shortId);
  return video && video.channel_id === channelId ? video : undefined;
}

async function campaignInput(deps: AppDeps, channelId: string, data: Record<string, string>): Promise<CampaignInput> {
  let pitchVideoId: string | null = null;
  if (data['pitch_video']) {
    const video = await channelVideo(deps, channelId, data['pitch_video']);
    if (!video || (video.visibility !== 'public' && video.visibility !== 'unlisted')) throw new ValidationError({ pitch_video: 'campaign.pitch_video_invalid' });
    pitchVideoId = video.id;
  }
  return {
    slug: data['slug'] ?? '',
    title: data['title'] ?? '',
    description: data['description'] ?? '',
    faq: data['faq'] ?? '',
    pitchVideoId,
    goalKind: data['goal_kind'] === 'backers' ? 'backers' : 'amount',
    goal: data['goal'] ?? '',
    currency: data['currency'] ?? '',
    minPledge: data['min_pledge'] ?? '',
    deadline: data['deadline'] ?? '',
    timeZone: data['time_zone'] ?? '',
  };
}

/** The public campaign page, pledging, fixing a payment, and the fan's pledges. */
export function campaignPublicRoutes(deps: AppDeps, services: PaymentServices) {
  const app = new Hono<AppEnv>();

  async function load(c: AppContext) {
    const channel = await findChannelByHandle(deps.db, c.req.param('handle')!);
    const campaign = channel ? await q.findCampaignBySlug(deps.db, channel.id, c.req.param('slug')!) : undefined;
    if (!channel || !campaign || campaign.state === 'draft') throw new NotFoundError('campaign.not_found');
    return { channel, campaign };
  }

  /** Errored pledges may be fixed until the automatic retry (the 7 days of grace). */
  async function fixable(campaign: q.CampaignRow, pledge: q.PledgeRow | undefined) {
    if (!pledge || (pledge.status !== 'errored' && pledge.status !== 'authentication_required')) return undefined;
    const settlement = await q.findSettlement(deps.db, campaign.id);
    return settlement?.stage === 'grace' && settlement.retry_at && deps.clock.now() < settlement.retry_at ? settlement.retry_at : undefined;
  }

  async function page(c: AppContext, extra: { state?: { values?: Record<string, string>; errors?: ValidationError['fields'] }; status?: 200 | 409 | 422 } = {}) {
    const { channel, campaign } = await load(c);
    const user = c.var.user;
    const pledge = user ? await q.findFanPledge(deps.db, campaign.id, user.id) : undefined;
    const providers = services.enabled.filter((id) => services.get(id)?.capabilities.setupWithoutCharge);
    return c.html(
      <CampaignPage
        env={pageEnv(c)}
        handle={channel.handle}
        campaign={campaign}
        totals={await campaignTotals(deps.db, campaign)}
        rewards={await q.listRewards(deps.db, campaign.id)}
        stretchGoals={await q.listStretchGoals(deps.db, campaign.id)}
        descriptionHtml={renderMarkdown(campaign.description)}
        faqHtml={renderMarkdown(campaign.faq)}
        pledge={pledge}
        providers={providers.length > 0 ? providers : services.enabled}
        now={deps.clock.now()}
        state={extra.state}
        notice={c.req.query('pledged') ? 'notice.campaign_pledged' : noticeFrom(c)}
        canFix={(await fixable(campaign, pledge)) !== undefined}
      />,
      extra.status ?? 200,
    );
  }

  const pledgeAction = (act: (c: AppContext, campaign: q.CampaignRow, userId: string, form: Record<string, string>) => Promise<string>) => async (c: AppContext) => {
    const user = c.var.user;
    if (!user) throw new UnauthorizedError();
    const { campaign } = await load(c);
    const form = await readForm(c);
    try {
      return c.redirect(await act(c, campaign, user.id, textFields(form)), 303);
    } catch (error) {
      if (error instanceof ValidationError) return page(c, { state: { values: textFields(form), errors: error.fields }, status: 422 });
      if (error instanceof ConflictError) return page(c, { state: { values: textFields(form), errors: { _form: error.messageKey } }, status: 409 });
      throw error;
    }
  };

  const pageUrl = (c: AppContext) => `/c/${c.req.param('handle')}/campaigns/${c.req.param('slug')}`;

  app.get('/c/:handle/campaigns/:slug', (c) => page(c));

  app.post(
    '/c/:handle/campaigns/:slug/pledge',
    pledgeAction(async (c, campaign, userId, form) => {
      const parsed = validateForm(pledgeSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      const { redirectUrl } = await startPledge(deps, services, campaign, userId, { amount: parsed.data.amount, rewardId: parsed.data.reward || null, provider: parsed.data.provider || services.enabled[0] || '' }, c.var.locale);
      return redirectUrl;
    }),
  );

  app.post(
    '/c/:handle/campaigns/:slug/pledge/change',
    pledgeAction(async (c, campaign, userId, form) => {
      const parsed = validateForm(pledgeSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      await changePledge(deps, campaign, userId, { amount: parsed.data.amount, rewardId: parsed.data.reward || null });
      return `${pageUrl(c)}?notice=campaign_pledge_changed#pledge`;
    }),
  );

  app.post(
    '/c/:handle/campaigns/:slug/pledge/cancel',
    pledgeAction(async (c, campaign, userId) => {
      await cancelPledge(deps, services, campaign, userId);
      return `${pageUrl(c)}?notice=campaign_pledge_cancelled#pledge`;
    }),
  );

  app.get('/c/:handle/campaigns/:slug/fix', async (c) => {
    const user = c.var.user;
    if (!user) throw new UnauthorizedError();
    const { campaign } = await load(c);
    const pledge = await q.findFanPledge(deps.db, campaign.id, user.id);
    const retryAt = await fixable(campaign, pledge);
    if (!pledge || !retryAt) return c.redirect(pageUrl(c), 303);
    return c.html(<FixPaymentPage env={pageEnv(c)} campaign={campaign} pledge={pledge} base={pageUrl(c)} retryAt={retryAt} />);
  });

  // The fan pays the pledge now, present (an on-session checkout: authentication passes here).
  app.post('/c/:handle/campaigns/:slug/fix', async (c) => {
    const user = c.var.user;
    if (!user) throw new UnauthorizedError();
    const { campaign } = await load(c);
    const pledge = await q.findFanPledge(deps.db, campaign.id, user.id);
    if (!pledge || !(await fixable(campaign, pledge))) throw new ConflictError('campaign.nothing_to_fix', 'nothing_to_fix');
    const provider = services.get(pledge.provider);
    if (!provider) throw new NotFoundError();
    const n = (await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE idempotency_key LIKE $1`, [`campaign-fix:${pledge.id}:%`]))[0]!.n;
    const idempotencyKey = `campaign-fix:${pledge.id}:${n}`;
    const paymentId = (await findPaymentByKey(deps.db, idempotencyKey))?.id ?? newPaymentId();
    await insertPayment(deps.db, { id: paymentId, purpose: 'campaign', channelId: campaign.channel_id, userId: user.id, amount: pledge.amount, currency: pledge.currency, provider: provider.id, idempotencyKey, email: null });
    const url = `${deps.config.publicUrl}${pageUrl(c)}`;
    try {
      const checkout = await openPaymentCheckout(deps, provider, paymentId, {
        amount: pledge.amount,
        currency: pledge.currency as Currency,
        description: c.var.t('campaign.checkout_description', { title: campaign.title }),
        idempotencyKey,
        successUrl: `${url}?notice=campaign_fixed#pledge`,
        cancelUrl: url,
        metadata: { paymentId, purpose: 'campaign', pledgeId: pledge.id },
      }, 'campaign.provider_unavailable');
      return c.redirect(checkout.redirectUrl, 303);
    } catch (error) {
      if (error instanceof ValidationError) return page(c, { state: { errors: error.fields }, status: 422 });
      throw error;
    }
  });

  return app;
}

/** The fan's pledges, with Kickstarter's states. */
export function campaignAccountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/pledges', async (c) => c.html(<MyPledgesPage env={pageEnv(c)} pledges={await q.pledgesOfFan(deps.db, c.var.user!.id)} />));
  return app;
}

/** The Studio's campaign pages: create, edit, rewards, stretch goals, launch, extend, cancel, videos, backers. */
export function campaignStudioRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  async function owned(c: AppContext) {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle')!);
    const campaign = await q.findCampaign(deps.db, c.req.param('id')!);
    if (!campaign || campaign.channel_id !== channel.id) throw new NotFoundError('campaign.not_found');
    return { channel, campaign };
  }

  async function studioPage(c: AppContext, extra: { state?: { values?: Record<string, string>; errors?: ValidationError['fields'] }; status?: 200 | 409 | 422 } = {}) {
    const { channel, campaign } = await owned(c);
    const pitch = campaign.pitch_video_id ? await findVideoById(deps.db, campaign.pitch_video_id) : undefined;
    const videoIds = await q.attachedVideoIds(deps.db, campaign.id);
    const videos = (await Promise.all(videoIds.map((id) => findVideoById(deps.db, id)))).flatMap((v) => (v ? [{ id: v.id, title: v.title }] : []));
    const state = extra.state ?? (pitch ? { values: { pitch_video: pitch.short_id } } : undefined);
    return c.html(
      <StudioCampaignPage
        env={pageEnv(c, true)}
        handle={channel.handle}
        campaign={campaign}
        totals={await campaignTotals(deps.db, campaign)}
        rewards={await q.listRewards(deps.db, campaign.id)}
        stretchGoals={await q.listStretchGoals(deps.db, campaign.id)}
        backers={await q.backersOf(deps.db, campaign.id)}
        videos={videos}
        settlement={await q.findSettlement(deps.db, campaign.id)}
        state={state}
        notice={noticeFrom(c)}
        now={deps.clock.now()}
      />,
      extra.status ?? 200,
    );
  }

  const action = (run: (c: AppContext, campaign: q.CampaignRow, form: Record<string, string>) => Promise<string | void>) => async (c: AppContext) => {
    const { channel, campaign } = await owned(c);
    const form = textFields(await readForm(c));
    try {
      const notice = await run(c, campaign, form);
      return c.redirect(`/studio/channels/${channel.handle}/campaigns/${campaign.id}${notice ? `?notice=${notice}` : ''}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return studioPage(c, { state: { values: form, errors: error.fields }, status: 422 });
      if (error instanceof ConflictError) return studioPage(c, { state: { values: form, errors: { _form: error.messageKey } }, status: 409 });
      throw error;
    }
  };

  app.get('/channels/:handle/campaigns', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    return c.html(<StudioCampaignsPage env={pageEnv(c, true)} handle={channel.handle} campaigns={await q.listCampaigns(deps.db, channel.id, false)} />);
  });

  app.post('/channels/:handle/campaigns', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = textFields(await readForm(c));
    const reshow = async (errors: ValidationError['fields']) =>
      c.html(<StudioCampaignsPage env={pageEnv(c, true)} handle={channel.handle} campaigns={await q.listCampaigns(deps.db, channel.id, false)} state={{ values: form, errors }} />, 422);
    const parsed = validateForm(campaignFormSchema, form);
    if (!parsed.ok) return reshow(parsed.errors);
    try {
      const id = await createCampaign(deps, channel.id, await campaignInput(deps, channel.id, parsed.data));
      return c.redirect(`/studio/channels/${channel.handle}/campaigns/${id}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return reshow(error.fields);
      throw error;
    }
  });

  app.get('/channels/:handle/campaigns/:id', (c) => studioPage(c));

  app.post(
    '/channels/:handle/campaigns/:id',
    action(async (_c, campaign, form) => {
      const parsed = validateForm(campaignFormSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      await updateCampaign(deps, campaign, await campaignInput(deps, campaign.channel_id, parsed.data));
      return 'campaign_saved';
    }),
  );

  app.post('/channels/:handle/campaigns/:id/launch', action(async (_c, campaign) => (await launchCampaign(deps, campaign.id), 'campaign_launched')));
  app.post('/channels/:handle/campaigns/:id/cancel', action(async (_c, campaign) => (await cancelCampaign(deps, campaign.id), 'campaign_cancelled')));
  app.post(
    '/channels/:handle/campaigns/:id/extend',
    action(async (_c, campaign, form) => {
      const parsed = validateForm(extendSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      await extendCampaign(deps, campaign.id, parsed.data.new_deadline);
      return 'campaign_extended';
    }),
  );

  app.post(
    '/channels/:handle/campaigns/:id/rewards',
    action(async (_c, campaign, form) => {
      if (campaign.state !== 'draft' && campaign.state !== 'live') throw new ConflictError('campaign.not_editable');
      const parsed = validateForm(rewardSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      const price = parseAmount(parsed.data.reward_price, campaign.currency, 'reward_price');
      await q.insertReward(deps.db, campaign.id, {
        title: parsed.data.reward_title,
        description: parsed.data.reward_description,
        price,
        quantity: parsed.data.reward_quantity ? Number(parsed.data.reward_quantity) : null,
        deliveryMonth: parsed.data.reward_delivery || null,
      });
    }),
  );

  app.post('/channels/:handle/campaigns/:id/rewards/:rewardId/delete', action(async (c, campaign) => void (await q.deleteReward(deps.db, campaign.id, c.req.param('rewardId')!))));

  app.post(
    '/channels/:handle/campaigns/:id/stretch-goals',
    action(async (_c, campaign, form) => {
      if (campaign.state !== 'draft' && campaign.state !== 'live') throw new ConflictError('campaign.not_editable');
      const parsed = validateForm(stretchGoalSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      const text = parsed.data.stretch_threshold;
      const threshold = campaign.goal_kind === 'backers' ? (/^\d{1,9}$/.test(text) ? Number(text) : 0) : parseAmount(text, campaign.currency, 'stretch_threshold');
      if (threshold <= 0) throw new ValidationError({ stretch_threshold: 'campaign.backers_invalid' });
      if (threshold <= campaign.goal) throw new ValidationError({ stretch_threshold: 'campaign.stretch_below_goal' });
      await q.insertStretchGoal(deps.db, campaign.id, { kind: campaign.goal_kind, threshold, description: parsed.data.stretch_description });
    }),
  );

  app.post(
    '/channels/:handle/campaigns/:id/videos',
    action(async (_c, campaign, form) => {
      const parsed = validateForm(videoRefSchema, form);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      const video = await channelVideo(deps, campaign.channel_id, parsed.data.video);
      if (!video) throw new ValidationError({ video: 'campaign.video_invalid' });
      await q.attachVideo(deps.db, campaign.id, video.id);
    }),
  );

  app.post(
    '/channels/:handle/campaigns/:id/videos/:videoId/delete',
    action(async (c, campaign) => {
      const videoId = c.req.param('videoId')!;
      if (!q.isUuid(videoId) || !(await q.detachVideo(deps.db, campaign.id, videoId))) throw new NotFoundError('campaign.video_invalid');
    }),
  );

  return app;
}

function parseAmount(text: string, currency: string, field: string): number {
  try {
    if (!isCurrency(currency)) throw new ValidationError({ [field]: 'campaign.amount_invalid' });
    const amount = parseMoneyInput(text, currency).amount;
    if (amount <= 0) throw new ValidationError({ [field]: 'campaign.amount_invalid' });
    return amount;
  } catch (error) {
    if (error instanceof MoneyInputError) throw new ValidationError({ [field]: 'campaign.amount_invalid' });
    throw error;
  }
}
