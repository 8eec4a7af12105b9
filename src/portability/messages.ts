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
};

declare module '../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
