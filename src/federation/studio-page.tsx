import { raw } from 'hono/html';
import type { ChannelRow } from '../channels/index.js';
import { CsrfField, type PageEnv } from '../core/http/layout.js';
import { StudioLayout } from '../studio/index.js';
import type { CommentRow, FollowerRow, FollowingRow, InboxLogRow, RefusedDeliveryRow, RemoteVideoRow } from './queries.js';

export interface FediversePageProps {
  env: PageEnv;
  channel: ChannelRow;
  host: string;
  followers: FollowerRow[];
  following: FollowingRow[];
  remoteVideos: RemoteVideoRow[];
  heldComments: CommentRow[];
  /** Deliveries the other server refused (or that failed for good), newest first. */
  refused: RefusedDeliveryRow[];
}

/** The host of an inbox URL, for a short line. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The Studio's fediverse page of a channel: who follows it, whom it follows, what came in. */
export function FediversePage({ env, channel, host, followers, following, remoteVideos, heldComments, refused }: FediversePageProps) {
  const { t } = env;
  const none = <p>{t('federation.none')}</p>;
  return (
    <StudioLayout env={env} title={`${t('federation.title')} · ${channel.name}`}>
      <h1>{`${t('federation.title')} · ${channel.name}`}</h1>
      <p>{t('federation.intro', { handle: channel.handle, host })}</p>
      <section aria-labelledby="following-heading">
        <h2 id="following-heading">{t('federation.following')}</h2>
        <form method="post" action={`/studio/channels/${channel.handle}/follow`}>
          <CsrfField env={env} />
          <label for="follow-uri">{t('federation.follow_label')}</label>
          <input id="follow-uri" name="uri" type="text" required maxlength={2000} />
          <button type="submit">{t('federation.follow')}</button>
        </form>
        {following.length === 0 ? none : (
          <ul>
            {following.map((f) => (
              <li>
                <a href={f.actor_uri} rel="nofollow noopener">{f.actor_uri}</a> {f.status === 'pending' ? `(${t('federation.pending')})` : ''}
                <form method="post" action={`/studio/channels/${channel.handle}/unfollow`} class="inline">
                  <CsrfField env={env} />
                  <input type="hidden" name="uri" value={f.actor_uri} />
                  <button type="submit">{t('federation.unfollow')}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="followers-heading">
        <h2 id="followers-heading">{`${t('federation.followers')} (${followers.length})`}</h2>
        {followers.length === 0 ? none : <ul>{followers.map((f) => <li><a href={f.actor_uri} rel="nofollow noopener">{f.actor_uri}</a></li>)}</ul>}
      </section>
      <section aria-labelledby="remote-heading">
        <h2 id="remote-heading">{t('federation.remote_videos')}</h2>
        {remoteVideos.length === 0 ? none : (
          <ul>{remoteVideos.map((v) => <li><a href={v.watch_url ?? v.object_uri} rel="nofollow noopener">{v.name}</a></li>)}</ul>
        )}
      </section>
      {refused.length > 0 && (
        <section aria-labelledby="refused-heading" class="notice notice-warning">
          <h2 id="refused-heading">{t('federation.refused_heading')}</h2>
          <p>{t('federation.refused_intro')}</p>
          <ul>
            {refused.map((r) => (
              <li>
                <time datetime={r.at.toISOString()}>{r.at.toISOString().slice(0, 16).replace('T', ' ')}</time>{' '}
                {t('federation.refused_item', { type: r.activity_type, host: hostOf(r.inbox), error: r.error })}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">{t('federation.held_comments')}</h2>
        {heldComments.length === 0 ? none : (
          <ul>
            {heldComments.map((cm) => (
              <li>
                <a href={cm.url ?? cm.note_uri} rel="nofollow noopener">{cm.actor_uri}</a> · {cm.video_title}
                {/* Sanitized when stored (inbox.ts), so it may be shown as HTML. */}
                <div class="comment">{raw(cm.content_html)}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </StudioLayout>
  );
}

/** The owner's log of activities received (and applied), newest first. */
export function ActivityLogPage({ env, entries }: { env: PageEnv; entries: InboxLogRow[] }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('federation.activity')}>
      <h1>{t('federation.activity')}</h1>
      {entries.length === 0 ? <p>{t('federation.none')}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('federation.type')}</th>
              <th scope="col">{t('federation.actor')}</th>
              <th scope="col">{t('federation.object')}</th>
              <th scope="col">{t('federation.when')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.type}</td>
                <td>{e.actor_uri}</td>
                <td>{e.object_uri ?? ''}</td>
                <td><time datetime={e.received_at.toISOString()}>{e.received_at.toISOString()}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StudioLayout>
  );
}
