import { CsrfField, Notice, type PageEnv } from '../core/http/layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { StudioLayout } from '../studio/index.js';
import type { EmailMode, NotificationRow } from './queries.js';

/** The Studio's bell: a link to the notifications, with the unread count. */
export function Bell({ env, unread }: { env: PageEnv; unread: number }) {
  return (
    <p class="studio-bell">
      <a href="/studio/notifications">
        <span aria-hidden="true">🔔 </span>
        {env.t('notification.bell', { count: unread })}
      </a>
    </p>
  );
}

export interface NotificationItem extends NotificationRow {
  text: string;
  channel: string;
}

export function NotificationsPage({
  env,
  items,
  unread,
  settings,
  notice,
}: {
  env: PageEnv;
  items: NotificationItem[];
  unread: number;
  settings: { handle: string; name: string; email: EmailMode }[];
  notice?: MessageKey;
}) {
  const { t } = env;
  const when = new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <StudioLayout env={env} title={t('notification.title')}>
      <h1>{t('notification.title')}</h1>
      <Notice env={env} messageKey={notice} />
      <p role="status">{t('notification.unread', { count: unread })}</p>
      {items.length === 0 ? (
        <p class="empty">{t('notification.none')}</p>
      ) : (
        <ul class="notifications">
          {items.map((n) => (
            <li class={n.read_at ? undefined : 'unread'}>
              <time datetime={n.created_at.toISOString()}>{when.format(n.created_at)}</time> · <span class="channel">{n.channel}</span> ·{' '}
              {n.link ? <a href={n.link}>{n.text}</a> : n.text}
            </li>
          ))}
        </ul>
      )}
      {settings.length > 0 && (
        <section aria-labelledby="notification-email-heading">
          <h2 id="notification-email-heading">{t('notification.email_heading')}</h2>
          {settings.map((s) => (
            <form method="post" action="/studio/notifications/settings" class="stack">
              <CsrfField env={env} />
              <input type="hidden" name="channel" value={s.handle} />
              <fieldset>
                <legend>{s.name}</legend>
                {(['immediate', 'digest', 'off'] as const).map((mode) => (
                  <label class="choice">
                    <input type="radio" name="email" value={mode} checked={s.email === mode} /> {t(`notification.email_${mode}`)}
                  </label>
                ))}
              </fieldset>
              <button type="submit">{t('notification.email_save')}</button>
            </form>
          ))}
        </section>
      )}
    </StudioLayout>
  );
}
