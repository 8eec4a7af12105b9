/** The words of the portability capability (archive export and import). */
export const en = {
  'portability.error.corrupt': 'This archive is damaged or truncated and cannot be read ({detail}). Nothing was imported.',
  'portability.error.unsafe_path': 'This archive contains an entry with an unsafe path ({path}). Nothing was imported.',
  'portability.error.too_large': 'This archive unpacks to more than allowed ({detail}); it may be a zip bomb. Nothing was imported.',
  'portability.error.version': 'This archive uses format version {found}; this site reads version {expected}. Nothing was imported.',
  'portability.error.not_an_archive': 'This file is not a Fanfare or PeerTube export archive ({detail}). Nothing was imported.',
  'portability.error.checksum': 'The file {path} in this archive does not match its checksum: the archive is damaged. Nothing was imported.',
  'portability.error.handle_taken': 'A channel named @{handle} already exists on this site. Import it under another handle.',
  'portability.error.conflict': 'This archive conflicts with data already on this site ({detail}). Nothing of this stage was imported.',
  'portability.error.incomplete': 'This site cannot import every table of the archive: {detail}',
  'portability.error.unknown_channel': 'There is no channel @{handle} on this site.',
  'portability.studio_title': 'Export',
  'portability.export_intro': 'Download everything this channel holds — videos, posts, comments, followers, members and the money history — as one archive you can import on another site. The archive is built in the background; you will get an e-mail with a download link when it is ready.',
  'portability.export_button': 'Export this channel',
  'portability.exports_heading': 'Exports',
  'portability.export_queued': 'Being built… {percent}%',
  'portability.export_download': 'Download the archive',
  'portability.export_until': 'available until {date}',
  'portability.export_expired': 'Expired (the archive was deleted)',
  'portability.export_failed': 'Failed: ask for a new export',
  'portability.export_running': 'An export of this channel is already being built. You will get an e-mail when it is ready.',
  'portability.export_mail_subject': 'Your archive of {channel} is ready',
  'portability.export_mail_text': 'The export of {channel} is ready. Download it from the link below (sign in as an admin of the channel) until {date}; the archive is deleted after that.',
  'portability.link_invalid': 'This download link is not valid. Open the export page of the Studio for a fresh one.',
  'portability.link_expired': 'This download link has expired and the archive was deleted. Ask for a new export in the Studio.',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'portability.error.corrupt': 'Cette archive est endommagée ou tronquée et ne peut pas être lue ({detail}). Rien n’a été importé.',
  'portability.error.unsafe_path': 'Cette archive contient une entrée au chemin dangereux ({path}). Rien n’a été importé.',
  'portability.error.too_large': 'Cette archive dépasse la taille autorisée une fois décompressée ({detail}) ; c’est peut-être une bombe de décompression. Rien n’a été importé.',
  'portability.error.version': 'Cette archive est au format version {found} ; ce site lit la version {expected}. Rien n’a été importé.',
  'portability.error.not_an_archive': 'Ce fichier n’est pas une archive d’export Fanfare ou PeerTube ({detail}). Rien n’a été importé.',
  'portability.error.checksum': 'Le fichier {path} de cette archive ne correspond pas à son empreinte : l’archive est endommagée. Rien n’a été importé.',
  'portability.error.handle_taken': 'Une chaîne @{handle} existe déjà sur ce site. Importez-la sous un autre identifiant.',
  'portability.error.conflict': 'Cette archive entre en conflit avec des données déjà présentes sur ce site ({detail}). Rien de cette étape n’a été importé.',
  'portability.error.incomplete': 'Ce site ne peut pas importer toutes les tables de l’archive : {detail}',
  'portability.error.unknown_channel': 'Il n’y a pas de chaîne @{handle} sur ce site.',
  'portability.studio_title': 'Exporter',
  'portability.export_intro': 'Téléchargez tout ce que contient cette chaîne — vidéos, billets, commentaires, abonnés, membres et l’historique de l’argent — en une seule archive, à importer sur un autre site. L’archive est préparée en arrière-plan ; vous recevrez un e-mail avec un lien de téléchargement quand elle sera prête.',
  'portability.export_button': 'Exporter cette chaîne',
  'portability.exports_heading': 'Exports',
  'portability.export_queued': 'En préparation… {percent} %',
  'portability.export_download': 'Télécharger l’archive',
  'portability.export_until': 'disponible jusqu’au {date}',
  'portability.export_expired': 'Expiré (l’archive a été supprimée)',
  'portability.export_failed': 'Échec : demandez un nouvel export',
  'portability.export_running': 'Un export de cette chaîne est déjà en préparation. Vous recevrez un e-mail quand il sera prêt.',
  'portability.export_mail_subject': 'Votre archive de {channel} est prête',
  'portability.export_mail_text': 'L’export de {channel} est prêt. Téléchargez-le avec le lien ci-dessous (connecté en tant qu’administrateur de la chaîne) jusqu’au {date} ; l’archive est supprimée ensuite.',
  'portability.link_invalid': 'Ce lien de téléchargement n’est pas valide. Ouvrez la page d’export du Studio pour en obtenir un nouveau.',
  'portability.link_expired': 'Ce lien de téléchargement a expiré et l’archive a été supprimée. Demandez un nouvel export dans le Studio.',
};

declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
