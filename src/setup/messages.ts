/**
 * The words of setup: the first-run page that creates the owner account and the first channel.
 * English is the reference; French has exactly its keys (the type says so, the catalog tests check
 * arguments and plurals). Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# …} other {# …}}`.
 */
export const en = {
  'notice.setup_done': 'Your site is ready. Welcome to your Studio!',
  'setup.title': 'Set up your site',
  'setup.intro': 'Create the owner account and your first channel. You can add more channels later.',
  'setup.owner_legend': 'You, the owner',
  'setup.channel_legend': 'Your first channel',
  'setup.password_hint': 'At least 10 characters. Leave empty to log in with e-mail links only.',
  'setup.submit': 'Create my site',
  'setup.already_done': 'This site is already set up. Log in as its owner to change it.',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'notice.setup_done': 'Votre site est prêt. Bienvenue dans votre Studio !',
  'setup.title': 'Configurer votre site',
  'setup.intro': 'Créez le compte propriétaire et votre première chaîne. Vous pourrez ajouter d’autres chaînes ensuite.',
  'setup.owner_legend': 'Vous, le ou la propriétaire',
  'setup.channel_legend': 'Votre première chaîne',
  'setup.password_hint': 'Au moins 10 caractères. Laissez vide pour vous connecter uniquement par lien envoyé par e-mail.',
  'setup.submit': 'Créer mon site',
  'setup.already_done': 'Ce site est déjà configuré. Connectez-vous en tant que propriétaire pour le modifier.',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
