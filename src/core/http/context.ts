import type { Context } from 'hono';
import type { Locale, Translate } from '../i18n/index.js';
import type { Area } from '../module.js';
import { hasControlCharacters } from './text.js';

/** The signed-in person, as every page and route sees them. */
export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  siteRole: 'owner' | 'member';
  language: Locale | null;
  hasPassword: boolean;
}

/** Hono environment shared by every route: what the core middleware puts on the context. */
export type AppEnv = {
  Variables: {
    locale: Locale;
    t: Translate;
    user: CurrentUser | null;
    sessionTokenHash: string | null;
    csrfToken: string;
    /** The site once set up; null before the first-run setup. */
    site: { name: string } | null;
    /** The area of the route group handling the request (unset when no route matched). */
    area: Area | undefined;
    /** The route group wants errors as JSON (upload endpoints called by scripts). */
    jsonErrors: boolean | undefined;
  };
};

export type AppContext = Context<AppEnv>;

/** A relative path inside this site, or the fallback: never an open redirect. */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Browsers drop tabs and newlines from a Location, so `/\t/host` would leave the site.
  if (value.length > 512 || hasControlCharacters(value, 'line')) return fallback;
  return value;
}
