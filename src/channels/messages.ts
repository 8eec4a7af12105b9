/**
 * The words of channels: the channel form and the public channel pages.
 * English is the reference; French has exactly its keys (the type says so, the catalog tests check
 * arguments and plurals). Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# …} other {# …}}`.
 */
export const en = {
  'channel.name': 'Channel name',
  'channel.name_too_long': 'At most 80 characters.',
  'channel.handle': 'Handle',
  'channel.handle_hint': '2 to 30 characters: lowercase letters, digits and _. It appears in addresses and cannot be changed.',
  'channel.handle_invalid': 'Use 2 to 30 characters: lowercase letters, digits and _.',
  'channel.handle_taken': 'This handle is already taken.',
  'channel.description': 'Description',
  'channel.description_too_long': 'At most 5000 characters.',
  'channel.language': 'Language',
  'channel.avatar': 'Avatar',
  'channel.avatar_hint': 'PNG, JPEG, GIF or WebP image, 2 MB at most.',
  'channel.avatar_not_image': 'This file is not a PNG, JPEG, GIF or WebP image.',
  'channel.avatar_too_large': 'The image is larger than 2 MB.',
  'channel.not_found': 'There is no channel here.',
  'channel.nav_label': 'Channel',
  'channel.tab_home': 'Videos',
  'channel.tab_about': 'About',
  'channel.videos': 'Videos',
  'channel.no_videos': 'No videos yet.',
  'channel.about_heading': 'About {name}',
  'channel.no_description': 'No description yet.',
  'channel.since': 'Created',
  'channel.list_heading': 'Channels',
  'channel.role_invalid': 'Choose admin or editor.',
  'channel.team_no_account': 'No account uses this address. Ask them to sign up first.',
  'channel.team_last_admin': 'A channel keeps at least one admin.',
  'channel.invitation_subject': 'You are invited to the team of {channel}',
  'channel.invitation_body': 'Hello,\n\nYou are invited to join the team of the channel {channel} as {role, select, admin {admin} other {editor}}. Open this link, signed in with this e-mail address (or create an account with it first), to accept:\n\n{link}\n\nThe invitation expires in {days, plural, one {# day} other {# days}}. If you do not expect it, ignore this e-mail.\n',
  'channel.invitation_title': 'Join the team of {channel}',
  'channel.invitation_intro': 'You are invited to join the team of {channel} as {role, select, admin {admin} other {editor}}.',
  'channel.invitation_accept': 'Accept the invitation',
  'channel.invitation_invalid': 'This invitation is no longer valid. Ask the channel’s admin to send a new one.',
  'channel.invitation_other_address': 'This invitation was sent to another e-mail address. Sign in with that address to accept it.',
  "channel.tab_membership": "Membership",
} as const;

export const fr: Record<keyof typeof en, string> = {
  'channel.name': 'Nom de la chaîne',
  'channel.name_too_long': '80 caractères au plus.',
  'channel.handle': 'Identifiant',
  'channel.handle_hint': "2 à 30 caractères : lettres minuscules, chiffres et _. Il apparaît dans les adresses et ne peut pas être changé.",
  'channel.handle_invalid': 'Utilisez 2 à 30 caractères : lettres minuscules, chiffres et _.',
  'channel.handle_taken': 'Cet identifiant est déjà pris.',
  'channel.description': 'Description',
  'channel.description_too_long': '5000 caractères au plus.',
  'channel.language': 'Langue',
  'channel.avatar': 'Avatar',
  'channel.avatar_hint': 'Image PNG, JPEG, GIF ou WebP, 2 Mo au plus.',
  'channel.avatar_not_image': "Ce fichier n'est pas une image PNG, JPEG, GIF ou WebP.",
  'channel.avatar_too_large': "L'image dépasse 2 Mo.",
  'channel.not_found': "Il n'y a pas de chaîne ici.",
  'channel.nav_label': 'Chaîne',
  'channel.tab_home': 'Vidéos',
  'channel.tab_about': 'À propos',
  'channel.videos': 'Vidéos',
  'channel.no_videos': 'Pas encore de vidéo.',
  'channel.about_heading': 'À propos de {name}',
  'channel.no_description': 'Pas encore de description.',
  'channel.since': 'Créée le',
  'channel.list_heading': 'Chaînes',
  'channel.role_invalid': 'Choisissez admin ou éditeur·rice.',
  'channel.team_no_account': "Aucun compte n'utilise cette adresse. Demandez-lui d'abord de créer un compte.",
  'channel.team_last_admin': 'Une chaîne garde au moins un·e admin.',
  'channel.invitation_subject': 'Vous êtes invité·e dans l’équipe de {channel}',
  'channel.invitation_body': 'Bonjour,\n\nVous êtes invité·e à rejoindre l’équipe de la chaîne {channel} comme {role, select, admin {admin} other {éditeur·rice}}. Ouvrez ce lien en étant connecté·e avec cette adresse e-mail (ou créez d’abord un compte avec elle) pour accepter :\n\n{link}\n\nL’invitation expire dans {days, plural, one {# jour} other {# jours}}. Si vous ne l’attendiez pas, ignorez cet e-mail.\n',
  'channel.invitation_title': 'Rejoindre l’équipe de {channel}',
  'channel.invitation_intro': 'Vous êtes invité·e à rejoindre l’équipe de {channel} comme {role, select, admin {admin} other {éditeur·rice}}.',
  'channel.invitation_accept': 'Accepter l’invitation',
  'channel.invitation_invalid': 'Cette invitation n’est plus valable. Demandez-en une nouvelle à l’admin de la chaîne.',
  'channel.invitation_other_address': 'Cette invitation a été envoyée à une autre adresse e-mail. Connectez-vous avec cette adresse pour l’accepter.',
  "channel.tab_membership": "Abonnement",
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
