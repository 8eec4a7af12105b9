/**
 * The words of moderation (see CONTEXT.md: held, approved, rejected). English is the reference; French has
 * exactly its keys. Messages are ICU MessageFormat.
 */
export const en = {
  'moderation.title': 'Moderation',
  'moderation.intro': 'Messages and replies are shown publicly only once you approve them.',
  'moderation.none': 'Nothing is waiting.',
  'moderation.anonymous': 'Anonymous',
  'moderation.approve': 'Approve',
  'moderation.reject': 'Reject',
  'moderation.not_found': 'There is nothing waiting with this reference (it may have been decided already).',
  'moderation.bad_decision': 'Choose to approve or to reject a message that is waiting.',
  'moderation.tip_messages': 'Messages left with tips',
  'moderation.remote_replies': 'Replies from the fediverse',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'moderation.title': 'Modération',
  'moderation.intro': 'Les messages et les réponses ne sont publiés qu’une fois approuvés.',
  'moderation.none': 'Rien en attente.',
  'moderation.anonymous': 'Anonyme',
  'moderation.approve': 'Approuver',
  'moderation.reject': 'Refuser',
  'moderation.not_found': 'Rien n’attend sous cette référence (la décision a peut-être déjà été prise).',
  'moderation.bad_decision': 'Choisissez d’approuver ou de refuser un message en attente.',
  'moderation.tip_messages': 'Messages laissés avec les pourboires',
  'moderation.remote_replies': 'Réponses venues du fédivers',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
