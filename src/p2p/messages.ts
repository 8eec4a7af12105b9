/** The words of P2P playback: the player's switch and its privacy sentence, and the Studio page. */
export const en = {
  'p2p.toggle': 'Share with other viewers (P2P)',
  'p2p.privacy': 'When on, this video also comes from other viewers watching it, and you send them the parts you have: they can see your IP address, as this site does. Your choice is remembered in this browser.',
  'p2p.report_invalid': 'Expected whole byte counts "peer" and "http" within bounds.',
  'p2p.setting_invalid': 'Choose on or off.',
  'p2p.studio_link': 'Peer-to-peer playback',
  'p2p.studio_title': 'Peer-to-peer playback',
  'p2p.studio_intro': 'Viewers of the same video can send each other its segments over WebRTC, so the site serves fewer bytes. Every segment a viewer gets from another is checked against its SHA-256 hash; a wrong one is refused and fetched from the site. Members-only videos are shared only among viewers entitled to them.',
  'p2p.default_legend': 'For fans who have not chosen',
  'p2p.default_on': 'P2P on (fans can switch it off in the player)',
  'p2p.default_off': 'P2P off (fans can switch it on in the player)',
  'p2p.save': 'Save',
  'p2p.saved': 'Saved.',
  'p2p.shares_title': 'Bytes served by peers and by the site',
  'p2p.shares_none': 'No viewer has reported anything yet.',
  'p2p.col_video': 'Video',
  'p2p.col_peers': 'From peers',
  'p2p.col_site': 'From the site',
  'p2p.col_share': 'Peer share',
  'p2p.share': '{percent} %',
} as const;

export const fr: Record<keyof typeof en, string> = {
  'p2p.toggle': 'Partager avec les autres spectateurs (P2P)',
  'p2p.privacy': 'Activé, cette vidéo vous arrive aussi d’autres spectateurs qui la regardent, et vous leur envoyez les morceaux que vous avez : ils peuvent voir votre adresse IP, comme ce site. Votre choix est retenu dans ce navigateur.',
  'p2p.report_invalid': 'Attendu : des nombres d’octets entiers « peer » et « http » dans les limites.',
  'p2p.setting_invalid': 'Choisissez activé ou désactivé.',
  'p2p.studio_link': 'Lecture en pair à pair',
  'p2p.studio_title': 'Lecture en pair à pair',
  'p2p.studio_intro': 'Les spectateurs d’une même vidéo peuvent s’en envoyer les segments par WebRTC : le site sert moins d’octets. Chaque segment reçu d’un autre spectateur est vérifié avec son empreinte SHA-256 ; un segment faux est refusé et repris sur le site. Les vidéos réservées aux membres ne sont partagées qu’entre spectateurs qui y ont droit.',
  'p2p.default_legend': 'Pour les fans qui n’ont pas choisi',
  'p2p.default_on': 'P2P activé (les fans peuvent le couper dans le lecteur)',
  'p2p.default_off': 'P2P désactivé (les fans peuvent l’activer dans le lecteur)',
  'p2p.save': 'Enregistrer',
  'p2p.saved': 'Enregistré.',
  'p2p.shares_title': 'Octets servis par les spectateurs et par le site',
  'p2p.shares_none': 'Aucun spectateur n’a encore rien signalé.',
  'p2p.col_video': 'Vidéo',
  'p2p.col_peers': 'Par les spectateurs',
  'p2p.col_site': 'Par le site',
  'p2p.col_share': 'Part des spectateurs',
  'p2p.share': '{percent} %',
};

declare module '../core/i18n/index.js' {
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
