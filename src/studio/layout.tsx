import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../core/http/context.js';
import { Layout, type PageEnv } from '../core/http/layout.js';
import { entriesFor, type StudioMenuEntry, type StudioSiteLink } from './menu.js';

interface StudioMenus {
  channel(): readonly StudioMenuEntry[];
  site(): readonly StudioSiteLink[];
  /** The user's role on the channel with this handle (admin for the site owner), none for a stranger. */
  roleOn(user: CurrentUser | null, handle: string): Promise<'admin' | 'editor' | undefined>;
}

/**
 * The menus the sidebar shows, filled from the `studio.channel-menu` and `studio.site-menu` slots when the
 * Studio's routes are built (StudioLayout is called by every capability's Studio pages, which hold no slots).
 */
let menus: StudioMenus = { channel: () => [], site: () => [], roleOn: async () => undefined };
export function provideStudioMenus(provided: StudioMenus): void {
  menus = provided;
}

/** The channel a Studio address is about (`/studio/channels/:handle/…`), if any. */
function channelOfPath(path: string): string | undefined {
  const handle = /^\/studio\/channels\/([^/?#]+)/.exec(path)?.[1];
  return handle && handle !== 'new' ? decodeURIComponent(handle) : undefined;
}

/**
 * The Studio frame: a sidebar with the sections of the current channel the user may open (videos, money,
 * members, tips, recommendations, fediverse, settings…, as the capabilities contribute them, each for the
 * least role it declares: an editor sees no admin section) and the owner's site pages.
 * Pages outside `/studio/channels/:handle` name their channel with `channel` (a video's page does).
 * The sections still check rights themselves.
 */
export async function StudioLayout({ env, title, children, channel }: { env: PageEnv; title: string; children: Child; channel?: string }) {
  const { t } = env;
  const here = env.path.split('?')[0]!;
  const handle = channel ?? channelOfPath(here);
  const current = (href: string) => (here === href ? 'page' : undefined);
  const site = env.user?.siteRole === 'owner' ? menus.site() : [];
  const sections = handle ? entriesFor(menus.channel(), await menus.roleOn(env.user, handle)) : [];
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
          {sections.length > 0 && (
            <>
              <p class="studio-nav-heading">@{handle}</p>
              <ul>
                {sections.sort((a, b) => a.order - b.order).map((entry) => (
                  <li>
                    <a href={entry.href(handle!)} aria-current={current(entry.href(handle!))}>
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
