/**
 * The words of the Studio home: channels, settings, team, roles.
 * English is the reference; French has exactly its keys (the type says so, the catalog tests check
 * arguments and plurals). Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# …} other {# …}}`.
 */
export const en = {
  'notice.channel_created': 'The channel is created.',
  'notice.member_added': 'Team member added.',
  'notice.member_removed': 'Team member removed.',
  'role.admin': 'Admin',
  'role.editor': 'Editor',
  'studio.title': 'Studio',
  'studio.disk_low': 'The server has only {free} of disk space left. Uploads, transcodes and sign-ups fail when it runs out: free some space, or move the media to S3-compatible storage.',
  'studio.nav_label': 'Studio',
  'studio.overview': 'Overview',
  'studio.your_channels': 'Your channels',
  'studio.role': 'Role',
  'studio.actions': 'Actions',
  'studio.settings': 'Settings',
  'studio.settings_of': 'Settings of {name}',
  'studio.team': 'Team',
  'studio.team_of': 'Team of {name}',
  'studio.new_channel': 'New channel',
  'studio.create': 'Create the channel',
  'studio.add_member': 'Add a team member',
  'studio.add_member_explain': 'Admins manage the channel and its team; editors publish on it. The address gets an e-mail invitation; they join once they accept it, signed in with that address.',
  'studio.invitations_pending': 'Invitations waiting for an answer',
  'studio.invitation_line': '{email} — {role, select, admin {admin} other {editor}}, invited on {date}',
  'notice.member_invited': 'Invitation sent. They join the team once they accept it.',
  'studio.add': 'Add',
  'studio.remove': 'Remove',
  'studio.remove_member': 'Remove {name} from the team',
  'studio.owner_only': 'Only the site owner can do this.',
  'studio.site_pages': 'Site',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'notice.channel_created': 'La chaîne est créée.',
  'notice.member_added': "Membre de l'équipe ajouté.",
  'notice.member_removed': "Membre de l'équipe retiré.",
  'role.admin': 'Admin',
  'role.editor': 'Éditeur·rice',
  'studio.title': 'Studio',
  'studio.disk_low': "Il ne reste que {free} d'espace disque sur le serveur. Les envois, les transcodages et les inscriptions échouent quand il est plein : libérez de la place ou déplacez les médias vers un stockage compatible S3.",
  'studio.nav_label': 'Studio',
  'studio.overview': "Vue d'ensemble",
  'studio.your_channels': 'Vos chaînes',
  'studio.role': 'Rôle',
  'studio.actions': 'Actions',
  'studio.settings': 'Réglages',
  'studio.settings_of': 'Réglages de {name}',
  'studio.team': 'Équipe',
  'studio.team_of': 'Équipe de {name}',
  'studio.new_channel': 'Nouvelle chaîne',
  'studio.create': 'Créer la chaîne',
  'studio.add_member': "Ajouter un membre à l'équipe",
  'studio.add_member_explain': 'Les admins gèrent la chaîne et son équipe ; les éditeur·rices y publient. L’adresse reçoit une invitation par e-mail ; la personne rejoint l’équipe quand elle l’accepte, connectée avec cette adresse.',
  'studio.invitations_pending': 'Invitations en attente de réponse',
  'studio.invitation_line': '{email} — {role, select, admin {admin} other {éditeur·rice}}, invité·e le {date}',
  'notice.member_invited': 'Invitation envoyée. La personne rejoint l’équipe quand elle l’accepte.',
  'studio.add': 'Ajouter',
  'studio.remove': 'Retirer',
  'studio.remove_member': "Retirer {name} de l'équipe",
  'studio.owner_only': 'Seul·e le ou la propriétaire du site peut faire cela.',
  'studio.site_pages': 'Site',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
