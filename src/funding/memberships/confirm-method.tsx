import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { findChannelById } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { AppError, NotFoundError } from '../../core/http/errors.js';
import { readForm, textFields } from '../../core/http/form.js';
import { CsrfField, Layout, Notice, pageEnv, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { money } from '../money.js';
import type { PaymentServices } from '../payments/services.js';
import { ProviderError } from '../providers/index.js';
import { paymentMethodLink, paymentMethodLinkValid } from './moved-members.js';
import { priceOf } from './periods.js';
import * as q from './queries.js';

type State = 'ask' | 'unavailable' | 'waiting' | 'done' | 'ended' | 'not_needed';

interface PageProps {
  env: PageEnv;
  state: State;
  membershipId: string;
  signature: string;
  channel: { name: string; handle: string };
  tier: string;
  periodEnd: Date | null;
  error?: MessageKey;
}

function ConfirmMethodPage({ env, state, membershipId, signature, channel, tier, periodEnd, error }: PageProps) {
  const { t } = env;
  const values = { channel: channel.name, tier, date: periodEnd ? new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' }).format(periodEnd) : '' };
  const said: Record<Exclude<State, 'ask'>, MessageKey> = {
    unavailable: 'membership.payment_method_unavailable',
    waiting: 'membership.payment_method_waiting',
    done: 'membership.payment_method_done',
    ended: 'membership.welcome_ended',
    not_needed: 'membership.payment_method_not_needed',
  };
  return (
    <Layout env={env} title={t('membership.payment_method_title')}>
      <h1>{t('membership.payment_method_title')}</h1>
      <Notice env={env} messageKey={error} kind="error" />
      {state === 'ask' ? (
        <form method="post" action={`/memberships/${membershipId}/payment-method`} class="stack">
          <CsrfField env={env} />
          <input type="hidden" name="sig" value={signature} />
          <p>{t('membership.payment_method_intro', values)}</p>
          <p class="hint">{t('membership.payment_method_otherwise', values)}</p>
          <button type="submit">{t('membership.payment_method_confirm')}</button>
        </form>
      ) : (
        <p role="status">{t(said[state], values)}</p>
      )}
      <p>
        <a href={`/c/${channel.handle}`}>{t('membership.back_to_channel')}</a>
      </p>
    </Layout>
  );
}

/**
 * The page a moved channel's member reaches from the e-mail (moved-members.ts): a signed link, so it
 * opens without signing in, for that membership only. Confirming opens the provider's setup checkout
 * (a card saved, nothing charged); its `payment_method.saved` reaches `paymentMethodConfirmed`.
 */
export function confirmMethodRoutes(deps: AppDeps, services: PaymentServices) {
  const app = new Hono<AppEnv>();

  async function load(c: AppContext, signature: string | undefined) {
    const id = c.req.param('id') ?? '';
    if (!paymentMethodLinkValid(deps, id, signature)) throw new AppError(403, 'link_invalid', 'membership.payment_method_link_invalid');
    const membership = await q.findMembership(deps.db, id);
    if (!membership) throw new NotFoundError();
    const [channel, tier] = await Promise.all([findChannelById(deps.db, membership.channel_id), q.findTier(deps.db, membership.tier_id)]);
    if (!channel || !tier) throw new NotFoundError();
    const provider = [membership.provider, ...services.enabled].map((p) => services.get(p)).find((p) => p?.capabilities.setupWithoutCharge);
    return { membership, channel, tier, provider };
  }

  const show = (c: AppContext, loaded: Awaited<ReturnType<typeof load>>, error?: MessageKey) => {
    const { membership, channel, tier, provider } = loaded;
    const live = membership.status === 'active' || membership.status === 'past_due';
    const state: State = !live
      ? membership.status === 'expired' ? 'ended' : 'not_needed'
      : !membership.payment_method_needed_since
        ? membership.payment_method_ref ? 'done' : 'not_needed'
        : c.req.query('done') === '1' ? 'waiting' : provider ? 'ask' : 'unavailable';
    const signature = new URL(paymentMethodLink(deps, membership.id)).searchParams.get('sig')!;
    return c.html(
      <ConfirmMethodPage env={pageEnv(c)} state={state} membershipId={membership.id} signature={signature} channel={channel} tier={tier.name} periodEnd={membership.current_period_end} error={error} />,
      error ? 422 : 200,
    );
  };

  app.get('/memberships/:id/payment-method', async (c) => show(c, await load(c, c.req.query('sig'))));

  app.post('/memberships/:id/payment-method', async (c) => {
    const loaded = await load(c, textFields(await readForm(c))['sig']);
    const { membership, channel, tier, provider } = loaded;
    if (!membership.payment_method_needed_since || !['active', 'past_due'].includes(membership.status) || !provider) return show(c, loaded);
    const link = paymentMethodLink(deps, membership.id);
    const email = (await deps.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [membership.user_id]))[0]?.email;
    try {
      const checkout = await provider.createCheckout({
        // Shown on the setup page, never charged: what the renewal will take.
        ...money(priceOf(tier, membership.billing_interval) ?? tier.monthly_price, tier.currency),
        description: c.var.t('membership.checkout_description', { tier: tier.name, channel: channel.name }),
        idempotencyKey: `membership-method:${membership.id}:${randomUUID()}`,
        ...(email ? { customerEmail: email } : {}),
        mode: 'setup',
        successUrl: `${link}&done=1`,
        cancelUrl: link,
        metadata: { setup: '1', purpose: 'membership', membershipId: membership.id },
      });
      return c.redirect(checkout.redirectUrl, 303);
    } catch (error) {
      if (error instanceof ProviderError) return show(c, loaded, 'payment.provider_unavailable');
      throw error;
    }
  });

  return app;
}
