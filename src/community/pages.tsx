import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Field, FormErrors, type FieldState } from '../core/http/fields.js';
import { CsrfField, Layout, Notice, type PageEnv } from '../core/http/layout.js';
import { isMessageKey, type MessageKey } from '../core/i18n/index.js';
import { StudioLayout } from '../studio/index.js';
import type { CommunitySettingsRow } from './comment-queries.js';
import type { ThreadEntry } from './comments.js';
import type { DeliveryStatus } from './delivery-queries.js';
import type { FollowerChoices } from './follower-queries.js';
import type { PostRow } from './post-queries.js';

/** The Follow box of channel and watch pages: one click when signed in, else an e-mail address or a fediverse handle. */
export function FollowBox({ env, channel, following, state, showEmail }: { env: PageEnv; channel: { handle: string; name: string }; following: boolean; state?: FieldState; showEmail?: boolean }) {
  const { t } = env;
  const s = state ?? {};
  const base = `/c/${channel.handle}`;
  return (
    <section class="follow-box" aria-labelledby={`follow-${channel.handle}`}>
      <h2 id={`follow-${channel.handle}`}>{t('community.follow_heading', { channel: channel.name })}</h2>
      <Notice env={env} messageKey={[communityNotice(env.path)].find((k) => k === 'community.followed' || k === 'community.unfollowed')} />
      {env.user && !showEmail ? (
        <form method="post" action={`${base}/follow`}>
          <CsrfField env={env} />
          {following && <input type="hidden" name="stop" value="1" />}
          <button type="submit">{t(following ? 'community.unfollow' : 'community.follow')}</button>
        </form>
      ) : (
        <>
          <FormErrors env={env} state={s} />
          <form method="post" action={`${base}/follow/email`} class="stack">
            <CsrfField env={env} />
            <Field env={env} state={s} name="email" label="community.follow_email" type="email" required autocomplete="email" maxlength={254} />
            <label>
              <input type="checkbox" name="consent" required aria-invalid={s.errors?.consent ? 'true' : undefined} /> {t('community.consent', { channel: channel.name })}
            </label>
            {s.errors?.consent && <p class="error" role="alert">{t(s.errors.consent)}</p>}
            <button type="submit">{t('community.follow_by_email')}</button>
          </form>
        </>
      )}
      <form method="post" action={`${base}/follow/remote`} class="stack">
        <CsrfField env={env} />
        <Field env={env} state={s} name="handle" label="community.follow_remote" hint="community.follow_remote_hint" maxlength={300} />
        <button type="submit">{t('community.follow_remote_button')}</button>
      </form>
      <p class="feeds">
        <a href={`/c/${channel.handle}/feed.rss`}>{t('community.rss')}</a>
      </p>
    </section>
  );
}

function Entry({ env, entry, canReply, action, blockAction }: { env: PageEnv; entry: ThreadEntry; canReply: boolean; action: string; blockAction?: string }): Child {
  const { t } = env;
  return (
    <li class={`comment comment-${entry.origin}`} id={entry.origin === 'local' ? `comment-${entry.id}` : undefined}>
      <p class="comment-meta">
        {entry.authorUrl ? <a href={entry.authorUrl} rel="nofollow ugc noopener">{entry.author}</a> : <strong>{entry.author}</strong>}
        {entry.byTeam && <span class="badge badge-creator"> {t('community.badge_creator')}</span>}
        {entry.badge && <span class="badge badge-member"> {t('community.badge_member', { tier: entry.badge })}</span>}
        {entry.origin === 'remote' && <span class="badge"> {t('community.badge_fediverse')}</span>}{' '}
        <time datetime={entry.at.toISOString()}>{new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(entry.at)}</time>
        {entry.held && <em> {t('community.comment_waiting')}</em>}
      </p>
      {entry.deleted ? <p class="empty">{t('community.comment_deleted')}</p> : <div class="comment-body">{raw(entry.html)}</div>}
      {entry.mine && !entry.deleted && (
        <form method="post" action={`/comments/${entry.id}/delete`} class="inline">
          <CsrfField env={env} />
          <button type="submit" class="link-button">{t('community.comment_delete')}</button>
        </form>
      )}
      {entry.editable && (
        <details>
          <summary>{t('community.comment_edit')}</summary>
          <form method="post" action={`/comments/${entry.id}/edit`} class="stack">
            <CsrfField env={env} />
            <textarea name="body" rows={3} maxlength={5000} aria-label={t('community.comment_edit')} required></textarea>
            <button type="submit">{t('form.save')}</button>
          </form>
        </details>
      )}
      {blockAction && entry.origin === 'local' && !entry.byTeam && (
        <form method="post" action={blockAction} class="inline">
          <CsrfField env={env} />
          <input type="hidden" name="comment_id" value={entry.id} />
          <button type="submit" class="link-button">{t('community.block_author')}</button>
        </form>
      )}
      {env.user && !entry.mine && entry.origin === 'local' && !entry.held && !entry.deleted && <ReportForm env={env} action={`/comments/${entry.id}/report`} />}
      {canReply && entry.origin === 'local' && !entry.held && !entry.deleted && (
        <details>
          <summary>{t('community.reply')}</summary>
          <form method="post" action={action} class="stack">
            <CsrfField env={env} />
            <input type="hidden" name="parent_id" value={entry.id} />
            <textarea name="body" rows={3} maxlength={5000} aria-label={t('community.reply')} required></textarea>
            <button type="submit">{t('community.reply')}</button>
          </form>
        </details>
      )}
      {entry.replies.length > 0 && (
        <ol class="comment-replies">
          {entry.replies.map((r) => (
            <Entry env={env} entry={r} canReply={canReply} action={action} blockAction={blockAction} />
          ))}
        </ol>
      )}
    </li>
  );
}

