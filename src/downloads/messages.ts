/**
 * The words of downloads: the links under a video (MP4, audio, torrent, magnet) and the torrent errors.
 * English is the reference; French has exactly its keys.
 */
export const en = {
  'download.heading': 'Download',
  'download.mp4': 'Video (MP4, {height}p, {size})',
  'download.m4a': 'Audio only (M4A, {size})',
  'download.torrent': 'Torrent',
  'download.magnet': 'Magnet link',
  'download.torrent_hint': 'Any BitTorrent client downloads it from this site; fans who keep it open share it with each other. No copy protection: it is yours to keep.',
  'download.torrent_not_found': 'This video has no torrent (yet, or any more).',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'download.heading': 'Télécharger',
  'download.mp4': 'Vidéo (MP4, {height}p, {size})',
  'download.m4a': 'Audio seul (M4A, {size})',
  'download.torrent': 'Torrent',
  'download.magnet': 'Lien magnet',
  'download.torrent_hint': 'Tout client BitTorrent la télécharge depuis ce site ; les fans qui le laissent ouvert la partagent entre eux. Sans protection contre la copie : elle est à vous.',
  'download.torrent_not_found': 'Cette vidéo n’a pas de torrent (pas encore, ou plus).',
};

declare module '../core/i18n/index.js' {
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
