import { raw } from 'hono/html';
import type { ChannelRow } from '../channels/index.js';
import { CsrfField, Notice, type PageEnv } from '../core/http/layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { StudioLayout } from '../studio/index.js';
import type { HeldItem, ModerationSource } from './sources.js';

export function ModerationPage({ env, channel, lists, notice }: { env: PageEnv; channel: ChannelRow; lists: { source: ModerationSource; items: HeldItem[] }[]; notice?: MessageKey }) {
  const { t } = env;
  const title = `${t('moderation.title')} · ${channel.name}`;
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <Notice env={env} messageKey={notice} />
      <p>{t('moderation.intro')}</p>
      {lists.map(({ source, items }) => (
        <section aria-labelledby={`held-${source.kind}`}>
          <h2 id={`held-${source.kind}`}>{t(source.label)}</h2>
          {items.length === 0 ? (
            <p>{t('moderation.none')}</p>
          ) : (
            <ul class="moderation-list">
              {items.map((item) => (
                <li>
                  <p>
                    {item.authorUrl ? (
                      <a href={item.authorUrl} rel="nofollow noopener">
                        {item.author ?? t('moderation.anonymous')}
                      </a>
                    ) : (
                      <strong>{item.author ?? t('moderation.anonymous')}</strong>
                    )}
                    {item.about && <> · {item.about}</>}
                  </p>
                  {/* HTML items were sanitized when stored (federation/inbox.ts). */}
                  <div class="comment">{item.html ? raw(item.text) : item.text}</div>
                  <form method="post" action={`/studio/channels/${channel.handle}/moderation`} class="inline">
                    <CsrfField env={env} />
                    <input type="hidden" name="kind" value={source.kind} />
                    <input type="hidden" name="id" value={item.id} />
                    <button type="submit" name="decision" value="approved">
                      {t('moderation.approve')}
                    </button>{' '}
                    <button type="submit" name="decision" value="rejected" class="link-button">
                      {t('moderation.reject')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </StudioLayout>
  );
}
