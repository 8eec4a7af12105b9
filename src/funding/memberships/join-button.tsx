import type { Child } from 'hono/jsx';
import type { Queryable } from '../../core/db/index.js';
import type { PageEnv } from '../../core/http/layout.js';
import { formatMoney, money } from '../money.js';
import { liveMembership, listTiers } from './queries.js';

/**
 * The Join button of a channel's header and of its watch pages: shown while the channel has open tiers
 * and the fan is not a member (signed out, or no membership that had a paid period and is not over).
 * `back` brings the fan back to the video once paid.
 */
export async function joinButton(db: Queryable, env: PageEnv, channel: { id: string; handle: string }, back?: string): Promise<Child> {
  const tiers = await listTiers(db, channel.id);
  if (tiers.length === 0) return null;
  if (env.user) {
    const live = await liveMembership(db, channel.id, env.user.id);
    if (live && live.status !== 'incomplete') return null;
  }
  const cheapest = tiers.reduce((a, b) => (b.monthly_price < a.monthly_price ? b : a));
  const price = env.t('membership.price_month_short', { price: formatMoney(money(cheapest.monthly_price, cheapest.currency), env.locale) });
  const href = `/c/${channel.handle}/membership${back ? `?back=${encodeURIComponent(back)}` : ''}`;
  return (
    <a class="button join-button" href={href}>
      {env.t('membership.join_from', { price })}
    </a>
  );
}

/** The Join button under a video: back to this video once paid. */
export async function watchJoinButton(db: Queryable, env: PageEnv, video: { channel_id: string; channel_handle: string; short_id: string }): Promise<Child> {
  const button = await joinButton(db, env, { id: video.channel_id, handle: video.channel_handle }, `/v/${video.short_id}`);
  return button && <p class="join">{button}</p>;
}
