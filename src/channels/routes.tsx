import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';
import { noticeFrom, pageEnv } from '../core/http/layout.js';
import { AVATAR_TYPES } from './avatar.js';
import { ChannelAboutPage, ChannelHomePage, ChannelListPage, TeamInvitationPage } from './pages.js';
import { acceptTeamInvitation, findChannelByHandle, findTeamInvitation, listChannels, type ChannelRow } from './service.js';

/** Renders a section of a channel's home page (its videos, its recommendations); contributed by other capabilities. */
export type ChannelSectionRenderer = (env: ReturnType<typeof pageEnv>, channel: ChannelRow, page: number) => Promise<Child>;

/** Renders tags for the `<head>` of a channel's pages (the feeds' discovery links); contributed by other capabilities. */
export type ChannelHeadRenderer = (channel: Pick<ChannelRow, 'handle' | 'name'>) => Child;

/** Renders a call to action in a channel's header (the membership's Join button); contributed by other capabilities. */
export type ChannelActionRenderer = (env: ReturnType<typeof pageEnv>, channel: ChannelRow) => Promise<Child>;

/** Public channel pages; `sections` fill the home page in order, `head` the head of every channel page, `actions` its header. */
export function channelRoutes(
  deps: AppDeps,
  studioAccess: (c: AppContext) => Promise<boolean>,
  sections: () => readonly ChannelSectionRenderer[],
  head: () => readonly ChannelHeadRenderer[],
  actions: () => readonly ChannelActionRenderer[] = () => [],
) {
  const app = new Hono<AppEnv>();
  const env = async (c: AppContext) => pageEnv(c, await studioAccess(c));

  async function channelOr404(handle: string) {
    const channel = /^[a-z0-9_]{2,30}$/i.test(handle) ? await findChannelByHandle(deps.db, handle.toLowerCase()) : undefined;
    if (!channel) throw new NotFoundError('channel.not_found');
    return channel;
  }

  // A solo creator's site opens on their channel; a collective's on the list of its channels.
  app.get('/', async (c) => {
    const channels = await listChannels(deps.db);
    const only = channels.length === 1 ? channels[0] : undefined;
    if (only) return home(c, only);
    return c.html(<ChannelListPage env={await env(c)} channels={channels} notice={noticeFrom(c)} />);
  });

  async function home(c: AppContext, channel: ChannelRow) {
    const e = await env(c);
    const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const rendered = await Promise.all(sections().map((render) => render(e, channel, page)));
    return c.html(
      <ChannelHomePage env={e} channel={channel} head={headOf(channel)} notice={noticeFrom(c)} videos={rendered[0] ?? null} extras={rendered.slice(1)} actions={await actionsOf(e, channel)} />,
    );
  }
  const headOf = (channel: ChannelRow) => head().map((render) => render(channel));
  const actionsOf = (e: ReturnType<typeof pageEnv>, channel: ChannelRow) => Promise.all(actions().map((render) => render(e, channel)));

  app.get('/c/:handle', async (c) => home(c, await channelOr404(c.req.param('handle'))));

  // A team invitation: signed in with the invited address, the invitee accepts with a button.
  const signInFirst = (c: AppContext) => c.redirect(`/login?back=${encodeURIComponent(c.req.path)}`, 303);
  app.get('/team-invitations/:token', async (c) => {
    if (!c.var.user) return signInFirst(c);
    const found = await findTeamInvitation(deps, c.req.param('token'));
    if (!found) throw new NotFoundError('channel.invitation_invalid');
    return c.html(<TeamInvitationPage env={await env(c)} channel={found.channel} invitation={found.invitation} token={c.req.param('token')} />);
  });
  app.post('/team-invitations/:token', async (c) => {
    if (!c.var.user) return signInFirst(c);
    await acceptTeamInvitation(deps, c.req.param('token'), c.var.user);
    return c.redirect('/studio', 303);
  });

  app.get('/c/:handle/about', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const e = await env(c);
    return c.html(<ChannelAboutPage env={e} channel={channel} head={headOf(channel)} actions={await actionsOf(e, channel)} />);
  });

  return app;
}

/** Channel avatars: stored files anyone may load (the `media` area). */
export function channelMediaRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/media/avatars/:file', async (c) => {
    const file = c.req.param('file');
    const ext = /^[0-9a-f-]{36}\.(png|jpg|gif|webp)$/.exec(file)?.[1];
    const stored = ext ? await deps.storage.get(`avatars/${file}`) : undefined;
    if (!ext || !stored) throw new NotFoundError();
    // Avatar files are never rewritten (a new avatar gets a new name), so they can be cached for good.
    return c.body(stored.body, 200, {
      'Content-Type': AVATAR_TYPES[ext]!,
      'Content-Length': String(stored.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}
