/**
 * The words of payments: the payment methods, and the test bank's payment pages (src/funding/providers/test-provider).
 * English is the reference; French has exactly its keys (the type says so, the catalog tests check
 * arguments and plurals). Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# …} other {# …}}`.
 */
export const en = {
  "provider.test": "Test card (no real money)",
  "provider.stripe": "Card (Stripe)",
  "provider.btcpay": "Bitcoin / Lightning (BTCPay)",
  "payment.provider": "Pay with",
  "payment.provider_invalid": "Choose a payment method from the list.",
  "payment.provider_unavailable": "The payment service did not answer. Nothing was charged; please try again in a moment.",
  // Money never taken for nothing: the automatic refund of a payment that cannot be delivered.
  "payment.refunded_subject": "Your payment of {amount} to {channel} is refunded",
  "payment.refunded_body": "Hello,\n\nYour payment of {amount} to {channel} went through, but {reason, select, already_member {you were already a member of this channel} superseded {it was for a membership you had replaced} other {what it paid for can no longer be given}}. We have refunded it in full, automatically; your bank may take a few days to show it.\n\nReference: {reference}",
  "payment.notices_heading": "Payments the site handled for you",
  "payment.notice_dismiss": "Dismiss",
  "payment.notice_not_found": "This notice does not exist or was already dismissed.",
  "payment.notice.auto_refund": "{amount} refunded automatically to the fan: {reason, select, already_member {they were already a member} superseded {a membership checkout they had replaced} no_purpose_handler {nothing on this site handles this kind of payment} other {{reason}}}.",
  "payment.notice.auto_refund_failed": "{amount} could not be refunded automatically ({detail}). Refund the fan from your payment provider’s dashboard.",
  "payment.notice.webhook_refused": "A payment service sent an event this site refused ({detail}). Nothing was recorded; check it in the provider’s dashboard.",
  // The test bank's payment pages.
  'pay_test.title': 'Test payment',
  'pay_test.banner': 'Test mode: no real money moves. Pay with a test card such as 4242 4242 4242 4242.',
  'pay_test.amount': 'Amount',
  'pay_test.save_notice': 'Your card will be kept for the next payments of this support.',
  'pay_test.card_number': 'Card number',
  'pay_test.expiry': 'Expiry date (MM/YY)',
  'pay_test.cvc': 'Security code (CVC)',
  'pay_test.cvc_hint': 'The 3 or 4 digits on the back of the card.',
  'pay_test.pay': 'Pay {amount}',
  'pay_test.setup_notice': 'Nothing is charged now: your card is saved, and up to {amount} is charged later as described above.',
  'pay_test.save_card': 'Save card',
  'pay_test.cancel': 'Cancel and go back',
  'pay_test.error.card_number': 'Enter a valid card number.',
  'pay_test.error.expiry': 'Enter an expiry date that has not passed, as MM/YY.',
  'pay_test.error.cvc': 'Enter the 3 or 4 digit security code.',
  'pay_test.declined.card_declined': 'Your card was declined. Try another card.',
  'pay_test.declined.insufficient_funds': 'Your card has insufficient funds. Try another card.',
  'pay_test.declined.authentication_failed': 'The authentication failed. Try again or use another card.',
  'pay_test.authenticate.title': 'Confirm this payment',
  'pay_test.authenticate.intro': 'Your bank asks you to confirm the payment of {amount} with the card ending in {last4}.',
  'pay_test.authenticate.complete': 'Authenticate',
  'pay_test.authenticate.fail': 'Fail authentication',
  'pay_test.paid.title': 'Payment complete',
  'pay_test.paid.body': 'This payment is complete. Thank you!',
  'pay_test.continue': 'Continue',
  'pay_test.expired.title': 'Payment page expired',
  'pay_test.expired.body': 'This payment page has expired. Go back and start again.',
} as const;

