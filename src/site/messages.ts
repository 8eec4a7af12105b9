/**
 * The words of the site capability: the page that hands a shared link to the fan's fediverse server.
 * Add a key to `en`, then to `fr`, which must have exactly the same keys.
 */
export const en = {
  'share.title': 'Share on your fediverse server',
  'share.continue': 'Continue to {server} to post it',
  'share.what': 'What will be posted:',
  'share.instance_invalid': 'Give the address of your server, such as mastodon.social.',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'share.title': 'Partager sur votre serveur du fédivers',
  'share.continue': 'Continuer vers {server} pour le publier',
  'share.what': 'Ce qui sera publié :',
  'share.instance_invalid': 'Indiquez l’adresse de votre serveur, par exemple mastodon.social.',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