/** The report button: why, for the channel's team. */
function ReportForm({ env, action }: { env: PageEnv; action: string }) {
  const { t } = env;
  return (
    <details class="report">
      <summary>{t('community.report')}</summary>
      <form method="post" action={action} class="stack">
        <CsrfField env={env} />
        <input type="text" name="reason" required maxlength={1000} aria-label={t('community.report_reason')} placeholder={t('community.report_reason')} />
        <button type="submit">{t('community.report_send')}</button>
      </form>
    </details>
  );
}

/** The community's notice named by `?notice=<name>` in an address (`community.<name>`), if it is one. */
export function communityNotice(pathWithQuery: string): MessageKey | undefined {
  const name = new URLSearchParams(pathWithQuery.split('?')[1]?.split('#')[0] ?? '').get('notice');
  const key = name && /^[a-z_]{1,40}$/.test(name) ? `community.${name}` : undefined;
  return key && isMessageKey(key) ? key : undefined;
}

/**
 * The comment thread under a video or a post, and the form to write one: `page` is its page's path,
 * `action` where comments are posted.
 */
export function CommentsSection({ env, page, action, blockAction, thread, count, policy, state }: { env: PageEnv; page: string; action: string; blockAction?: string; thread: ThreadEntry[]; count: number; policy: CommunitySettingsRow['comment_policy']; state?: FieldState }) {
  const { t } = env;
  const s = state ?? {};
  const canWrite = policy !== 'closed' && env.user !== null;
  return (
    <section class="comments" aria-labelledby="comments-heading" id="comments">
      <h2 id="comments-heading">{t('community.comments_count', { count })}</h2>
      <Notice env={env} messageKey={communityNotice(env.path)} />
      {thread.length === 0 ? <p class="empty">{t('community.no_comments')}</p> : (
        <ol class="comment-thread">
          {thread.map((e) => (
            <Entry env={env} entry={e} canReply={canWrite} action={action} blockAction={blockAction} />
          ))}
        </ol>
      )}
      {policy === 'closed' ? <p>{t('community.comments_closed')}</p> : env.user ? (
        <form method="post" action={action} class="stack">
          <CsrfField env={env} />
          <FormErrors env={env} state={s} />
          <Field env={env} state={s} name="body" label="community.comment_label" hint="community.comment_hint" multiline required maxlength={5000} />
          {policy === 'members' && <p class="hint">{t('community.comments_members_only')}</p>}
          <button type="submit">{t('community.comment_submit')}</button>
        </form>
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(`${page}#comments`)}`}>{t('community.comment_login')}</a>
        </p>
      )}
    </section>
  );
}

/** The channel's "Posts" section: public posts in full, members' posts by title. */
export function PostsSection({ env, handle, posts }: { env: PageEnv; handle: string; posts: PostRow[] }) {
  const { t } = env;
  if (posts.length === 0) return null;
  return (
    <section aria-labelledby="posts-heading" class="posts">
      <h2 id="posts-heading">{t('community.posts')}</h2>
      <ul>
        {posts.map((p) => (
          <li>
            <a href={`/c/${handle}/posts/${p.slug}`}>{p.title}</a>
            {p.audience !== 'public' && <span class="badge"> {t(p.audience === 'members' ? 'community.members_only' : 'community.backers_only')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A post's page; locked, it says who it is for and links to the membership or the campaign page. */
export function PostPage({ env, handle, channelName, post, locked, comments, campaignPath }: { env: PageEnv; handle: string; channelName: string; post: PostRow; locked: boolean; comments?: Child; campaignPath?: string }) {
  const { t } = env;
  return (
    <Layout env={env} title={`${post.title} · ${channelName}`}>
      <Notice env={env} messageKey={communityNotice(env.path)} />
      <p>
        <a href={`/c/${handle}`}>{channelName}</a>
      </p>
      <article>
        <h1>{post.title}</h1>
        <p class="meta">
          <time datetime={post.published_at.toISOString()}>{new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' }).format(post.published_at)}</time>
        </p>
        {locked ? (
          <p>
            {post.audience === 'backers'
              ? <>{t('community.post_locked_backers')} {campaignPath && <a href={campaignPath}>{t('community.see_campaign')}</a>}</>
              : <>{t('community.post_locked')} <a href={`/c/${handle}/membership`}>{t('community.become_member')}</a></>}
          </p>
        ) : (
          <div class="post-body">{raw(post.body_html)}</div>
        )}
      </article>
      {!locked && env.user && <ReportForm env={env} action={`/c/${handle}/posts/${post.slug}/report`} />}
      {!locked && comments}
    </Layout>
  );
}

/** A one-message page with an optional single-button form (confirm, unsubscribe, remote follow). */
export function MessagePage({ env, title, text, action, button, extra, notice }: { env: PageEnv; title: MessageKey; text: string; action?: string; button?: MessageKey; extra?: Child; notice?: MessageKey }) {
  const { t } = env;
  return (
    <Layout env={env} title={t(title)}>
      <Notice env={env} messageKey={notice} />
      <h1>{t(title)}</h1>
      <p role="status">{text}</p>
      {action && button && (
        <form method="post" action={action}>
          <CsrfField env={env} />
          <button type="submit">{t(button)}</button>
        </form>
      )}
      {extra}
    </Layout>
  );
}

/** What a follower receives, as checkboxes (shown after confirming, and from every e-mail's link). */
export function ChoicesForm({ env, action, choices }: { env: PageEnv; action: string; choices: FollowerChoices }) {
  const { t } = env;
  const box = (name: keyof FollowerChoices, label: MessageKey) => (
    <label>
      <input type="checkbox" name={name} checked={choices[name]} /> {t(label)}
    </label>
  );
  return (
    <form method="post" action={action} class="stack">
      <CsrfField env={env} />
      <fieldset>
        <legend>{t('community.choices')}</legend>
        {box('videos', 'community.choice_videos')}
        {box('posts', 'community.choice_posts')}
        {box('campaigns', 'community.choice_campaigns')}
        {box('members', 'community.choice_members')}
      </fieldset>
      <button type="submit">{t('form.save')}</button>
    </form>
  );
}

/** The Studio's page to edit a post's title and text, or delete it. */
export function PostEditPage({ env, handle, post, state }: { env: PageEnv; handle: string; post: PostRow; state: FieldState }) {
  const { t } = env;
  const action = `/studio/channels/${handle}/posts/${post.id}`;
  return (
    <StudioLayout env={env} title={t('community.post_edit_title', { title: post.title })}>
      <p><a href={`/studio/channels/${handle}/community`}>{t('community.studio_title')}</a></p>
      <h1>{t('community.post_edit_title', { title: post.title })}</h1>
      <FormErrors env={env} state={state} />
      <form method="post" action={action} class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="title" label="community.post_title" required maxlength={200} initial={post.title} />
        <Field env={env} state={state} name="body" label="community.post_body" hint="community.post_edit_hint" multiline required initial={post.body} />
        <button type="submit">{t('form.save')}</button>
      </form>
      <form method="post" action={`${action}/delete`} class="stack">
        <CsrfField env={env} />
        <button type="submit" class="danger">{t('community.post_delete')}</button>
      </form>
    </StudioLayout>
  );
}
