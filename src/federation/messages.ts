/**
 * The words of federation: the Studio's fediverse pages (followers, follows, what came in).
 * English is the reference; French has exactly its keys (the type says so, the catalog tests check
 * arguments and plurals). Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# …} other {# …}}`.
 */
export const en = {
  'studio.fediverse': 'Fediverse',
  'studio.fediverse_activity': 'Fediverse activity',
  'federation.title': 'Fediverse',
  'federation.intro': 'People on PeerTube, Mastodon and other fediverse sites can follow this channel as @{handle}@{host}.',
  'federation.followers': 'Followers',
  'federation.following': 'Following',
  'federation.follow_label': 'Follow a channel or account (its address or @user@host)',
  'federation.follow': 'Follow',
  'federation.unfollow': 'Unfollow',
  'federation.pending': 'waiting for acceptance',
  'federation.remote_videos': 'From the fediverse',
  'federation.held_comments': 'Replies held for review',
  'federation.none': 'None yet.',
  'federation.refused_heading': 'Deliveries other servers refused',
  'federation.refused_intro': 'These activities did not reach their destination. A refusal often means the other server does not accept this channel yet (a pending follow, a blocked instance).',
  'federation.refused_item': '{type} to {host}: {error}',
  'federation.activity': 'Received from the fediverse',
  'federation.type': 'Activity',
  'federation.actor': 'From',
  'federation.object': 'About',
  'federation.when': 'Received',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'studio.fediverse': 'Fédivers',
  'studio.fediverse_activity': 'Activité du fédivers',
  'federation.title': 'Fédivers',
  'federation.intro': 'Sur PeerTube, Mastodon et les autres sites du fédivers, on peut suivre cette chaîne sous le nom @{handle}@{host}.',
  'federation.followers': 'Abonnés',
  'federation.following': 'Abonnements',
  'federation.follow_label': 'Suivre une chaîne ou un compte (son adresse ou @utilisateur@serveur)',
  'federation.follow': 'Suivre',
  'federation.unfollow': 'Ne plus suivre',
  'federation.pending': 'en attente d’acceptation',
  'federation.remote_videos': 'Venues du fédivers',
  'federation.held_comments': 'Réponses en attente de modération',
  'federation.none': 'Rien pour l’instant.',
  'federation.refused_heading': 'Envois refusés par d’autres serveurs',
  'federation.refused_intro': 'Ces activités ne sont pas arrivées à destination. Un refus signifie souvent que l’autre serveur n’accepte pas encore cette chaîne (abonnement en attente, instance bloquée).',
  'federation.refused_item': '{type} vers {host} : {error}',
  'federation.activity': 'Reçu du fédivers',
  'federation.type': 'Activité',
  'federation.actor': 'De',
  'federation.object': 'Sur',
  'federation.when': 'Reçue',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
