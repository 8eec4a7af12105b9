import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { pageEnv } from '../core/http/layout.js';
import { readForm } from '../core/http/form.js';
import { hasControlCharacters } from '../core/http/text.js';
import { ForbiddenError, ValidationError } from '../core/http/errors.js';
import type { FederationServices } from './federation.js';
import { followRemoteActor, unfollowRemoteActor } from './follow.js';
import * as q from './queries.js';
import { ActivityLogPage, FediversePage } from './studio-page.js';

/** The `uri` field of a form or JSON body. */
export async function uriField(c: AppContext): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  const value = type.startsWith('application/json')
    ? ((await c.req.json().catch(() => ({}))) as { uri?: unknown }).uri
    : (await readForm(c))['uri'];
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2000) throw new ValidationError({ uri: 'error.required' });
  if (hasControlCharacters(value, 'line')) throw new ValidationError({ uri: 'error.control_characters' });
  return value.trim();
}

/** JSON for API clients and tests, a redirect back to the page for forms. */
function done(c: AppContext, handle: string, body: Record<string, unknown>) {
  if ((c.req.header('accept') ?? '').includes('application/json')) return c.json(body);
  return c.redirect(`/studio/channels/${handle}/fediverse?notice=saved`, 303);
}

/**
 * Studio routes of a channel's fediverse side (mounted under /studio; channel admins only): the page, and
 * following or unfollowing a remote actor.
 */
export function federationStudioRoutes(deps: AppDeps, fed: FederationServices) {
  const app = new Hono<AppEnv>();

  app.get('/channels/:handle/fediverse', async (c) => {
    requireUser(c);
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const [followers, following, remoteVideos, heldComments, refused] = await Promise.all([
      q.listFollowers(deps.db, channel.id, 500),
      q.listFollowing(deps.db, channel.id),
      q.listRemoteVideosForChannel(deps.db, channel.id),
      q.listComments(deps.db, channel.id, 'held'),
      q.listRefusedDeliveries(deps.db, channel.id),
    ]);
    const host = new URL(deps.config.publicUrl).host;
    return c.html(
      <FediversePage env={pageEnv(c, true)} channel={channel} host={host} followers={followers} following={following} remoteVideos={remoteVideos} heldComments={heldComments} refused={refused} />,
    );
  });

  app.post('/channels/:handle/follow', async (c) => {
    requireUser(c);
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const row = await followRemoteActor(deps, fed, channel, await uriField(c));
    return done(c, channel.handle, { actor: row.actor_uri, status: row.status });
  });

  app.post('/channels/:handle/unfollow', async (c) => {
    requireUser(c);
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const uri = await uriField(c);
    await unfollowRemoteActor(deps, fed, channel, uri);
    return done(c, channel.handle, { actor: uri, status: 'unfollowed' });
  });

  // What came in from the fediverse, site-wide (the shared inbox serves every channel): the owner's view.
  app.get('/fediverse/activity', async (c) => {
    if (requireUser(c).siteRole !== 'owner') throw new ForbiddenError('studio.owner_only');
    const entries = await q.recentInboxLog(deps.db, 200);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ entries });
    return c.html(<ActivityLogPage env={pageEnv(c, true)} entries={entries} />);
  });

  return app;
}
