/**
 * Moderation: one vocabulary (`held | approved | rejected`, see CONTEXT.md) and one Studio page for
 * everything fans and remote servers write to a channel. Capabilities that hold things (tip messages,
 * fediverse replies, comments to come) contribute a source to the `moderation.sources` slot.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { moderationRoutes } from './routes.js';
import type { ModerationSource } from './sources.js';

export type { HeldItem, ModerationSource } from './sources.js';
export { isModerationDecision, MODERATION_STATUSES, type ModerationDecision, type ModerationStatus } from './vocabulary.js';

declare module '../core/module.js' {
  interface Slots {
    /** Something the channel's admins approve or reject before it is shown. */
    'moderation.sources': ModerationSource;
  }
}

export const moderationCapability = defineCapability({
  name: 'moderation',
  messages: { en, fr },
  routes: [{ area: 'studio', path: '/studio', build: (ctx) => moderationRoutes(ctx.deps, () => ctx.fill('moderation.sources')) }],
  contributes: {
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/moderation`, label: 'moderation.title', role: 'admin', order: 65 }],
  },
  tables: {},
});
