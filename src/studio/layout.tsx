import type { Child } from 'hono/jsx';
import { Layout, type PageEnv } from '../core/http/layout.js';
import type { StudioMenuEntry, StudioSiteLink } from './menu.js';

interface StudioMenus {
  channel(): readonly StudioMenuEntry[];
  site(): readonly StudioSiteLink[];
}

/**
 * The menus the sidebar shows, filled from the `studio.channel-menu` and `studio.site-menu` slots when the
 * Studio's routes are built (StudioLayout is called by every capability's Studio pages, which hold no slots).
 */
let menus: StudioMenus = { channel: () => [], site: () => [] };
export function provideStudioMenus(provided: StudioMenus): void {
  menus = provided;
}

/** The channel a Studio address is about (`/studio/channels/:handle/…`), if any. */
function channelOfPath(path: string): string | undefined {
  const handle = /^\/studio\/channels\/([^/?#]+)/.exec(path)?.[1];
  return handle && handle !== 'new' ? decodeURIComponent(handle) : undefined;
}

/**
 * The Studio frame: a sidebar with every section of the current channel (videos, money, members, tips,
 * recommendations, fediverse, settings…, as the capabilities contribute them) and the owner's site pages.
 * Pages outside `/studio/channels/:handle` name their channel with `channel` (a video's page does).
 * The sections each check rights themselves.
 */
export function StudioLayout({ env, title, children, channel }: { env: PageEnv; title: string; children: Child; channel?: string }) {
  const { t } = env;
  const here = env.path.split('?')[0]!;
  const handle = channel ?? channelOfPath(here);
  const current = (href: string) => (here === href ? 'page' : undefined);
  const site = env.user?.siteRole === 'owner' ? menus.site() : [];
  return (
    <Layout env={env} title={title}>
      <div class="studio">
        <nav aria-label={t('studio.nav_label')} class="studio-nav">
          <ul>
            <li>
              <a href="/studio" aria-current={current('/studio')}>
                {t('studio.overview')}
              </a>
            </li>
          </ul>
          {handle && (
            <>
              <p class="studio-nav-heading">@{handle}</p>
              <ul>
                {[...menus.channel()].sort((a, b) => a.order - b.order).map((entry) => (
                  <li>
                    <a href={entry.href(handle)} aria-current={current(entry.href(handle))}>
                      {t(entry.label)}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
          {site.length > 0 && (
            <>
              <p class="studio-nav-heading">{t('studio.site_pages')}</p>
              <ul>
                {site.map((link) => (
                  <li>
                    <a href={link.href} aria-current={current(link.href)}>
                      {t(link.label)}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </nav>
        <div class="studio-body">{children}</div>
      </div>
    </Layout>
  );
}
