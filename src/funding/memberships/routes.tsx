import { Hono } from 'hono';
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
import { membersFeed } from './feed.js';
import { AccountMembershipsPage, MembershipPage, WelcomePage, type AccountMembership } from './pages.js';
import * as q from './queries.js';
import { priceOf } from './periods.js';
import { cancelMembership, changeTier, joinTier, membershipOwnedBy, welcomeState } from './service.js';

const joinSchema = z.object({ tier: z.string().max(40), interval: z.enum(['month', 'year']).default('month'), provider: z.string().max(20).default('') });

/** The fan side of memberships: tiers, joining, the welcome page, the account page, the private feed. */
export function membershipRoutes(deps: AppDeps, services: PaymentServices) {
  const app = new Hono<AppEnv>();

  async function channelOr404(handle: string) {
    const channel = /^[a-z0-9_]{2,30}$/i.test(handle) ? await findChannelByHandle(deps.db, handle.toLowerCase()) : undefined;
    if (!channel) throw new NotFoundError('channel.not_found');
    return channel;
  }

  const showTiers = async (c: AppContext, error?: AppError['messageKey'], status: 200 | 409 | 422 = 200) => {
    const channel = await channelOr404(c.req.param('handle')!);
    const current = c.var.user ? await q.liveMembership(deps.db, channel.id, c.var.user.id) : undefined;
    return c.html(<MembershipPage env={pageEnv(c)} channel={channel} tiers={await q.listTiers(deps.db, channel.id)} current={current} providers={services.enabled.filter((p) => services.get(p)!.capabilities.savedPaymentMethods)} error={error} />, status);
  };

  app.get('/c/:handle/membership', (c) => showTiers(c));

  app.post('/c/:handle/membership/join', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    if (!c.var.user) return c.redirect(`/login?back=${encodeURIComponent(`/c/${channel.handle}/membership`)}`, 303);
    const parsed = joinSchema.safeParse(textFields(await readForm(c)));
    if (!parsed.success) return showTiers(c, 'membership.tier_invalid', 422);
    try {
      const redirectUrl = await joinTier(deps, services, { channel, tierId: parsed.data.tier, interval: parsed.data.interval, user: c.var.user, provider: parsed.data.provider, locale: c.var.locale });
      return c.redirect(redirectUrl, 303);
    } catch (error) {
      if (error instanceof ValidationError) return showTiers(c, Object.values(error.fields)[0], 422);
      if (error instanceof AppError && error.status === 409) return showTiers(c, error.messageKey, 409);
      throw error;
    }
  });

  app.get('/memberships/:id/welcome', async (c) => {
    const membership = await membershipOwnedBy(deps, c.req.param('id'), requireUser(c));
    const channel = (await findChannelById(deps.db, membership.channel_id))!;
    return c.html(<WelcomePage env={pageEnv(c)} state={await welcomeState(deps, membership)} channelHandle={channel.handle} />);
  });

  const accountPage = async (c: AppContext, feedUrl?: string) => {
    const user = requireUser(c);
    const rows = await deps.db.query<Omit<AccountMembership, 'price' | 'tiers'> & Pick<q.TierRow, 'monthly_price' | 'yearly_price'>>(
      `SELECT m.*, c.name AS channel_name, c.handle AS channel_handle, t.name AS tier_name, t.currency, t.monthly_price, t.yearly_price
         FROM memberships m JOIN channels c ON c.id = m.channel_id JOIN membership_tiers t ON t.id = m.tier_id
        WHERE m.user_id = $1 AND m.status <> 'incomplete' ORDER BY m.created_at DESC`,
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
