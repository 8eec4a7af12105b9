import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { isLocale, negotiateLocale, translator, type Locale } from '../i18n/index.js';
import type { AppEnv } from './context.js';
import type { CookiePolicy } from './cookies.js';

/**
 * Chooses the interface language: the signed-in user's choice, else the language cookie set by the
 * switch, else Accept-Language, else the site default.
 */
export function localeMiddleware(cookies: CookiePolicy, defaultLocale: Locale) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const fromCookie = getCookie(c, cookies.language);
    const locale =
      c.var.user?.language ??
      (isLocale(fromCookie) ? fromCookie : undefined) ??
      negotiateLocale(c.req.header('accept-language')) ??
      defaultLocale;
    c.set('locale', locale);
    c.set('t', translator(locale));
    c.header('Content-Language', locale);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
    await next();
  });
}
