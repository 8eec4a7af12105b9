import type { en } from './en.js';

/** Catalogue français : complet par construction (le type exige chaque clé du catalogue anglais). */
export const fr: Record<keyof typeof en, string> = {
  'nav.label': 'Principale',
  'nav.skip': 'Aller au contenu',
  'nav.studio': 'Studio',
  'nav.account': 'Mon compte',
  'nav.account_settings': 'Profil et mot de passe',
  'nav.memberships': 'Mes abonnements',
  'nav.tips': 'Mes pourboires',
  'nav.budget': 'Mon budget fan',
  'nav.login': 'Se connecter',
  'nav.signup': 'Créer un compte',
  'nav.logout': 'Se déconnecter',
  'footer.powered': 'Propulsé par Fanfare, logiciel libre (AGPL-3.0) : vos vidéos, vos fans, votre serveur.',
  'language.en': 'English',
  'language.fr': 'Français',
  'language.switch_to': "Passer l'interface en {language}",

  'form.optional': '(facultatif)',
  'form.save': 'Enregistrer',

  'notice.saved': 'Enregistré.',

  'error.title': 'Quelque chose ne va pas',
  'error.back_home': "Retour à l'accueil",
  'error.validation': 'Veuillez corriger les champs signalés ci-dessous.',
  'error.required': 'Ce champ est obligatoire.',
  'error.invalid_field': "Cette valeur n'est pas valide.",
  'error.email_invalid': 'Saisissez une adresse e-mail valide, comme nom@exemple.fr.',
  'error.language_invalid': 'Choisissez le français ou l’anglais.',
  'error.bad_request': "La requête n'a pas pu être comprise.",
  'error.malformed_form': "Les données du formulaire n'ont pas pu être lues. Veuillez réessayer.",
  'error.unsupported_media_type': 'Cette page attend l’envoi d’un formulaire.',
  'error.payload_too_large': 'Ce que vous avez envoyé est trop volumineux (la limite est de {max}).',
  'error.csrf': "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.",
  'error.login_required': 'Veuillez vous connecter pour voir cette page.',
  'error.forbidden': "Vous n'avez pas l'autorisation de faire cela.",
  'error.not_found': "Cette page n'existe pas.",
  'error.rate_limited': 'Trop de tentatives. Patientez {minutes, plural, one {# minute} other {# minutes}} puis réessayez.',
  'error.internal': "Une erreur inattendue s'est produite. Elle a été enregistrée ; veuillez réessayer plus tard.",

  'studio.forbidden': "Le Studio est réservé au ou à la propriétaire du site et aux équipes des chaînes.",

  "search.label": "Rechercher des vidéos",
  "search.placeholder": "Rechercher des vidéos",
  'error.control_characters': 'Ce champ contenait des caractères de contrôle invisibles ; ils ont été retirés. Vérifiez le texte et renvoyez-le.',
  'error.address_control_characters': 'Cette adresse contient des caractères de contrôle invisibles. Vérifiez le lien et réessayez.',
  'error.query_too_long': 'Cette adresse est trop longue. Vérifiez le lien et réessayez.',
  'error.storage_full': "Le serveur n'a plus d'espace disque : cela n'a pas pu être enregistré. Réessayez plus tard ; le propriétaire du site a été prévenu.",
};
