import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { requireUser } from '../../accounts/index.js';
import { findChannelByHandle, findChannelById } from '../../channels/index.js';
import { hashToken, randomToken } from '../../core/crypto.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { AppError, NotFoundError, ValidationError } from '../../core/http/errors.js';
import { readForm, textFields } from '../../core/http/form.js';
import { noticeFrom, pageEnv } from '../../core/http/layout.js';
import type { PaymentServices } from '../payments/services.js';
import { confirmMethodRoutes } from './confirm-method.js';
import { membersFeed } from './feed.js';
import { AccountMembershipsPage, MembershipPage, WelcomePage, type AccountMembership } from './pages.js';
import * as q from './queries.js';
import { periodEnd, priceOf } from './periods.js';
import { cookiePolicy } from '../../core/http/cookies.js';
import { cancelMembership, changeTier, joinTier, membershipOwnedBy, welcomeState } from './service.js';

/** Where a fan who joined from a paywall goes back to once the membership is paid: that video. */
const BACK_PATH = /^\/v\/[A-Za-z0-9_-]{8,16}$/;
const backOf = (value: string | undefined) => (value && BACK_PATH.test(value) ? value : undefined);

const joinSchema = z.object({ tier: z.string().max(40), interval: z.enum(['month', 'year']).default('month'), provider: z.string().max(20).default('') });

