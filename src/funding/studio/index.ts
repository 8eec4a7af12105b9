/** The creator's money pages in the Studio: revenue statements, membership tiers, members. */
import { defineCapability } from '../../core/module.js';
import { en, fr } from './messages.js';
import { fundingStudioRoutes } from './routes.js';

export const fundingStudioCapability = defineCapability({
  name: 'funding-studio',
  messages: { en, fr },
  routes: [{ area: 'studio', path: '/studio', build: (ctx) => fundingStudioRoutes(ctx.deps) }],
  contributes: {
    'studio.channel-menu': () => [
      { href: (h) => `/studio/channels/${h}/revenue`, label: 'studio.revenue.title', role: 'admin', order: 40 },
      { href: (h) => `/studio/channels/${h}/tiers`, label: 'studio.tiers.title', role: 'admin', order: 50 },
      { href: (h) => `/studio/channels/${h}/members`, label: 'studio.members.title', role: 'admin', order: 60 },
    ],
    'studio.first-steps': (ctx) => [{ label: 'studio.step_tier', href: (h) => `/studio/channels/${h}/tiers`, order: 30, done: async (channelId) => (await ctx.deps.db.query(`SELECT 1 FROM membership_tiers WHERE channel_id = $1 LIMIT 1`, [channelId])).length > 0 }],
  },
  tables: {},
});
