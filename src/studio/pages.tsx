import type { Child } from 'hono/jsx';
import type { ChannelRole, ChannelRow, TeamInvitationRow, TeamMemberRow } from '../channels/index.js';
import { Field, FormErrors, LanguageSelect, type FieldState } from '../core/http/fields.js';
import { CsrfField, Notice, type PageEnv } from '../core/http/layout.js';
import { StudioLayout } from './layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { entriesFor, type StudioFirstStep, type StudioMenuEntry, type StudioSiteLink } from './menu.js';

export function StudioHomePage({
  env,
  channels,
  canCreateChannel,
  menu,
  siteLinks,
  notice,
  diskWarning,
  header,
  firstSteps = [],
}: {
  env: PageEnv;
  /** The first-run checklist of each channel that still has steps to do. */
  firstSteps?: { channel: ChannelRow; steps: { step: StudioFirstStep; done: boolean }[] }[];
  /** What capabilities put at the top (the notifications' bell). */
  header?: Child;
  channels: (ChannelRow & { role: ChannelRole })[];
  canCreateChannel: boolean;
  /** Each channel's Studio pages, contributed by the capabilities (see studio/index.ts). */
  menu: readonly StudioMenuEntry[];
  /** Site-wide pages, for the owner. */
  siteLinks: readonly StudioSiteLink[];
  notice?: MessageKey;
  /** Said to the owner when the data folder's disk runs low. */
  diskWarning?: string;
}) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('studio.title')}>
      <h1>{t('studio.title')}</h1>
      {header}
      <Notice env={env} messageKey={notice} />
      {diskWarning ? (
        <p class="notice notice-error" role="alert">
          {diskWarning}
        </p>
      ) : null}
      {firstSteps.map(({ channel, steps }) => (
        <section class="first-steps" aria-labelledby={`first-steps-${channel.handle}`}>
          <h2 id={`first-steps-${channel.handle}`}>{t('studio.first_steps', { name: channel.name, done: steps.filter((s) => s.done).length, total: steps.length })}</h2>
          <ol>
            {steps.map(({ step, done }) => (
              <li class={done ? 'done' : undefined}>
                <span aria-hidden="true">{done ? '✓ ' : '○ '}</span>
                <span class="visually-hidden">{t(done ? 'studio.step_done' : 'studio.step_todo')} </span>
                {done ? t(step.label) : <a href={step.href(channel.handle)}>{t(step.label)}</a>}
              </li>
            ))}
          </ol>
        </section>
      ))}
      <section aria-labelledby="channels-heading">
        <h2 id="channels-heading">{t('studio.your_channels')}</h2>
        <table>
          <caption class="visually-hidden">{t('studio.your_channels')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('channel.name')}</th>
              <th scope="col">{t('studio.role')}</th>
              <th scope="col">{t('studio.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {channels.map((ch) => (
              <tr>
                <td>
                  <a href={`/c/${ch.handle}`}>{ch.name}</a> <span class="handle">@{ch.handle}</span>
                </td>
                <td>{t(`role.${ch.role}`)}</td>
                <td>
                  {entriesFor(menu, ch.role)
                    .map((entry, i) => (
                      <>
                        {i > 0 && ' · '}
                        <a href={entry.href(ch.handle)}>{t(entry.label)}</a>
                      </>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {siteLinks.length > 0 && (
          <nav aria-labelledby="site-pages-heading">
            <h2 id="site-pages-heading">{t('studio.site_pages')}</h2>
            <ul>
              {siteLinks.map((link) => (
                <li>
                  <a href={link.href}>{t(link.label)}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {canCreateChannel && (
          <p>
            <a class="button" href="/studio/channels/new">
              {t('studio.new_channel')}
            </a>
          </p>
        )}
      </section>
    </StudioLayout>
  );
}

export function NewChannelPage({ env, state }: { env: PageEnv; state: FieldState }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('studio.new_channel')}>
      <h1>{t('studio.new_channel')}</h1>
      <FormErrors env={env} state={state} />
      <form method="post" action="/studio/channels/new" enctype="multipart/form-data" class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="channel_name" label="channel.name" required maxlength={80} />
        <Field env={env} state={state} name="handle" label="channel.handle" hint="channel.handle_hint" required maxlength={30} />
        <Field env={env} state={state} name="description" label="channel.description" multiline maxlength={5000} />
        <LanguageSelect env={env} state={state} name="channel_language" label="channel.language" />
        <Field env={env} state={state} name="avatar" label="channel.avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp" hint="channel.avatar_hint" />
        <button type="submit">{t('studio.create')}</button>
      </form>
    </StudioLayout>
  );
}

export function ChannelSettingsPage({ env, channel, state, notice }: { env: PageEnv; channel: ChannelRow; state: FieldState; notice?: MessageKey }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('studio.settings_of', { name: channel.name })}>
      <h1>{t('studio.settings_of', { name: channel.name })}</h1>
      <Notice env={env} messageKey={notice} />
      <FormErrors env={env} state={state} />
      <form method="post" action={`/studio/channels/${channel.handle}`} enctype="multipart/form-data" class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="channel_name" label="channel.name" required initial={channel.name} maxlength={80} />
        <Field env={env} state={state} name="description" label="channel.description" multiline initial={channel.description} maxlength={5000} />
        <LanguageSelect env={env} state={state} name="channel_language" label="channel.language" initial={channel.language} />
        <Field env={env} state={state} name="avatar" label="channel.avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp" hint="channel.avatar_hint" />
        <button type="submit">{t('form.save')}</button>
      </form>
    </StudioLayout>
  );
}

export function TeamPage({ env, channel, team, invitations, state, notice }: { env: PageEnv; channel: ChannelRow; team: TeamMemberRow[]; invitations: TeamInvitationRow[]; state: FieldState; notice?: MessageKey }) {
  const { t } = env;
  const role = state.values?.['role'] ?? 'editor';
  return (
    <StudioLayout env={env} title={t('studio.team_of', { name: channel.name })}>
      <h1>{t('studio.team_of', { name: channel.name })}</h1>
      <Notice env={env} messageKey={notice} />
      <ul class="team">
        {team.map((m) => (
          <li>
            <span>
              {m.display_name} ({m.email}) — {t(`role.${m.role}`)}
            </span>
            <form method="post" action={`/studio/channels/${channel.handle}/team/${m.user_id}/remove`}>
              <CsrfField env={env} />
              <button type="submit" class="link-button" aria-label={t('studio.remove_member', { name: m.display_name })}>
                {t('studio.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {invitations.length > 0 && (
        <>
          <h2>{t('studio.invitations_pending')}</h2>
          <ul class="team invitations">
            {invitations.map((i) => (
              <li>{t('studio.invitation_line', { email: i.email, role: i.role, date: new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(i.created_at) })}</li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('studio.add_member')}</h2>
      <p>{t('studio.add_member_explain')}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action={`/studio/channels/${channel.handle}/team`} class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="email" label="account.email" type="email" required maxlength={254} />
        <div class="field">
          <label for="field-role">{t('studio.role')}</label>
          <select id="field-role" name="role">
            <option value="editor" selected={role === 'editor'}>
              {t('role.editor')}
            </option>
            <option value="admin" selected={role === 'admin'}>
              {t('role.admin')}
            </option>
          </select>
        </div>
        <button type="submit">{t('studio.add')}</button>
      </form>
    </StudioLayout>
  );
}
