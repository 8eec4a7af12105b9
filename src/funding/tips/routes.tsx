import { Hono } from 'hono';
import { channelForAdmin } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { NotFoundError, ValidationError } from '../../core/http/errors.js';
import { readForm, textFields, validateForm } from '../../core/http/form.js';
import { Layout, noticeFrom, pageEnv, type PageEnv } from '../../core/http/layout.js';
import { canWatch, findVideoByShortId, type ViewerLookup } from '../../videos/index.js';
import { formatMoney, formatMoneyInput, isCurrency, money } from '../money.js';
import { findPayment } from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { lightningAddressQrSvg, parseLightningAddress } from '../providers/index.js';
import { MyTipsPage, TipsStudioPage, TipThanksPage, TipWidget } from './pages.js';
import * as q from './queries.js';
import { tipFormSchema, tipSettingsSchema } from './schema.js';
import { parseTipAmount, startTip } from './service.js';

/** The tip widget for a video's page (rendered into the watch page by app.ts). */
export async function tipWidget(deps: AppDeps, services: PaymentServices, env: PageEnv, video: { id: string; channel_id: string; short_id: string }, state?: Parameters<typeof TipWidget>[0]['state']) {
  if (services.enabled.length === 0) return null;
  const settings = await q.tipSettings(deps.db, video.channel_id, video.id);
  let lightning: { address: string; qrSvg: string } | undefined;
  if (settings.lightningAddress) {
    try {
      const address = parseLightningAddress(settings.lightningAddress);
      lightning = { address: settings.lightningAddress, qrSvg: lightningAddressQrSvg(address) };
    } catch {
      lightning = undefined; // a bad address saved before validation existed: show no QR rather than fail the page
    }
  }
  return TipWidget({ env, shortId: video.short_id, currency: settings.currency, minimum: settings.minimum, providers: services.enabled, lightning, messages: await q.approvedMessages(deps.db, video.id), state });
}

/** Tipping a video, the thank-you page, and the Studio's moderation and settings. */
export function tipRoutes(deps: AppDeps, services: PaymentServices, viewerFor: ViewerLookup) {
  const app = new Hono<AppEnv>();
  const studio = new Hono<AppEnv>();
  const account = new Hono<AppEnv>();

  account.get('/account/tips', async (c) => c.html(<MyTipsPage env={pageEnv(c)} tips={await q.fanTips(deps.db, c.var.user!.id)} />));

  app.post('/v/:shortId/tip', async (c) => {
    const video = await findVideoByShortId(deps.db, c.req.param('shortId'));
    const now = deps.clock.now();
    if (!video || !canWatch(video, await viewerFor(deps.db, c.var.user, video.channel_id, now, video.id), now)) throw new NotFoundError('video.not_found');
    const form = await readForm(c);
    const reshow = async (errors: ValidationError['fields']) =>
      c.html(
        <Layout env={pageEnv(c)} title={video.title}>
          <p>
            <a href={`/v/${video.short_id}`}>{video.title}</a>
          </p>
          {await tipWidget(deps, services, pageEnv(c), video, { errors, values: textFields(form) })}
        </Layout>,
        422,
      );
    const parsed = validateForm(tipFormSchema, form);
    if (!parsed.ok) return reshow(parsed.errors);
    try {
      const { redirectUrl } = await startTip(deps, services, {
        channelId: video.channel_id,
        video: { id: video.id, title: video.title, shortId: video.short_id },
        user: c.var.user,
        amountInput: parsed.data.amount,
        message: parsed.data.message,
        anonymous: parsed.data.anonymous,
        email: parsed.data.email,
        displayName: parsed.data.display_name,
        provider: parsed.data.provider,
        locale: c.var.locale,
      });
      return c.redirect(redirectUrl, 303);
    } catch (error) {
      if (error instanceof ValidationError) return reshow(error.fields);
      throw error;
    }
  });

  app.get('/tips/:paymentId/thanks', async (c) => {
    const payment = await findPayment(deps.db, c.req.param('paymentId'));
    if (!payment || payment.purpose !== 'tip') throw new NotFoundError();
    const video = (await deps.db.query<{ short_id: string }>('SELECT v.short_id FROM tips t JOIN videos v ON v.id = t.video_id WHERE t.payment_id = $1', [payment.id]))[0];
    const amount = formatMoney(money(payment.amount, payment.currency), c.var.locale);
    return c.html(<TipThanksPage env={pageEnv(c)} status={payment.status} refunding={payment.undeliverable_reason !== null} amount={amount} videoUrl={video ? `/v/${video.short_id}` : undefined} />);
  });

  const studioPage = async (c: AppContext, state: Parameters<typeof TipsStudioPage>[0]['state'] = {}, status: 200 | 422 = 200) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle')!);
    const s = await q.tipSettings(deps.db, channel.id);
    const minimum = isCurrency(s.currency) ? formatMoneyInput({ amount: s.minimum, currency: s.currency }, c.var.locale) : String(s.minimum);
    return c.html(
      <TipsStudioPage env={pageEnv(c, true)} handle={channel.handle} pending={await q.heldMessages(deps.db, channel.id)} settings={{ currency: s.currency, minimum, lightning: s.lightningAddress ?? '' }} state={state} notice={noticeFrom(c)} />,
      status,
    );
  };

  studio.get('/channels/:handle/tips', (c) => studioPage(c));

  studio.post('/channels/:handle/tips/settings', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = await readForm(c);
    const parsed = validateForm(tipSettingsSchema, form);
    if (!parsed.ok) return studioPage(c, parsed, 422);
    const errors: ValidationError['fields'] = {};
    let minimum = 0;
    if (!isCurrency(parsed.data.currency)) errors['currency'] = 'tip.currency_invalid';
    else {
      try {
        minimum = parseTipAmount(parsed.data.minimum, parsed.data.currency, 1).amount;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors['minimum'] = error.fields['amount'] ?? 'tip.amount_invalid';
      }
    }
    if (parsed.data.lightning_address) {
      try {
        parseLightningAddress(parsed.data.lightning_address);
      } catch {
        errors['lightning_address'] = 'tip.lightning_invalid';
      }
    }
    if (Object.keys(errors).length) return studioPage(c, { errors, values: textFields(form) }, 422);
    await q.saveTipSettings(deps.db, channel.id, { currency: parsed.data.currency, minimum, lightningAddress: parsed.data.lightning_address || null });
    return c.redirect(`/studio/channels/${channel.handle}/tips?notice=saved`, 303);
  });

  studio.post('/channels/:handle/tips/:paymentId/:decision{approve|reject}', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const decision = c.req.param('decision') === 'approve' ? 'approved' : 'rejected';
    if (!(await q.moderateMessage(deps.db, channel.id, c.req.param('paymentId'), decision))) throw new NotFoundError();
    return c.redirect(`/studio/channels/${channel.handle}/tips?notice=saved`, 303);
  });

  return { public: app, studio, account };
}
