import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';
import { CsrfField, pageEnv, type PageEnv } from '../core/http/layout.js';
import { addChannelAlias, cancelMove, findMove, listAliases, moveChannel, removeChannelAlias, uriField, type FederationServices, type MoveRow } from '../federation/index.js';
import { StudioLayout } from '../studio/index.js';
import { queueMovedMails } from './mail.js';

function MovePage({ env, channel, aliases, move }: { env: PageEnv; channel: ChannelRow; aliases: string[]; move: MoveRow | undefined }) {
  const { t } = env;
  const base = `/studio/channels/${channel.handle}/move`;
  return (
    <StudioLayout env={env} title={`${t('moving.studio_title')} · ${channel.name}`}>
      <h1>{`${t('moving.studio_title')} · ${channel.name}`}</h1>
      <p>{t('moving.intro')}</p>
      <section aria-labelledby="came-from-heading">
        <h2 id="came-from-heading">{t('moving.came_from_heading')}</h2>
        <p>{t('moving.came_from_help')}</p>
        {aliases.length === 0 ? <p>{t('moving.none')}</p> : (
          <ul>
            {aliases.map((a) => (
              <li>
                <a href={a} rel="nofollow noopener">{a}</a>
                <form method="post" action={`${base}/aliases/delete`} class="inline">
                  <CsrfField env={env} />
                  <input type="hidden" name="uri" value={a} />
                  <button type="submit">{t('moving.came_from_remove')}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`${base}/aliases`}>
          <CsrfField env={env} />
          <label for="alias-uri">{t('moving.came_from_label')}</label>
          <input id="alias-uri" name="uri" type="text" required maxlength={2000} />
          <button type="submit">{t('moving.came_from_add')}</button>
        </form>
      </section>
      <section aria-labelledby="move-heading">
        <h2 id="move-heading">{t('moving.move_heading')}</h2>
        {move ? (
          <>
            <p>{t('moving.moved_to', { url: move.target_page_url, date: move.moved_at.toISOString().slice(0, 10) })}</p>
            <form method="post" action={`${base}/cancel`}>
              <CsrfField env={env} />
              <button type="submit">{t('moving.cancel')}</button>
            </form>
          </>
        ) : (
          <>
            <p>{t('moving.move_help')}</p>
            <form method="post" action={base}>
              <CsrfField env={env} />
              <label for="move-uri">{t('moving.move_label')}</label>
              <input id="move-uri" name="uri" type="text" required maxlength={2000} />
              <button type="submit">{t('moving.move_button')}</button>
            </form>
          </>
        )}
      </section>
    </StudioLayout>
  );
}

/** JSON for API clients and tests, a redirect back to the page for forms. */
function done(c: AppContext, handle: string, body: Record<string, unknown>) {
  if ((c.req.header('accept') ?? '').includes('application/json')) return c.json(body);
  return c.redirect(`/studio/channels/${handle}/move?notice=saved`, 303);
}

/** The Studio's move page of a channel (mounted under /studio; channel admins only). */
export function movingStudioRoutes(deps: AppDeps, fed: FederationServices) {
  const app = new Hono<AppEnv>();
  const channelOf = (c: AppContext) => channelForAdmin(deps.db, requireUser(c), c.req.param('handle') ?? '');

  app.get('/channels/:handle/move', async (c) => {
    const channel = await channelOf(c);
    const [aliases, move] = await Promise.all([listAliases(deps.db, channel.id), findMove(deps.db, channel.id)]);
    return c.html(<MovePage env={pageEnv(c, true)} channel={channel} aliases={aliases} move={move} />);
  });

  app.post('/channels/:handle/move/aliases', async (c) => {
    const channel = await channelOf(c);
    const alias = await addChannelAlias(deps, fed, channel, await uriField(c));
    return done(c, channel.handle, { alias });
  });

  app.post('/channels/:handle/move/aliases/delete', async (c) => {
    const channel = await channelOf(c);
    const uri = await uriField(c);
    await removeChannelAlias(deps.db, channel.id, uri);
    return done(c, channel.handle, { removed: uri });
  });

  app.post('/channels/:handle/move', async (c) => {
    const channel = await channelOf(c);
    let mailed = 0;
    const move = await moveChannel(deps, fed, channel, await uriField(c), async (tx, row) => {
      mailed = await queueMovedMails(deps, tx, { channelId: channel.id, channelName: channel.name, moveId: row.move_activity_uri, newUrl: row.target_page_url });
    });
    return done(c, channel.handle, { movedTo: move.target_actor_uri, page: move.target_page_url, mailed });
  });

  app.post('/channels/:handle/move/cancel', async (c) => {
    const channel = await channelOf(c);
    if (!(await findMove(deps.db, channel.id))) throw new NotFoundError();
    await cancelMove(deps.db, channel.id);
    return done(c, channel.handle, { cancelled: true });
  });

  return app;
}
