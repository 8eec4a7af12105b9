/**
 * The Studio: the owner's and channel teams' back office. This capability holds its home page (each
 * channel with the links other capabilities contribute) and channel settings and teams; every other
 * Studio page belongs to its own capability, mounted in the `studio` area (which checks who may enter).
 */
import type { Child } from 'hono/jsx';
import * as channels from '../channels/index.js';
import type { CurrentUser } from '../core/http/context.js';
import type { PageEnv } from '../core/http/layout.js';
import { defineCapability } from '../core/module.js';
import { provideStudioMenus } from './layout.js';
import type { StudioFirstStep, StudioMenuEntry, StudioSiteLink } from './menu.js';
import { en, fr } from './messages.js';
import { studioRoutes } from './routes.js';

export type { StudioFirstStep, StudioMenuEntry, StudioSiteLink } from './menu.js';
export { StudioLayout } from './layout.js';

declare module '../core/module.js' {
  interface Slots {
    /** A link per channel on the Studio home (videos, revenue, tiers…). */
    'studio.channel-menu': readonly StudioMenuEntry[];
    /** A site-wide Studio page, listed for the owner. */
    'studio.site-menu': readonly StudioSiteLink[];
    /** At the top of the Studio home, in list order (the notifications' bell). */
    'studio.header': (env: PageEnv) => Promise<Child>;
    /** Steps of a channel's first-run checklist on the Studio home; each ticks itself. */
    'studio.first-steps': readonly StudioFirstStep[];
  }
}

export const studioCapability = defineCapability({
  name: 'studio',
  messages: { en, fr },
  routes: [
    {
      area: 'studio',
      path: '/studio',
      build: (ctx) => {
        const menus = {
          channel: () => ctx.fill('studio.channel-menu').flat().sort((a, b) => a.order - b.order),
          site: () => ctx.fill('studio.site-menu').flat(),
          roleOn: async (user: CurrentUser | null, handle: string) => {
            const channel = user ? await channels.findChannelByHandle(ctx.deps.db, handle.toLowerCase()) : undefined;
            return channel ? channels.roleOnChannel(ctx.deps.db, user, channel.id) : undefined;
          },
          header: () => ctx.fill('studio.header'),
          firstSteps: () => ctx.fill('studio.first-steps').flat().sort((a, b) => a.order - b.order),
        };
        provideStudioMenus(menus);
        return studioRoutes(ctx.deps, menus, () => ctx.services.diskSpace());
      },
    },
  ],
  contributes: {
    'studio.channel-menu': () => [
      { href: (h) => `/studio/channels/${h}`, label: 'studio.settings', role: 'admin', order: 20 },
      { href: (h) => `/studio/channels/${h}/team`, label: 'studio.team', role: 'admin', order: 30 },
    ],
    'studio.first-steps': (ctx) => [
      {
        label: 'studio.step_customise',
        href: (h) => `/studio/channels/${h}`,
        order: 50,
        done: async (channelId) => (await ctx.deps.db.query(`SELECT 1 FROM channels WHERE id = $1 AND (description <> '' OR avatar_key IS NOT NULL)`, [channelId])).length > 0,
      },
    ],
  },
  tables: {},
});
