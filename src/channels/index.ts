/**
 * Channels: a creator's channel, its team (admins and editors) and its public pages. Decides who may
 * enter the Studio (the owner, or anyone on a channel's team). Other capabilities fill the channel home
 * page through the `channel.sections` slot and the head of its pages through `channel.head`.
 *
 * The public API below is what other capabilities may use: they look channels up and check rights with
 * these functions rather than query the channels tables themselves.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { channelMediaRoutes, channelRoutes, type ChannelActionRenderer, type ChannelHeadRenderer, type ChannelSectionRenderer } from './routes.js';
import { canUseStudio } from './service.js';

export type { ChannelActionRenderer, ChannelHeadRenderer, ChannelSectionRenderer } from './routes.js';
// Looking channels up, and who may do what on them.
export {
  canUseStudio,
  channelForAdmin,
  countChannels,
  findChannelByHandle,
  findChannelById,
  listChannels,
  listChannelsForUser,
  roleOnChannel,
  type ChannelRole,
  type ChannelRow,
} from './service.js';
// Creating and editing channels and teams (first-run setup and the Studio's channel pages).
export {
  acceptTeamInvitation,
  addTeamMember,
  createChannel,
  findTeamInvitation,
  inviteTeamMember,
  listTeamInvitations,
  insertChannelWithAdmin,
  listTeam,
  removeTeamMember,
  updateChannelSettings,
  withAvatar,
  type NewChannel,
  type TeamInvitationRow,
  type TeamMemberRow,
} from './service.js';
export { channelFields, channelSettingsSchema, newChannelSchema, teamMemberSchema } from './schema.js';
export { AVATAR_TYPES, checkAvatar, type AvatarCheck } from './avatar.js';

declare module '../core/module.js' {
  interface Slots {
    /** A section of a channel's home page, in list order: the videos first, then what others add. */
    'channel.sections': ChannelSectionRenderer;
    /** Tags in the `<head>` of every public channel page (the feeds' discovery links). */
    'channel.head': ChannelHeadRenderer;
    /** Calls to action in a channel's header, in list order (the membership's Join button). */
    'channel.actions': ChannelActionRenderer;
  }
}

export const channelsCapability = defineCapability({
  name: 'channels',
  messages: { en, fr },
  routes: [
    { area: 'public', path: '/', build: (ctx) => channelRoutes(ctx.deps, ctx.studioAccess, () => ctx.fill('channel.sections'), () => ctx.fill('channel.head'), () => ctx.fill('channel.actions')) },
    { area: 'media', path: '/', build: (ctx) => channelMediaRoutes(ctx.deps) },
  ],
  contributes: {
    'site.studio-access': (ctx) => (user) => canUseStudio(ctx.deps.db, user),
  },
  tables: {
    channels: { export: 'rows', scope: 'channel', files: ['avatar_key'] },
    channel_roles: { export: 'rows', scope: 'channel' },
    team_invitations: { export: 'none', why: 'pending invitations expire in a week; the new site invites again' },
  },
});
