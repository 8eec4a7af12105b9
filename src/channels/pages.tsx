import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { CsrfField, Layout, Notice, type PageEnv } from '../core/http/layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { renderMarkdown } from '../core/markdown.js';
import type { ChannelRow, TeamInvitationRow } from './queries.js';

/** The two sizes avatars are shown at; the placeholder's size is a class, since the CSP forbids inline styles. */
type AvatarSize = 96 | 48;

function Avatar({ channel, size = 96 }: { channel: ChannelRow; size?: AvatarSize }) {
  if (!channel.avatar_key) {
    return (
      <span class={`avatar avatar-placeholder avatar-${size}`} aria-hidden="true">
        {channel.name.slice(0, 1).toUpperCase()}
      </span>
    );
  }
  return <img class="avatar" src={`/media/${channel.avatar_key}`} alt="" width={size} height={size} />;
}

function ChannelHeader({ env, channel, current, actions }: { env: PageEnv; channel: ChannelRow; current: 'home' | 'about'; actions?: Child }) {
  const { t } = env;
  return (
    <header class="channel-header">
      <Avatar channel={channel} />
      <div>
        <h1>{channel.name}</h1>
        <p class="handle">@{channel.handle}</p>
      </div>
      {actions && <div class="channel-actions">{actions}</div>}
      <nav aria-label={t('channel.nav_label')} class="tabs">
        <a href={`/c/${channel.handle}`} aria-current={current === 'home' ? 'page' : undefined}>
          {t('channel.tab_home')}
        </a>
        <a href={`/c/${channel.handle}/about`} aria-current={current === 'about' ? 'page' : undefined}>
          {t('channel.tab_about')}
        </a>
        <a href={`/c/${channel.handle}/membership`}>{t('channel.tab_membership')}</a>
      </nav>
    </header>
  );
}

/** First paragraph of the description, for the home page. */
function excerpt(text: string): string {
  return text.split(/\n\s*\n/)[0]!.slice(0, 400);
}

export function ChannelHomePage({ env, channel, head, notice, videos, extras, actions }: { env: PageEnv; channel: ChannelRow; head?: Child; notice?: MessageKey; videos: Child; extras?: Child; actions?: Child }) {
  const { t } = env;
  return (
    <Layout env={env} title={channel.name} head={head}>
      <Notice env={env} messageKey={notice} />
      <ChannelHeader env={env} channel={channel} current="home" actions={actions} />
      {channel.description && (
        <div class="lead description" lang={channel.language}>
          {raw(renderMarkdown(excerpt(channel.description)))}
        </div>
      )}
      <section aria-labelledby="videos-heading">
        <h2 id="videos-heading">{t('channel.videos')}</h2>
        {videos}
      </section>
      {extras}
    </Layout>
  );
}

export function ChannelAboutPage({ env, channel, head, actions }: { env: PageEnv; channel: ChannelRow; head?: Child; actions?: Child }) {
  const { t } = env;
  const since = new Intl.DateTimeFormat(env.locale, { dateStyle: 'long' }).format(channel.created_at);
  return (
    <Layout env={env} title={`${t('channel.tab_about')} · ${channel.name}`} head={head}>
      <ChannelHeader env={env} channel={channel} current="about" actions={actions} />
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">{t('channel.about_heading', { name: channel.name })}</h2>
        <div class="description" lang={channel.language}>
          {channel.description ? raw(renderMarkdown(channel.description)) : <p class="empty">{t('channel.no_description')}</p>}
        </div>
        <dl>
          <dt>{t('channel.language')}</dt>
          <dd>{t(`language.${channel.language}`)}</dd>
          <dt>{t('channel.since')}</dt>
          <dd>{since}</dd>
        </dl>
      </section>
    </Layout>
  );
}

export function ChannelListPage({ env, channels, notice }: { env: PageEnv; channels: ChannelRow[]; notice?: MessageKey }) {
  const { t } = env;
  return (
    <Layout env={env} title={env.siteName}>
      <Notice env={env} messageKey={notice} />
      <h1>{env.siteName}</h1>
      <h2>{t('channel.list_heading')}</h2>
      <ul class="channel-list">
        {channels.map((channel) => (
          <li>
            <a href={`/c/${channel.handle}`}>
              <Avatar channel={channel} size={48} />
              <span>{channel.name}</span>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** A team invitation, opened from its e-mail: a button to accept (a link alone must not change anything). */
export function TeamInvitationPage({ env, channel, invitation, token }: { env: PageEnv; channel: ChannelRow; invitation: TeamInvitationRow; token: string }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('channel.invitation_title', { channel: channel.name })}>
      <h1>{t('channel.invitation_title', { channel: channel.name })}</h1>
      <p>{t('channel.invitation_intro', { channel: channel.name, role: invitation.role })}</p>
      <form method="post" action={`/team-invitations/${token}`}>
        <CsrfField env={env} />
        <button type="submit">{t('channel.invitation_accept')}</button>
      </form>
    </Layout>
  );
}
