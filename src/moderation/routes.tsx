import { Hono } from 'hono';
import { z } from 'zod';
import { channelForAdmin } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { BadRequestError } from '../core/http/errors.js';
import { readForm } from '../core/http/form.js';
import { oneLineText } from '../core/http/text.js';
import { noticeFrom, pageEnv } from '../core/http/layout.js';
import { ModerationPage } from './pages.js';
import { heldForChannel, moderate } from './service.js';
import type { ModerationSource } from './sources.js';
import { MODERATION_STATUSES } from './vocabulary.js';

const decisionForm = z.object({
  kind: z.string().regex(/^[a-z][a-z-]{0,40}$/),
  id: oneLineText().min(1).max(2000),
  decision: z.enum(MODERATION_STATUSES).exclude(['held']),
});

/** The Studio's moderation page of a channel: everything held, from every source; admins decide. */
export function moderationRoutes(deps: AppDeps, sources: () => readonly ModerationSource[]) {
  const app = new Hono<AppEnv>();

  app.get('/channels/:handle/moderation', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    return c.html(<ModerationPage env={pageEnv(c, true)} channel={channel} lists={await heldForChannel(sources(), channel.id)} notice={noticeFrom(c)} />);
  });

  app.post('/channels/:handle/moderation', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const parsed = decisionForm.safeParse(await readForm(c));
    if (!parsed.success) throw new BadRequestError('moderation.bad_decision');
    await moderate(sources(), channel.id, parsed.data.kind, parsed.data.id, parsed.data.decision);
    return c.redirect(`/studio/channels/${channel.handle}/moderation?notice=saved`, 303);
  });

  return app;
}
