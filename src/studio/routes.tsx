import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelSettingsSchema, checkAvatar, newChannelSchema, teamMemberSchema } from '../channels/index.js';
import * as channels from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { ForbiddenError, ValidationError, formatBytes } from '../core/http/errors.js';
import type { DiskSpace } from '../site/index.js';
import { readForm, textFields, validateForm } from '../core/http/form.js';
import type { Child } from 'hono/jsx';
import { noticeFrom, pageEnv, type PageEnv } from '../core/http/layout.js';
import type { StudioFirstStep, StudioMenuEntry, StudioSiteLink } from './menu.js';
import { ChannelSettingsPage, NewChannelPage, StudioHomePage, TeamPage } from './pages.js';

/** The Studio: the owner's and channel admins' back office. Every route checks rights on the server. */
export function studioRoutes(
  deps: AppDeps,
  menus: {
    channel: () => readonly StudioMenuEntry[];
    site: () => readonly StudioSiteLink[];
    header?: () => readonly ((env: PageEnv) => Promise<Child>)[];
    firstSteps?: () => readonly StudioFirstStep[];
  },
  disk: () => Promise<DiskSpace | undefined>,
) {
  const app = new Hono<AppEnv>();
  const env = (c: AppContext) => pageEnv(c, true);

  const requireOwner = (c: AppContext) => {
    if (requireUser(c).siteRole !== 'owner') throw new ForbiddenError('studio.owner_only');
  };

  app.get('/', async (c) => {
    const user = requireUser(c);
    const list =
      user.siteRole === 'owner'
        ? (await channels.listChannels(deps.db)).map((ch) => ({ ...ch, role: 'admin' as const }))
        : await channels.listChannelsForUser(deps.db, user.id);
    // The owner is told when the disk runs low, before uploads and sign-ups start failing.
    const space = user.siteRole === 'owner' ? await disk() : undefined;
    const diskWarning = space?.low ? c.var.t('studio.disk_low', { free: formatBytes(space.freeBytes) }) : undefined;
    const e = env(c);
    const header = await Promise.all((menus.header?.() ?? []).map((render) => render(e)));
    // The first-run checklist of each channel this user administers, until every step is done.
    const steps = menus.firstSteps?.() ?? [];
    const firstSteps = await Promise.all(
      list
        .filter((ch) => ch.role === 'admin')
        .map(async (ch) => ({ channel: ch, steps: await Promise.all(steps.map(async (step) => ({ step, done: await step.done(ch.id) }))) })),
    );
    return c.html(
      <StudioHomePage
        env={e}
        channels={list}
        canCreateChannel={user.siteRole === 'owner'}
        menu={menus.channel()}
        siteLinks={user.siteRole === 'owner' ? menus.site() : []}
        notice={noticeFrom(c)}
        header={header}
        diskWarning={diskWarning}
        firstSteps={firstSteps.filter((f) => f.steps.some((s) => !s.done))}
      />,
    );
  });

  app.get('/channels/new', (c) => {
    requireOwner(c);
    return c.html(<NewChannelPage env={env(c)} state={{}} />);
  });

  app.post('/channels/new', async (c) => {
    requireOwner(c);
    const form = await readForm(c);
    const parsed = validateForm(newChannelSchema, form);
    const avatar = await checkAvatar(form['avatar']);
    const reshow = (errors: ValidationError['fields']) =>
      c.html(<NewChannelPage env={env(c)} state={{ errors, values: textFields(form) }} />, 422);
    if (!parsed.ok || (avatar && !avatar.ok)) {
      return reshow({ ...(parsed.ok ? {} : parsed.errors), ...(avatar && !avatar.ok ? { avatar: avatar.error } : {}) });
    }
    const d = parsed.data;
    try {
      const channel = await channels.createChannel(
        deps,
        { handle: d.handle, name: d.channel_name, description: d.description, language: d.channel_language, avatar: avatar?.ok ? avatar : undefined },
        requireUser(c).id,
      );
      return c.redirect(`/studio/channels/${channel.handle}?notice=channel_created`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return reshow(error.fields);
      throw error;
    }
  });

  app.get('/channels/:handle', async (c) => {
    const channel = await channels.channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    return c.html(<ChannelSettingsPage env={env(c)} channel={channel} state={{}} notice={noticeFrom(c)} />);
  });

  app.post('/channels/:handle', async (c) => {
    const channel = await channels.channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = await readForm(c);
    const parsed = validateForm(channelSettingsSchema, form);
    const avatar = await checkAvatar(form['avatar']);
    if (!parsed.ok || (avatar && !avatar.ok)) {
      const errors = { ...(parsed.ok ? {} : parsed.errors), ...(avatar && !avatar.ok ? { avatar: avatar.error } : {}) };
      return c.html(<ChannelSettingsPage env={env(c)} channel={channel} state={{ errors, values: textFields(form) }} />, 422);
    }
    const d = parsed.data;
    await channels.updateChannelSettings(deps, channel, {
      name: d.channel_name,
      description: d.description,
      language: d.channel_language,
      avatar: avatar?.ok ? avatar : undefined,
    });
    return c.redirect(`/studio/channels/${channel.handle}?notice=saved`, 303);
  });

  const teamPage = async (c: AppContext, channel: channels.ChannelRow, state: Parameters<typeof TeamPage>[0]['state'] = {}, status: 200 | 422 = 200) =>
    c.html(
      <TeamPage env={env(c)} channel={channel} team={await channels.listTeam(deps.db, channel.id)} invitations={await channels.listTeamInvitations(deps, channel.id)} state={state} notice={status === 200 ? noticeFrom(c) : undefined} />,
      status,
    );

  app.get('/channels/:handle/team', async (c) => teamPage(c, await channels.channelForAdmin(deps.db, c.var.user, c.req.param('handle'))));

  // Every address is invited, with or without an account: the answer tells the admin nothing about who is registered.
  app.post('/channels/:handle/team', async (c) => {
    const channel = await channels.channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = await readForm(c);
    const parsed = validateForm(teamMemberSchema, form);
    if (!parsed.ok) return teamPage(c, channel, { errors: parsed.errors, values: textFields(form) }, 422);
    await channels.inviteTeamMember(deps, channel, parsed.data.email, parsed.data.role);
    return c.redirect(`/studio/channels/${channel.handle}/team?notice=member_invited`, 303);
  });

  app.post('/channels/:handle/team/:userId/remove', async (c) => {
    const channel = await channels.channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const userId = c.req.param('userId');
    await channels.removeTeamMember(deps.db, channel.id, userId);
    return c.redirect(`/studio/channels/${channel.handle}/team?notice=member_removed`, 303);
  });

  return app;
}
