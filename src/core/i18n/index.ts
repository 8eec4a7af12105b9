import { formatMessage } from './format.js';
import { en, type MessageKey } from './messages/en.js';
import { fr } from './messages/fr.js';

export { formatMessage, type MessageValues } from './format.js';

export type { MessageKey } from './messages/en.js';

/** Languages the interface is complete in. */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** A translator bound to one language. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value);
}

/**
 * Returns a translator for `locale`: messages are ICU MessageFormat (see format.ts), so `{name}` is replaced by
 * `vars.name` and `{count, plural, one {# result} other {# results}}` follows the language's plural rules.
 */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, vars) => formatMessage(locale, catalog[key] ?? en[key] ?? key, vars);
}

/** Picks the best supported language from an Accept-Language header (RFC 9110 quality values). */
export function negotiateLocale(header: string | undefined | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** Every catalog's keys, for the completeness test. */
export function catalogKeys(locale: Locale): string[] {
  return Object.keys(catalogs[locale]);
}
