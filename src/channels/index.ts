/**
 * Channels: a creator's channel, its team (admins and editors) and its public pages. Decides who may
 * enter the Studio (the owner, or anyone on a channel's team). Other capabilities fill the channel home
 * page through the `channel.sections` slot.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { channelMediaRoutes, channelRoutes, type ChannelSectionRenderer } from './routes.js';
import { canUseStudio } from './service.js';

export type { ChannelSectionRenderer } from './routes.js';
export { canUseStudio, channelForAdmin, findChannelByHandle, listChannels, roleOnChannel, type ChannelRole, type ChannelRow } from './service.js';

declare module '../core/module.js' {
  interface Slots {
    /** A section of a channel's home page, in list order: the videos first, then what others add. */
    'channel.sections': ChannelSectionRenderer;
  }
}

export const channelsCapability = defineCapability({
  name: 'channels',
  messages: { en, fr },
  routes: [
    { area: 'public', path: '/', build: (ctx) => channelRoutes(ctx.deps, ctx.studioAccess, () => ctx.fill('channel.sections')) },
    { area: 'media', path: '/', build: (ctx) => channelMediaRoutes(ctx.deps) },
  ],
  contributes: {
    'site.studio-access': (ctx) => (user) => canUseStudio(ctx.deps.db, user),
  },
  tables: {
    channels: { export: 'rows', scope: 'channel' },
    channel_roles: { export: 'rows', scope: 'channel' },
  },
});
