import { raw } from 'hono/html';
import type { ChannelRow } from '../channels/index.js';
import { CsrfField, type PageEnv } from '../core/http/layout.js';
import type { Locale } from '../core/i18n/index.js';
import { StudioLayout } from '../studio/index.js';
import type { CommentRow, FollowerRow, FollowingRow, InboxLogRow, RemoteVideoRow } from './queries.js';

/**
 * This page's words. They belong in the core catalogs (core/i18n/messages) with the `federation.` prefix;
 * kept here until that file can be edited, in both languages so the page is never half-translated.
 */
const WORDS = {
  en: {
    title: 'Fediverse',
    intro: 'People on PeerTube, Mastodon and other fediverse sites can follow this channel as @{handle}@{host}.',
    followers: 'Followers',
    following: 'Following',
    follow_label: 'Follow a channel or account (its address or @user@host)',
    follow: 'Follow',
    unfollow: 'Unfollow',
    pending: 'waiting for acceptance',
    remote_videos: 'From the fediverse',
    held_comments: 'Replies held for review',
    none: 'None yet.',
    activity: 'Received from the fediverse',
    type: 'Activity',
    actor: 'From',
    object: 'About',
    when: 'Received',
  },
  fr: {
    title: 'Fédivers',
    intro: 'Sur PeerTube, Mastodon et les autres sites du fédivers, on peut suivre cette chaîne sous le nom @{handle}@{host}.',
    followers: 'Abonnés',
    following: 'Abonnements',
    follow_label: 'Suivre une chaîne ou un compte (son adresse ou @utilisateur@serveur)',
    follow: 'Suivre',
    unfollow: 'Ne plus suivre',
    pending: 'en attente d’acceptation',
    remote_videos: 'Venues du fédivers',
    held_comments: 'Réponses en attente de modération',
    none: 'Rien pour l’instant.',
    activity: 'Reçu du fédivers',
    type: 'Activité',
    actor: 'De',
    object: 'Sur',
    when: 'Reçue',
  },
} satisfies Record<Locale, Record<string, string>>;

export interface FediversePageProps {
  env: PageEnv;
  channel: ChannelRow;
  host: string;
  followers: FollowerRow[];
  following: FollowingRow[];
  remoteVideos: RemoteVideoRow[];
  heldComments: CommentRow[];
}

/** The Studio's fediverse page of a channel: who follows it, whom it follows, what came in. */
export function FediversePage({ env, channel, host, followers, following, remoteVideos, heldComments }: FediversePageProps) {
  const w = WORDS[env.locale] ?? WORDS.en;
  const none = <p>{w.none}</p>;
  return (
    <StudioLayout env={env} title={`${w.title} · ${channel.name}`}>
      <h1>{`${w.title} · ${channel.name}`}</h1>
      <p>{w.intro.replace('{handle}', channel.handle).replace('{host}', host)}</p>
      <section aria-labelledby="following-heading">
        <h2 id="following-heading">{w.following}</h2>
        <form method="post" action={`/studio/channels/${channel.handle}/follow`}>
          <CsrfField env={env} />
          <label for="follow-uri">{w.follow_label}</label>
          <input id="follow-uri" name="uri" type="text" required maxlength={2000} />
          <button type="submit">{w.follow}</button>
        </form>
        {following.length === 0 ? none : (
          <ul>
            {following.map((f) => (
              <li>
                <a href={f.actor_uri} rel="nofollow noopener">{f.actor_uri}</a> {f.status === 'pending' ? `(${w.pending})` : ''}
                <form method="post" action={`/studio/channels/${channel.handle}/unfollow`} class="inline">
                  <CsrfField env={env} />
                  <input type="hidden" name="uri" value={f.actor_uri} />
                  <button type="submit">{w.unfollow}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="followers-heading">
        <h2 id="followers-heading">{`${w.followers} (${followers.length})`}</h2>
        {followers.length === 0 ? none : <ul>{followers.map((f) => <li><a href={f.actor_uri} rel="nofollow noopener">{f.actor_uri}</a></li>)}</ul>}
      </section>
      <section aria-labelledby="remote-heading">
        <h2 id="remote-heading">{w.remote_videos}</h2>
        {remoteVideos.length === 0 ? none : (
          <ul>{remoteVideos.map((v) => <li><a href={v.watch_url ?? v.object_uri} rel="nofollow noopener">{v.name}</a></li>)}</ul>
        )}
      </section>
      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">{w.held_comments}</h2>
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
  const w = WORDS[env.locale] ?? WORDS.en;
  return (
    <StudioLayout env={env} title={w.activity}>
      <h1>{w.activity}</h1>
      {entries.length === 0 ? <p>{w.none}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{w.type}</th>
              <th scope="col">{w.actor}</th>
              <th scope="col">{w.object}</th>
              <th scope="col">{w.when}</th>
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
