/**
 * The words of moving a channel: the Studio's move page and the "the channel moved" e-mail. English is the
 * reference; French has exactly its keys. ICU MessageFormat.
 */
export const en = {
  'moving.studio_title': 'Move',
  'moving.intro': 'Move this channel and its audience to another site, or tell the fediverse that it came from one.',
  'moving.came_from_heading': 'Where this channel came from',
  'moving.came_from_help': 'Before moving a channel here, add its old address. The old site checks it before telling its followers.',
  'moving.came_from_label': 'Old channel (its address or @handle@host)',
  'moving.came_from_add': 'Add',
  'moving.came_from_remove': 'Remove',
  'moving.move_heading': 'Move this channel to another site',
  'moving.move_help': 'The new channel must first list this one as where it came from. Then its fediverse followers are asked to follow the new channel, e-mail followers and members get an e-mail, and this channel’s pages, videos and feeds redirect there.',
  'moving.move_label': 'New channel (its address or @handle@host)',
  'moving.move_button': 'Move the channel',
  'moving.moved_to': 'This channel moved to {url} on {date}.',
  'moving.cancel': 'Cancel the move',
  'moving.none': 'None.',
  'moving.error_not_actor': 'Write the channel’s address (https://…) or its handle (@name@host).',
  'moving.error_self': 'This is this site’s own channel: give the channel on the other site.',
  'moving.error_not_aliased': 'The new channel does not say it came from this one yet: add this channel’s address on the new site first.',
  'moving.mail_subject': '{channel} has moved',
  'moving.mail_text': '{channel} now lives at another address. Your follow and membership continue there:',
  'moving.mail_button': 'Go to the new channel',
  'moving.mail_footer': 'You receive this e-mail because you follow or support {channel}.',
  'moving.mail_unsubscribe': 'Unsubscribe',
};

export const fr: Record<keyof typeof en, string> = {
  'moving.studio_title': 'Déménager',
  'moving.intro': 'Déménagez cette chaîne et son public vers un autre site, ou dites au fédivers qu’elle vient d’ailleurs.',
  'moving.came_from_heading': 'D’où vient cette chaîne',
  'moving.came_from_help': 'Avant de déménager une chaîne ici, ajoutez son ancienne adresse. L’ancien site la vérifie avant de prévenir ses abonnés.',
  'moving.came_from_label': 'Ancienne chaîne (son adresse ou @nom@hôte)',
  'moving.came_from_add': 'Ajouter',
  'moving.came_from_remove': 'Retirer',
  'moving.move_heading': 'Déménager cette chaîne vers un autre site',
  'moving.move_help': 'La nouvelle chaîne doit d’abord indiquer qu’elle vient de celle-ci. Ensuite ses abonnés du fédivers sont invités à suivre la nouvelle chaîne, les abonnés par e-mail et les membres reçoivent un e-mail, et les pages, vidéos et flux de cette chaîne redirigent là-bas.',
  'moving.move_label': 'Nouvelle chaîne (son adresse ou @nom@hôte)',
  'moving.move_button': 'Déménager la chaîne',
  'moving.moved_to': 'Cette chaîne a déménagé vers {url} le {date}.',
  'moving.cancel': 'Annuler le déménagement',
  'moving.none': 'Aucune.',
  'moving.error_not_actor': 'Écrivez l’adresse de la chaîne (https://…) ou son identifiant (@nom@hôte).',
  'moving.error_self': 'C’est une chaîne de ce site : indiquez la chaîne de l’autre site.',
  'moving.error_not_aliased': 'La nouvelle chaîne n’indique pas encore venir de celle-ci : ajoutez d’abord l’adresse de cette chaîne sur le nouveau site.',
  'moving.mail_subject': '{channel} a déménagé',
  'moving.mail_text': '{channel} vit désormais à une autre adresse. Votre abonnement et votre adhésion continuent là-bas :',
  'moving.mail_button': 'Aller sur la nouvelle chaîne',
  'moving.mail_footer': 'Vous recevez cet e-mail parce que vous suivez ou soutenez {channel}.',
  'moving.mail_unsubscribe': 'Se désabonner',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
