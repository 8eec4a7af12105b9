import type { Child } from 'hono/jsx';
import { Layout, type PageEnv } from '../core/http/layout.js';

/** The Studio frame: its own navigation beside the page; later capabilities add their sections here. */
export function StudioLayout({ env, title, children }: { env: PageEnv; title: string; children: Child }) {
  const { t } = env;
  return (
    <Layout env={env} title={title}>
      <div class="studio">
        <nav aria-label={t('studio.nav_label')} class="studio-nav">
          <ul>
            <li>
              <a href="/studio" aria-current={env.path.split('?')[0] === '/studio' ? 'page' : undefined}>
                {t('studio.overview')}
              </a>
            </li>
          </ul>
        </nav>
        <div class="studio-body">{children}</div>
      </div>
    </Layout>
  );
}

