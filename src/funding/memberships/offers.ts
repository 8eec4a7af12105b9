import { findChannelById } from '../../channels/index.js';
import { translator } from '../../core/i18n/index.js';
import type { WatchOfferLookup } from '../../videos/index.js';
import { formatMoney, money } from '../money.js';
import { listTiers } from './queries.js';

/**
 * The channel's open tiers as offers for the videos' paywalls and locks: what each opens (members-only
 * videos, early access) and its monthly price in the fan's language.
 */
export const membershipOffers: WatchOfferLookup = async (db, channelId, locale) => {
  const channel = await findChannelById(db, channelId);
  if (!channel) return [];
  const t = translator(locale);
  return (await listTiers(db, channelId)).map((tier) => ({
    name: tier.name,
    grant: { isMember: tier.members_only_videos, earlyAccessDays: tier.early_access_days },
    monthlyAmount: tier.monthly_price,
    priceLabel: t('membership.price_month_short', { price: formatMoney(money(tier.monthly_price, tier.currency), locale) }),
    joinUrl: `/c/${channel.handle}/membership`,
  }));
};
