import { isMessageKey, type Locale } from '../../../core/i18n/index.js';
import type { AppContext } from '../../../core/http/context.js';

/**
 * The texts of the test payment page, to be copied into core/i18n/messages/{en,fr}.ts. Until they are,
 * `checkoutTranslator` reads them from here; once they are, it uses the site catalogs (where operators
 * may have changed them) and this file is only the reference.
 */
const en = {
  'pay_test.title': 'Test payment',
  'pay_test.banner': 'Test mode: no real money moves. Pay with a test card such as 4242 4242 4242 4242.',
  'pay_test.amount': 'Amount',
  'pay_test.save_notice': 'Your card will be kept for the next payments of this support.',
  'pay_test.card_number': 'Card number',
  'pay_test.expiry': 'Expiry date (MM/YY)',
  'pay_test.cvc': 'Security code (CVC)',
  'pay_test.cvc_hint': 'The 3 or 4 digits on the back of the card.',
  'pay_test.pay': 'Pay {amount}',
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

/** A message key of the test payment page (`pay_test.*`). */
export type TestCheckoutMessageKey = keyof typeof en;

const fr: Record<TestCheckoutMessageKey, string> = {
  'pay_test.title': 'Paiement de test',
  'pay_test.banner': "Mode test : aucun argent réel ne circule. Payez avec une carte de test comme 4242 4242 4242 4242.",
  'pay_test.amount': 'Montant',
  'pay_test.save_notice': 'Votre carte sera conservée pour les prochains paiements de ce soutien.',
  'pay_test.card_number': 'Numéro de carte',
  'pay_test.expiry': "Date d'expiration (MM/AA)",
  'pay_test.cvc': 'Code de sécurité (CVC)',
  'pay_test.cvc_hint': 'Les 3 ou 4 chiffres au dos de la carte.',
  'pay_test.pay': 'Payer {amount}',
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

/** Both catalogs, for the report and for the test that checks they match. */
export const testCheckoutMessages: Record<Locale, Record<TestCheckoutMessageKey, string>> = { en, fr };

/** Translates the test payment page's keys (and the site's own) in the request's language. */
export type CheckoutTranslate = (key: TestCheckoutMessageKey, vars?: Record<string, string | number>) => string;

/** The translator for one request: the site catalogs when they have the key, else this file. */
export function checkoutTranslator(c: AppContext): CheckoutTranslate {
  const locale = c.var.locale;
  return (key, vars) => {
    if (isMessageKey(key)) return c.var.t(key, vars);
    const template = testCheckoutMessages[locale][key] ?? en[key];
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
  };
}

/** The message for a decline code the page knows, else the generic decline. */
export function declineMessageKey(code: string): TestCheckoutMessageKey {
  if (code === 'insufficient_funds') return 'pay_test.declined.insufficient_funds';
  if (code === 'authentication_failed') return 'pay_test.declined.authentication_failed';
  return 'pay_test.declined.card_declined';
}
