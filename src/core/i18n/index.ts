import { formatMessage } from './format.js';
import { en as coreEn } from './messages/en.js';
import { fr as coreFr } from './messages/fr.js';

export { formatMessage, type MessageValues } from './format.js';

/** Languages the interface is complete in. */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Every message key of the site. Core declares its own keys here (layout, navigation, errors, forms,
 * languages); each capability's `messages.ts` adds its catalog's keys by declaration merging:
 *
 * ```ts
 * declare module '../core/i18n/index.js' {
 *   interface MessageCatalog extends Record<keyof typeof en, string> {}
 * }
 * ```
 *
 * so core names no capability and `t('tip.studio_title')` is type-checked wherever it is written.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageCatalog extends Record<keyof typeof coreEn, string> {}

/** One key of any catalog of the site. */
export type MessageKey = keyof MessageCatalog & string;

/**
 * A catalog pair, as a capability declares it (`CapabilityManifest.messages`): English is the reference,
 * French has exactly its keys.
 */
export type Messages = { readonly [L in Locale]: Readonly<Record<string, string>> };

/** A translator bound to one language. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * The words the translator knows, by language: core's, then each capability's as the site is built from the
 * capability list (`buildSite` registers every manifest's `messages`; tests that render pages without a site
 * get them from test/support/messages.ts, which `scripts/run-tests.mjs` preloads).
 */
const registered: Record<Locale, Map<string, string>> = { en: new Map(), fr: new Map() };
/** Which catalog (by its English object) defines each key, and under what name: a key has one owner. */
const definedBy = new Map<string, { owner: string; catalog: object }>();

/**
 * Adds a catalog pair to the translator. Registering the same catalog again (under any name) does nothing;
 * a key another catalog already defines is refused, so two capabilities cannot quietly fight over a text.
 */
export function registerMessages(owner: string, messages: Messages): void {
  const keys = Object.keys(messages.en);
  for (const key of keys) {
    const known = definedBy.get(key);
    if (known && known.catalog !== messages.en) throw new Error(`The message key ${key} is defined by ${known.owner} and again by ${owner}`);
  }
  for (const key of keys) {
    if (definedBy.has(key)) continue;
    definedBy.set(key, { owner, catalog: messages.en });
    for (const locale of LOCALES) registered[locale].set(key, messages[locale][key] ?? messages.en[key]!);
  }
}

registerMessages('core', { en: coreEn, fr: coreFr });

/** The keys the translator knows, with the name of the catalog that defines each (for the catalog tests). */
export function registeredMessageKeys(): Map<string, string> {
  return new Map([...definedBy].map(([key, { owner }]) => [key, owner]));
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Whether `value` is a key the translator knows (form errors carry keys as zod messages). */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && registered.en.has(value);
}

let missingMessage: ((key: string, locale: Locale) => void) | undefined;

/**
 * What to do when a translator is asked for a key no registered catalog defines. On a site nothing: the key
 * is shown as it is. The tests' preload (test/support/messages.ts) throws, so a page that uses a key no
 * catalog registered fails its test instead of showing the key to people.
 */
export function onMissingMessage(handler: ((key: string, locale: Locale) => void) | undefined): void {
  missingMessage = handler;
}

/**
 * Returns a translator for `locale`: messages are ICU MessageFormat (see format.ts), so `{name}` is replaced by
 * `vars.name` and `{count, plural, one {# result} other {# results}}` follows the language's plural rules.
 */
export function translator(locale: Locale): Translate {
  const catalog = registered[locale];
  return (key, vars) => {
    const template = catalog.get(key) ?? registered.en.get(key);
    if (template === undefined) {
      missingMessage?.(key, locale);
      return key;
    }
    return formatMessage(locale, template, vars);
  };
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
