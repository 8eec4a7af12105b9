/**
 * The words of feeds: none yet (feed titles use the channel's name and the format's proper name).
 * The pair is here so every capability has the same shape: add a key to `en`, then to `fr`, which
 * must have exactly the same keys.
 */
export const en = {} as const;

export const fr: Record<keyof typeof en, string> = {};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
