import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin, listChannels, listChannelsForUser, roleOnChannel } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv, CurrentUser } from '../core/http/context.js';
import { BadRequestError } from '../core/http/errors.js';
import { readForm, textFields } from '../core/http/form.js';
import { noticeFrom, pageEnv, type PageEnv } from '../core/http/layout.js';
import { Bell, NotificationsPage } from './pages.js';
import * as q from './queries.js';
import { describe } from './service.js';

/** The channels whose notifications this user sees: every channel for the owner, else those of their teams. */
async function channelsOf(deps: AppDeps, user: CurrentUser) {
  return user.siteRole === 'owner' ? listChannels(deps.db) : listChannelsForUser(deps.db, user.id);
}

/** The bell of the Studio: how many notifications of the user's channels are unread. */
export async function studioBell(deps: AppDeps, env: PageEnv) {
  if (!env.user) return null;
  const channels = await channelsOf(deps, env.user);
  return <Bell env={env} unread={await q.countUnread(deps.db, channels.map((c) => c.id))} />;
}

const settingsForm = z.object({ channel: z.string().max(40), email: z.enum(['immediate', 'digest', 'off']) });

/** The Studio's notifications page: the list (read once seen), and each channel's e-mail choice. */
export function notificationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/notifications', async (c) => {
    const user = requireUser(c);
    const channels = await channelsOf(deps, user);
    const ids = channels.map((ch) => ch.id);
    const rows = await q.listNotifications(deps.db, ids, 100);
    const settings = [];
    for (const ch of channels) {
      if ((await roleOnChannel(deps.db, user, ch.id)) === 'admin') settings.push({ handle: ch.handle, name: ch.name, email: await q.emailMode(deps.db, ch.id) });
    }
    const names = new Map(channels.map((ch) => [ch.id, ch.name]));
    const items = rows.map((n) => ({ ...n, text: describe(n, c.var.locale), channel: names.get(n.channel_id) ?? '' }));
    const unread = await q.countUnread(deps.db, ids);
    // Seeing the list reads it: the bell counts what was not seen yet.
    await q.markAllRead(deps.db, ids, deps.clock.now());
    return c.html(<NotificationsPage env={pageEnv(c, true)} items={items} unread={unread} settings={settings} notice={noticeFrom(c)} />);
  });

  app.post('/notifications/settings', async (c) => {
    const parsed = settingsForm.safeParse(textFields(await readForm(c)));
    if (!parsed.success) throw new BadRequestError('notification.settings_invalid');
    const channel = await channelForAdmin(deps.db, c.var.user, parsed.data.channel);
    await q.setEmailMode(deps.db, channel.id, parsed.data.email);
    return c.redirect('/studio/notifications?notice=notification_settings_saved', 303);
  });

  return app;
}
