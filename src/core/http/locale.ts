import type { Context } from 'hono';
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
    const locale = requestLocale(c, cookies, defaultLocale);
    c.set('locale', locale);
    c.set('t', translator(locale));
    c.header('Content-Language', locale);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
    await next();
  });
}

/** The language a request is answered in (see `localeMiddleware`); the page cache keys its pages by it. */
export function requestLocale(c: Context<AppEnv>, cookies: CookiePolicy, defaultLocale: Locale): Locale {
  const fromCookie = getCookie(c, cookies.language);
  return c.var.user?.language ?? (isLocale(fromCookie) ? fromCookie : undefined) ?? negotiateLocale(c.req.header('accept-language')) ?? defaultLocale;
}
