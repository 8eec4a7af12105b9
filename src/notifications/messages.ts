/**
 * The words of notifications: what happened on a channel, the Studio's bell and page, the e-mails.
 * English is the reference; French has exactly its keys.
 */
export const en = {
  "notice.notification_settings_saved": "Your e-mail choice is saved.",
  "notification.title": "Notifications",
  "notification.bell": "{count, plural, =0 {Notifications} one {Notifications (# new)} other {Notifications (# new)}}",
  "notification.unread": "{count, plural, =0 {Nothing new.} one {# new notification.} other {# new notifications.}}",
  "notification.none": "Nothing has happened yet. Tips, new members, followers and finished videos will show here.",
  "notification.someone": "someone",
  "notification.tip": "New tip: {amount} from {from}.",
  "notification.tip_held": "New tip: {amount} from {from}. Its message awaits your moderation.",
  "notification.member_joined": "New member: {fan} joined the {tier} tier.",
  "notification.member_cancelled": "{fan} cancelled their {tier} membership; it runs to the end of the paid period.",
  "notification.member_past_due": "A renewal failed: {fan} ({tier}). Fanfare tries again over the next days.",
  "notification.member_ended": "The {tier} membership of {fan} ended.",
  "notification.follower": "New follower: {follower}.",
  "notification.video_ready": "“{title}” is ready to watch.",
  "notification.video_failed": "“{title}” could not be prepared. Open it in the Studio to try again.",
  "notification.email_heading": "E-mails",
  "notification.email_immediate": "An e-mail for each notification",
  "notification.email_digest": "One e-mail a day with everything new",
  "notification.email_off": "No e-mail",
  "notification.email_save": "Save",
  "notification.settings_invalid": "Choose how you want your e-mails.",
  "notification.email_subject": "{channel}: {text}",
  "notification.email_body": "{text}\n\n{link}\n\nChange how you get these e-mails in the Studio, under Notifications.\n",
  "notification.digest_subject": "{channel}: {count, plural, one {# new notification} other {# new notifications}}",
  "notification.digest_body": "Since the last digest:\n\n{lines}\n\nAll notifications: {link}\n",
} as const;

export const fr: Record<keyof typeof en, string> = {
  "notice.notification_settings_saved": "Votre choix d’e-mails est enregistré.",
  "notification.title": "Notifications",
  "notification.bell": "{count, plural, =0 {Notifications} one {Notifications (# nouvelle)} other {Notifications (# nouvelles)}}",
  "notification.unread": "{count, plural, =0 {Rien de nouveau.} one {# nouvelle notification.} other {# nouvelles notifications.}}",
  "notification.none": "Rien ne s’est encore passé. Les pourboires, nouveaux membres, abonné·es et vidéos prêtes apparaîtront ici.",
  "notification.someone": "quelqu’un",
  "notification.tip": "Nouveau pourboire : {amount} de {from}.",
  "notification.tip_held": "Nouveau pourboire : {amount} de {from}. Son message attend votre modération.",
  "notification.member_joined": "Nouveau membre : {fan} a rejoint le palier {tier}.",
  "notification.member_cancelled": "{fan} a résilié son abonnement {tier} ; il court jusqu’à la fin de la période payée.",
  "notification.member_past_due": "Un renouvellement a échoué : {fan} ({tier}). Fanfare réessaie dans les prochains jours.",
  "notification.member_ended": "L’abonnement {tier} de {fan} est terminé.",
  "notification.follower": "Nouvel abonné·e : {follower}.",
  "notification.video_ready": "« {title} » est prête à être regardée.",
  "notification.video_failed": "« {title} » n’a pas pu être préparée. Ouvrez-la dans le Studio pour réessayer.",
  "notification.email_heading": "E-mails",
  "notification.email_immediate": "Un e-mail par notification",
  "notification.email_digest": "Un e-mail par jour avec toutes les nouveautés",
  "notification.email_off": "Aucun e-mail",
  "notification.email_save": "Enregistrer",
  "notification.settings_invalid": "Choisissez comment recevoir vos e-mails.",
  "notification.email_subject": "{channel} : {text}",
  "notification.email_body": "{text}\n\n{link}\n\nChoisissez comment recevoir ces e-mails dans le Studio, rubrique Notifications.\n",
  "notification.digest_subject": "{channel} : {count, plural, one {# nouvelle notification} other {# nouvelles notifications}}",
  "notification.digest_body": "Depuis le dernier récapitulatif :\n\n{lines}\n\nToutes les notifications : {link}\n",
};

declare module '../core/i18n/index.js' {
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