/** The fan side of memberships: tiers, joining, the welcome page, the account page, the private feed. */
export function membershipRoutes(deps: AppDeps, services: PaymentServices) {
  const app = new Hono<AppEnv>();
  const cookies = cookiePolicy(deps.config.publicUrl);
  const backCookie = `${deps.config.publicUrl.startsWith('https://') ? '__Host-' : ''}ff_join_back`;

  async function channelOr404(handle: string) {
    const channel = /^[a-z0-9_]{2,30}$/i.test(handle) ? await findChannelByHandle(deps.db, handle.toLowerCase()) : undefined;
    if (!channel) throw new NotFoundError('channel.not_found');
    return channel;
  }

  const showTiers = async (c: AppContext, error?: AppError['messageKey'], status: 200 | 409 | 422 = 200, backField?: string) => {
    const channel = await channelOr404(c.req.param('handle')!);
    const current = c.var.user ? await q.liveMembership(deps.db, channel.id, c.var.user.id) : undefined;
    const now = deps.clock.now();
    const renewals = { month: periodEnd(now, 'month'), year: periodEnd(now, 'year') };
    const back = backOf(c.req.query('back') ?? backField);
    return c.html(
      <MembershipPage
        env={pageEnv(c)}
        channel={channel}
        tiers={await q.listTiers(deps.db, channel.id)}
        current={current}
        providers={services.enabled.filter((p) => services.get(p)!.capabilities.savedPaymentMethods)}
        error={error}
        renewals={renewals}
        back={back}
      />,
      status,
    );
  };

  app.get('/c/:handle/membership', (c) => showTiers(c));

  app.post('/c/:handle/membership/join', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const fields = textFields(await readForm(c));
    const tiersPage = `/c/${channel.handle}/membership${backOf(fields['back']) ? `?back=${encodeURIComponent(fields['back']!)}` : ''}`;
    if (!c.var.user) return c.redirect(`/login?back=${encodeURIComponent(tiersPage)}`, 303);
    const parsed = joinSchema.safeParse(fields);
    if (!parsed.success) return showTiers(c, 'membership.tier_invalid', 422, fields['back']);
    try {
      const redirectUrl = await joinTier(deps, services, { channel, tierId: parsed.data.tier, interval: parsed.data.interval, user: c.var.user, provider: parsed.data.provider, locale: c.var.locale });
      const back = backOf(fields['back']);
      if (back) setCookie(c, backCookie, back, cookies.options(24 * 3600));
      else deleteCookie(c, backCookie, { path: '/', secure: deps.config.publicUrl.startsWith('https://') });
      return c.redirect(redirectUrl, 303);
    } catch (error) {
      if (error instanceof ValidationError) return showTiers(c, Object.values(error.fields)[0], 422, fields['back']);
      if (error instanceof AppError && error.status === 409) return showTiers(c, error.messageKey, 409, fields['back']);
      throw error;
    }
  });

  // A moved channel's member confirming a payment method (signed link from their e-mail).
  app.route('/', confirmMethodRoutes(deps, services));

  app.get('/memberships/:id/welcome', async (c) => {
    const membership = await membershipOwnedBy(deps, c.req.param('id'), requireUser(c));
    const channel = (await findChannelById(deps.db, membership.channel_id))!;
    // Joined from a video's paywall: once paid, straight back to that video, which now plays.
    const back = backOf(getCookie(c, backCookie));
    if (back && membership.status === 'active') {
      deleteCookie(c, backCookie, { path: '/', secure: deps.config.publicUrl.startsWith('https://') });
      return c.redirect(back, 303);
    }
    const tier = await q.findTier(deps.db, membership.tier_id);
    return c.html(<WelcomePage env={pageEnv(c)} state={await welcomeState(deps, membership)} channelHandle={channel.handle} tierName={tier?.name ?? ''} renewsOn={membership.current_period_end ?? undefined} />);
  });

  const accountPage = async (c: AppContext, feedUrl?: string) => {
    const user = requireUser(c);
    const rows = await deps.db.query<Omit<AccountMembership, 'price' | 'tiers'> & Pick<q.TierRow, 'monthly_price' | 'yearly_price'>>(
      `SELECT m.*, c.name AS channel_name, c.handle AS channel_handle, t.name AS tier_name, t.currency, t.monthly_price, t.yearly_price
         FROM memberships m JOIN channels c ON c.id = m.channel_id JOIN membership_tiers t ON t.id = m.tier_id
        WHERE m.user_id = $1 AND m.current_period_start IS NOT NULL ORDER BY m.created_at DESC`,
      [user.id],
    );
    const memberships: AccountMembership[] = [];
    for (const { monthly_price, yearly_price, ...row } of rows) {
      const tiers = (await q.listTiers(deps.db, row.channel_id)).filter((tier) => priceOf(tier, row.billing_interval));
      memberships.push({ ...row, price: priceOf({ monthly_price, yearly_price }, row.billing_interval), tiers });
    }
    return c.html(<AccountMembershipsPage env={pageEnv(c)} memberships={memberships} feedUrl={feedUrl} notice={noticeFrom(c)} />);
  };

  app.get('/account/memberships', (c) => accountPage(c));

  app.post('/memberships/:id/cancel', async (c) => {
    await cancelMembership(deps, await membershipOwnedBy(deps, c.req.param('id'), requireUser(c)));
    return c.redirect('/account/memberships?notice=membership_cancelled', 303);
  });

  app.post('/memberships/:id/change', async (c) => {
    const membership = await membershipOwnedBy(deps, c.req.param('id'), requireUser(c));
    const tierId = textFields(await readForm(c))['tier'] ?? '';
    const outcome = await changeTier(deps, services, membership, tierId).catch((error: unknown) => {
      if (error instanceof ValidationError) throw new AppError(422, 'invalid_tier', Object.values(error.fields)[0]!);
      throw error;
    });
    return c.redirect(`/account/memberships?notice=${outcome === 'upgraded' ? 'membership_upgraded' : 'membership_downgrade_scheduled'}`, 303);
  });

  // The private feed URL is shown once; only its hash is kept, and making a new one revokes the old.
  app.post('/memberships/:id/feed', async (c) => {
    const membership = await membershipOwnedBy(deps, c.req.param('id'), requireUser(c));
    const token = randomToken();
    await deps.db.query('UPDATE memberships SET feed_token_hash = $2 WHERE id = $1', [membership.id, hashToken(token)]);
    const channel = (await findChannelById(deps.db, membership.channel_id))!;
    return accountPage(c, `${deps.config.publicUrl}/c/${channel.handle}/members.rss?token=${token}`);
  });

  app.get('/c/:handle/members.rss', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const token = c.req.query('token') ?? '';
    const xml = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await membersFeed(deps, channel, hashToken(token)) : undefined;
    if (!xml) return c.text(c.var.t('membership.feed_invalid'), 403);
    return c.body(xml, 200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Cache-Control': 'private, no-store' });
  });

  return app;
}
