import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { assetPath } from './asset-paths.js';
import type { AppContext } from './context.js';

/** What every page needs from the request: language, translator, user, CSRF token. */
export interface PageEnv {
  t: AppContext['var']['t'];
  locale: AppContext['var']['locale'];
  user: AppContext['var']['user'];
  csrfToken: string;
  path: string;
  siteName: string;
  /** The signed-in user may enter the Studio (owner, or admin/editor of a channel). */
  canUseStudio: boolean;
}

export function pageEnv(c: AppContext, canUseStudio = false): PageEnv {
  const url = new URL(c.req.url);
  return {
    t: c.var.t,
    locale: c.var.locale,
    user: c.var.user,
    csrfToken: c.var.csrfToken,
    path: url.pathname + url.search,
    siteName: c.var.site?.name ?? 'Fanfare',
    canUseStudio: canUseStudio || c.var.user?.siteRole === 'owner',
  };
}

/** The hidden field every form post carries. */
export function CsrfField({ env }: { env: PageEnv }) {
  return <input type="hidden" name="_csrf" value={env.csrfToken} />;
}

function LanguageSwitch({ env }: { env: PageEnv }) {
  const other = env.locale === 'fr' ? 'en' : 'fr';
  return (
    <form method="post" action="/language" class="language-switch">
      <CsrfField env={env} />
      <input type="hidden" name="back" value={env.path} />
      <input type="hidden" name="lang" value={other} />
      <button type="submit" lang={other} aria-label={env.t('language.switch_to', { language: env.t(`language.${other}`) })}>
        {env.t(`language.${other}`)}
      </button>
    </form>
  );
}

/** On the search page, the header's box keeps the query that was searched. */
function searchedQuery(path: string): string | undefined {
  const url = new URL(path, 'http://x');
  return url.pathname === '/search' ? (url.searchParams.get('q') ?? undefined) : undefined;
}

/** Where a signed-in fan finds what they paid for: the header's account menu and the account page list these. */
export const FAN_LINKS: readonly (readonly [string, MessageKey])[] = [
  ['/account', 'nav.account_settings'],
  ['/account/memberships', 'nav.memberships'],
  ['/account/tips', 'nav.tips'],
  ['/account/budget', 'nav.budget'],
];

function Header({ env }: { env: PageEnv }) {
  const { t, user } = env;
  return (
    <header class="site-header">
      <a class="site-name" href="/">
        {env.siteName}
      </a>
      <form role="search" method="get" action="/search" class="header-search">
        <label for="header-search" class="visually-hidden">
          {t('search.label')}
        </label>
        <input id="header-search" type="search" name="q" maxlength={200} value={searchedQuery(env.path)} placeholder={t('search.placeholder')} />
      </form>
      <nav aria-label={t('nav.label')}>
        <ul>
          {env.canUseStudio && (
            <li>
              <a href="/studio">{t('nav.studio')}</a>
            </li>
          )}
          {user ? (
            <li>
              <details class="account-menu">
                <summary>{t('nav.account')}</summary>
                <ul>
                  {FAN_LINKS.map(([href, label]) => (
                    <li>
                      <a href={href}>{t(label)}</a>
                    </li>
                  ))}
                  <li>
                    <form method="post" action="/logout">
                      <CsrfField env={env} />
                      <button type="submit" class="link-button">
                        {t('nav.logout')}
                      </button>
                    </form>
                  </li>
                </ul>
              </details>
            </li>
          ) : (
            <>
              <li>
                <a href="/login">{t('nav.login')}</a>
              </li>
              <li>
                <a href="/signup">{t('nav.signup')}</a>
              </li>
            </>
          )}
        </ul>
      </nav>
      <LanguageSwitch env={env} />
    </header>
  );
}

/** Notices shown after a redirect (`?notice=key`); only known keys are shown. */
export function Notice({ env, messageKey, kind = 'info' }: { env: PageEnv; messageKey?: MessageKey; kind?: 'info' | 'error' }) {
  if (!messageKey) return null;
  return (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {env.t(messageKey)}
    </p>
  );
}

/** The accent colour of the stylesheet, for the browser's chrome (theme-color) and the web app manifest. */
export const THEME_COLOR = '#6b2bd9';

/** An HTML document: doctype, language, title, the stylesheet, and whatever else the page puts in <head>. */
export function HtmlDocument({ locale, title, head, bodyClass, children }: { locale: string; title: string; head?: Child; bodyClass?: string; children: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <link rel="stylesheet" href={assetPath('style.css')} />
          <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
          <link rel="manifest" href="/manifest.webmanifest" />
          <meta name="theme-color" content={THEME_COLOR} />
          {head}
        </head>
        <body class={bodyClass}>{children}</body>
      </html>
    </>
  );
}

/** The page shell: landmarks, skip link, header, main, footer. Renders on the server; no script needed. */
export function Layout({ env, title, children, head }: { env: PageEnv; title: string; children: Child; head?: Child }) {
  return (
    <HtmlDocument locale={env.locale} title={title === env.siteName ? title : `${title} · ${env.siteName}`} head={head}>
      <a class="skip-link" href="#main">
        {env.t('nav.skip')}
      </a>
      <Header env={env} />
      <main id="main" tabindex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>{env.t('footer.powered')}</p>
      </footer>
    </HtmlDocument>
  );
}

/** The notice named by `?notice=` when it is a known one (`notice.<name>` in the catalogs). */
export function noticeFrom(c: AppContext): MessageKey | undefined {
  const name = c.req.query('notice');
  if (!name || !/^[a-z_]{1,40}$/.test(name)) return undefined;
  const key = `notice.${name}`;
  return isMessageKey(key) ? key : undefined;
}