export const fr: Record<keyof typeof en, string> = {
  "provider.test": "Carte de test (pas d’argent réel)",
  "provider.stripe": "Carte (Stripe)",
  "provider.btcpay": "Bitcoin / Lightning (BTCPay)",
  "payment.provider": "Payer avec",
  "payment.provider_invalid": "Choisissez un moyen de paiement dans la liste.",
  "payment.provider_unavailable": "Le service de paiement n'a pas répondu. Rien n'a été débité ; réessayez dans un instant.",
  // L'argent n'est jamais pris pour rien : le remboursement automatique d'un paiement qui ne peut être honoré.
  "payment.refunded_subject": "Votre paiement de {amount} à {channel} est remboursé",
  "payment.refunded_body": "Bonjour,\n\nVotre paiement de {amount} à {channel} a abouti, mais {reason, select, already_member {vous étiez déjà membre de cette chaîne} superseded {il concernait un abonnement que vous aviez remplacé} other {ce qu’il payait ne peut plus être fourni}}. Nous l’avons remboursé intégralement, automatiquement ; votre banque peut mettre quelques jours à l’afficher.\n\nRéférence : {reference}",
  "payment.notices_heading": "Paiements traités par le site pour vous",
  "payment.notice_dismiss": "Masquer",
  "payment.notice_not_found": "Cet avis n’existe pas ou a déjà été masqué.",
  "payment.notice.auto_refund": "{amount} remboursé automatiquement au fan : {reason, select, already_member {il ou elle était déjà membre} superseded {un paiement d’abonnement qu’il ou elle avait remplacé} no_purpose_handler {rien sur ce site ne traite ce type de paiement} other {{reason}}}.",
  "payment.notice.auto_refund_failed": "{amount} n’a pas pu être remboursé automatiquement ({detail}). Remboursez le fan depuis le tableau de bord de votre prestataire de paiement.",
  "payment.notice.webhook_refused": "Un service de paiement a envoyé un événement que ce site a refusé ({detail}). Rien n’a été enregistré ; vérifiez-le dans le tableau de bord du prestataire.",
  // Les pages de paiement de la banque de test.
  'pay_test.title': 'Paiement de test',
  'pay_test.banner': "Mode test : aucun argent réel ne circule. Payez avec une carte de test comme 4242 4242 4242 4242.",
  'pay_test.amount': 'Montant',
  'pay_test.save_notice': 'Votre carte sera conservée pour les prochains paiements de ce soutien.',
  'pay_test.card_number': 'Numéro de carte',
  'pay_test.expiry': "Date d'expiration (MM/AA)",
  'pay_test.cvc': 'Code de sécurité (CVC)',
  'pay_test.cvc_hint': 'Les 3 ou 4 chiffres au dos de la carte.',
  'pay_test.pay': 'Payer {amount}',
  'pay_test.setup_notice': 'Rien n’est prélevé maintenant : votre carte est enregistrée, et {amount} au plus sera prélevé plus tard, comme indiqué ci-dessus.',
  'pay_test.save_card': 'Enregistrer la carte',
  'pay_test.cancel': 'Annuler et revenir',
  'pay_test.error.card_number': 'Saisissez un numéro de carte valide.',
  'pay_test.error.expiry': "Saisissez une date d'expiration non dépassée, au format MM/AA.",
  'pay_test.error.cvc': 'Saisissez le code de sécurité à 3 ou 4 chiffres.',
  'pay_test.declined.card_declined': 'Votre carte a été refusée. Essayez une autre carte.',
  'pay_test.declined.insufficient_funds': 'Le solde de votre carte est insuffisant. Essayez une autre carte.',
  'pay_test.declined.authentication_failed': "L'authentification a échoué. Réessayez ou utilisez une autre carte.",
  'pay_test.authenticate.title': 'Confirmez ce paiement',
  'pay_test.authenticate.intro': 'Votre banque vous demande de confirmer le paiement de {amount} avec la carte se terminant par {last4}.',
  'pay_test.authenticate.complete': 'Authentifier',
  'pay_test.authenticate.fail': "Faire échouer l'authentification",
  'pay_test.paid.title': 'Paiement effectué',
  'pay_test.paid.body': 'Ce paiement est effectué. Merci !',
  'pay_test.continue': 'Continuer',
  'pay_test.expired.title': 'Page de paiement expirée',
  'pay_test.expired.body': 'Cette page de paiement a expiré. Revenez en arrière et recommencez.',
};

// These keys join `MessageKey`, so `t('…')` is checked wherever it is written.
declare module '../../core/i18n/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MessageCatalog extends Record<keyof typeof en, string> {}
}
