/** Tips under every video: a creator-set minimum, the fan free to give more, messages moderated by the team. */
import { defineCapability, oncePerSite } from '../../core/module.js';
import { en, fr } from './messages.js';
import { tipRoutes, tipWidget } from './routes.js';
import { heldMessages, moderateMessage } from './queries.js';
import { tipPurpose } from './service.js';

const routes = oncePerSite((ctx) => tipRoutes(ctx.deps, ctx.services.payments, ctx.services.viewers));

/** What notifications (and other readers) may learn of a paid tip, by its payment id. */
export { findTipSummary, type TipSummary } from './queries.js';

export const tipsCapability = defineCapability({
  name: 'tips',
  messages: { en, fr },
  routes: [
    { area: 'public', path: '/', build: (ctx) => routes(ctx).public },
    { area: 'studio', path: '/studio', build: (ctx) => routes(ctx).studio },
    { area: 'account', path: '/', build: (ctx) => routes(ctx).account },
  ],
  contributes: {
    'payments.purposes': (ctx) => ({ tip: tipPurpose(ctx.deps) }),
    'watch.below-player': (ctx) => (env, video) => tipWidget(ctx.deps, ctx.services.payments, env, video),
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/tips`, label: 'tip.studio_title', role: 'admin', order: 70 }],
    // Ticks once the creator chose a minimum other than the default (€1.00) or gave a Lightning address.
    'studio.first-steps': (ctx) => [{ label: 'studio.step_tip_minimum', href: (h) => `/studio/channels/${h}/tips`, order: 20, done: async (channelId) => (await ctx.deps.db.query(`SELECT 1 FROM channels WHERE id = $1 AND (tip_minimum <> 100 OR currency <> 'EUR' OR lightning_address IS NOT NULL)`, [channelId])).length > 0 }],
    'moderation.sources': (ctx) => ({
      kind: 'tip-message',
      label: 'moderation.tip_messages',
      held: async (channelId) =>
        (await heldMessages(ctx.deps.db, channelId)).map((m) => ({ id: m.payment_id, author: m.name, authorUrl: null, text: m.message ?? '', html: false, about: m.video_title, receivedAt: m.created_at })),
      decide: (channelId, id, decision) => moderateMessage(ctx.deps.db, channelId, id, decision),
    }),
  },
  tables: {
    tips: { export: 'rows', scope: 'channel' },
  },
});
