/**
 * The test bank's cards, numbered like Stripe's test cards so people can use what they already know.
 * Only the behaviour and the last four digits are ever stored; the full number and CVC are not.
 */

/** What a card does when charged. */
export type CardBehavior =
  /** Pays on-session and off-session. */
  | 'succeed'
  /** Refused with `card_declined`. */
  | 'decline'
  /** Refused with `insufficient_funds`. */
  | 'insufficient_funds'
  /** On-session payments need an "Authenticate" step; once saved, renewals go through. */
  | 'authenticate_once'
  /** Every payment needs the fan present: renewals come back `requires_action`. */
  | 'authenticate_always'
  /** Pays, then the fan's bank opens a dispute a little later. */
  | 'dispute'
  /** Pays on-session and can be saved, but every off-session charge is declined. */
  | 'decline_off_session';

/** The cards the bank knows, by number. Any other valid number is declined, as in Stripe's test mode. */
export const TEST_CARDS: Readonly<Record<string, CardBehavior>> = {
  '4242424242424242': 'succeed',
  '5555555555554444': 'succeed',
  '4000000000000002': 'decline',
  '4000000000009995': 'insufficient_funds',
  '4000002500003155': 'authenticate_once',
  '4000002760003184': 'authenticate_always',
  '4000000000000259': 'dispute',
  '4000000000000341': 'decline_off_session',
};

/** A card as the bank remembers it. */
export interface StoredCard {
  behavior: CardBehavior;
  brand: 'visa' | 'mastercard' | 'unknown';
  last4: string;
}

/** The fields of the card form, as named in the page and in `CardCheck.invalid`. */
export type CardField = 'number' | 'expiry' | 'cvc';

/** A card typed into the payment page, checked; or which fields are wrong. */
export type CardCheck = { ok: true; card: StoredCard } | { ok: false; invalid: CardField[] };

/** Luhn checksum, as every card number satisfies. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

function brandOf(digits: string): StoredCard['brand'] {
  if (digits.startsWith('4')) return 'visa';
  if (/^5[1-5]/.test(digits)) return 'mastercard';
  return 'unknown';
}

/** "12/34", "12 / 2034" → the last day it is valid is in that month. Returns undefined when unreadable. */
export function parseExpiry(value: string): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!match) return undefined;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return month >= 1 && month <= 12 ? { month, year } : undefined;
}

/**
 * Checks what the fan typed. Spaces and dashes in the number are ignored; the expiry must be this month
 * or later (by `now`, in UTC); the CVC is 3 or 4 digits.
 */
export function checkCard(input: { number: string; expiry: string; cvc: string }, now: Date): CardCheck {
  const digits = input.number.replace(/[\s-]/g, '');
  const invalid: CardField[] = [];
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) invalid.push('number');
  const expiry = parseExpiry(input.expiry);
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (!expiry || expiry.year * 12 + expiry.month < thisMonth) invalid.push('expiry');
  if (!/^\d{3,4}$/.test(input.cvc.trim())) invalid.push('cvc');
  if (invalid.length > 0) return { ok: false, invalid };
  return { ok: true, card: { behavior: TEST_CARDS[digits] ?? 'decline', brand: brandOf(digits), last4: digits.slice(-4) } };
}

/** The decline code an on-session payment with this card gets, or undefined when it goes through. */
export function onSessionDecline(behavior: CardBehavior): string | undefined {
  if (behavior === 'decline') return 'card_declined';
  if (behavior === 'insufficient_funds') return 'insufficient_funds';
  return undefined;
}

/** What an off-session charge of a saved card does. */
export function offSessionOutcome(behavior: CardBehavior): { status: 'succeeded' } | { status: 'requires_action'; declineCode: string } | { status: 'declined'; declineCode: string } {
  switch (behavior) {
    case 'authenticate_always':
      return { status: 'requires_action', declineCode: 'authentication_required' };
    case 'decline_off_session':
    case 'decline':
      return { status: 'declined', declineCode: 'card_declined' };
    case 'insufficient_funds':
      return { status: 'declined', declineCode: 'insufficient_funds' };
    default:
      return { status: 'succeeded' };
  }
}

/** Whether on-session payments with this card stop for an "Authenticate" step. */
export function needsAuthentication(behavior: CardBehavior): boolean {
  return behavior === 'authenticate_once' || behavior === 'authenticate_always';
}
