// Money: an integer count of a currency's minor unit (cents, yen, fils) and the currency. The one
// money module of funding: the ledger, the funding models, the pages and the payment providers all
// use this `Money` and these functions. No floats anywhere: amounts are safe integers, splits and
// percentages use integer arithmetic (BigInt where a product could exceed 2^53), every rounding
// states who gets the odd unit, and amounts cross to and from text (forms, provider APIs, Intl) as
// exact decimal strings.

/**
 * The currencies Fanfare accepts, with their ISO 4217 exponent (digits after the decimal point).
 * Fiat only: crypto payments (BTCPay) are invoiced and recorded in one of these, because
 * Intl cannot format BTC and its 8-decimal satoshi would need its own rounding rules.
 * Adding a currency here also needs a migration: the ledger's CHECK constraints list them.
 */
export const CURRENCIES = {
  EUR: { exponent: 2 },
  USD: { exponent: 2 },
  GBP: { exponent: 2 },
  CHF: { exponent: 2 },
  CAD: { exponent: 2 },
  JPY: { exponent: 0 },
  KWD: { exponent: 3 },
} as const;

/** An ISO 4217 code Fanfare supports. */
export type Currency = keyof typeof CURRENCIES;

/** An amount of money: `amount` minor units (signed, safe integer) of `currency`. Immutable. */
export interface Money {
  readonly amount: number;
  readonly currency: Currency;
}

/** Base class of money errors; `code` is stable for callers and HTTP mapping. */
export class MoneyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A minor-unit amount that is not a safe integer (a float, NaN, Infinity, or beyond 2^53). */
export class InvalidAmountError extends MoneyError {
  constructor(readonly value: unknown) {
    super('invalid_amount', `amount must be a safe integer of minor units, got ${String(value)}`);
  }
}

/** A currency code Fanfare does not support. */
export class UnsupportedCurrencyError extends MoneyError {
  constructor(readonly currency: string) {
    super('unsupported_currency', `unsupported currency ${JSON.stringify(currency)}`);
  }
}

/** Two amounts of different currencies were combined. */
export class CurrencyMismatchError extends MoneyError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('currency_mismatch', `cannot combine ${expected} with ${actual}`);
  }
}

/** Why a typed amount was refused. */
export type MoneyInputProblem = 'empty' | 'malformed' | 'negative' | 'too_many_decimals' | 'too_large';

/**
 * An amount that could not be read, typed in a form (`parseMoneyInput`) or received from a provider
 * API (`fromDecimalString`); `problem` says why (for a translated message).
 */
export class MoneyInputError extends MoneyError {
  constructor(
    readonly input: string,
    readonly problem: MoneyInputProblem,
    readonly currency: Currency,
  ) {
    super(`money_input_${problem}`, `cannot read ${JSON.stringify(input)} as ${currency}: ${problem}`);
  }
}

/** True when `code` is a supported currency. */
export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCIES, code);
}

/** The supported currency `code` names; throws UnsupportedCurrencyError for any other ("eur" included). */
export function parseCurrency(code: string): Currency {
  if (!isCurrency(code)) throw new UnsupportedCurrencyError(code);
  return code;
}

/** The number of decimals of `currency` (EUR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: Currency): number {
  return CURRENCIES[currency].exponent;
}

/** Builds a Money from minor units; refuses floats, NaN, unsafe integers and unknown currencies. */
export function money(amount: number, currency: string): Money {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) throw new InvalidAmountError(amount);
  if (!isCurrency(currency)) throw new UnsupportedCurrencyError(currency);
  // -0 and 0 are the same amount; keep one so deepEqual and Object.is agree.
  return Object.freeze({ amount: amount === 0 ? 0 : amount, currency });
}

/** Zero of `currency`. */
export function zero(currency: Currency): Money {
  return money(0, currency);
}

/** Throws CurrencyMismatchError unless `a` and `b` share a currency. */
export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

/** a + b; refuses mixed currencies and results beyond the safe integer range. */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

/** a − b; refuses mixed currencies and results beyond the safe integer range. */
export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** −a. */
export function negateMoney(a: Money): Money {
  return money(-a.amount, a.currency);
}

/** Sum of `amounts`, all in `currency` (zero when empty). */
export function sumMoney(currency: Currency, amounts: readonly Money[]): Money {
  return amounts.reduce(addMoney, zero(currency));
}

/** The amount as a plain decimal string with exactly the currency's decimals: "5.00", "-0.05", "500". */
export function toDecimalString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const digits = Math.abs(m.amount).toString().padStart(exponent + 1, '0');
  const sign = m.amount < 0 ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Reads an amount as payment providers' APIs write it (BTCPay's "12.34"): a plain, unsigned decimal
 * string with "." as separator. Accepts fewer decimals than the currency has ("12.3", "12") and zeros
 * beyond them ("12.340000"), but refuses anything that would need rounding ("12.345" EUR), signs,
 * exponents, grouping and amounts beyond 2^53: MoneyInputError says which; UnsupportedCurrencyError
 * for a currency Fanfare does not take. The inverse of toDecimalString on non-negative amounts.
 * (What people type goes through parseMoneyInput, which also takes "," and spaces.)
 */
export function fromDecimalString(value: string, currency: string): Money {
  const code = parseCurrency(currency);
  const text = value.trim();
  if (text === '') throw new MoneyInputError(value, 'empty', code);
  if (/^[-−]/.test(text)) throw new MoneyInputError(value, 'negative', code);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyInputError(value, 'malformed', code);
  const exponent = currencyExponent(code);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new MoneyInputError(value, 'too_many_decimals', code);
  const minor = BigInt(match[1]! + fraction.padEnd(exponent, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyInputError(value, 'too_large', code);
  return money(Number(minor), code);
}

/**
 * The amount for people, in `locale`: fr-FR "5,00 €", en "€5.00". Exact at any size: Intl is given
 * the decimal string, never a float.
 */
export function formatMoney(m: Money, locale: string): string {
  const digits = currencyExponent(m.currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl.NumberFormat reads decimal strings exactly (ECMA-402 v3, Node ≥ 19); the types still say number.
  return format.format(toDecimalString(m) as unknown as number);
}

/** The amount as a form field shows it: no symbol, no grouping, the locale's decimal separator ("5,50"). */
export function formatMoneyInput(m: Money, locale: string): string {
  const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return toDecimalString(m).replace('.', separator);
}

// Spaces people type or paste as thousands separators: space, no-break space, narrow no-break space.
const GROUPING_SPACES = /[ \u00a0\u202f]/g;

/**
 * Reads an amount typed in a form: "5,50" and "5.50" are both five and a half, "1 234,5" is accepted,
 * "5" is whole units. Refused, with the reason in MoneyInputError.problem: empty input, negatives,
 * more decimals than the currency has ("5.505" EUR, "5,5" JPY), anything else that is not plain
 * digits with at most one separator ("1,234.50" is ambiguous and refused), and amounts beyond 2^53.
 */
export function parseMoneyInput(input: string, currency: Currency): Money {
  const text = input.trim().replace(GROUPING_SPACES, '');
  if (text === '') throw new MoneyInputError(input, 'empty', currency);
  if (/^[-−]/.test(text)) throw new MoneyInputError(input, 'negative', currency);
  const match = /^(\d*)(?:[.,](\d+))?$/.exec(text);
  if (!match || (match[1] === '' && match[2] === undefined)) throw new MoneyInputError(input, 'malformed', currency);
  const whole = match[1] || '0';
  const fraction = match[2] ?? '';
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) throw new MoneyInputError(input, 'too_many_decimals', currency);
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyInputError(input, 'too_large', currency);
  return money(Number(minor), currency);
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidAmountError(`${what} ${value}`);
}

/**
 * Splits `total` minor units in proportion to `weights` (largest-remainder method).
 * Guarantees: the shares are integers summing exactly to `total`; each share is within one unit of its
 * exact proportion (floor or floor + 1); a zero weight gets zero; the same input always gives the same
 * output. Remainder rule: each share first gets the floor of its exact proportion; the units left over
 * go one each to the largest fractional remainders, and between equal remainders to the lowest index.
 * Callers order weights by something stable (e.g. channel id) so that rule is fair and reproducible.
 */
export function splitLargestRemainder(total: number, weights: readonly number[]): number[] {
  assertCount(total, 'total');
  weights.forEach((w) => assertCount(w, 'weight'));
  const weightSum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (weightSum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('cannot split a non-zero total over zero weights');
  }
  const big = BigInt(total);
  const shares = weights.map((w) => (big * BigInt(w)) / weightSum);
  const remainders = weights.map((w) => (big * BigInt(w)) % weightSum);
  let left = Number(big - shares.reduce((s, x) => s + x, 0n));
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => (remainders[a]! === remainders[b]! ? a - b : remainders[a]! > remainders[b]! ? -1 : 1));
  for (const i of order) {
    if (left === 0) break;
    shares[i] = shares[i]! + 1n;
    left--;
  }
  return shares.map(Number);
}

/** The largest fee Fanfare lets a site take: 10 % (creators keep at least 90 %). */
export const MAX_PLATFORM_FEE_BPS = 1000;

/**
 * `basisPoints` / 10 000 of a non-negative `amount`, ROUNDED DOWN: a fee computed with it never
 * exceeds its rate, and the odd fraction of a unit stays with the creator.
 * percentOf(999, 1000) = 99 (exactly 99.9).
 */
export function percentOf(amount: number, basisPoints: number): number {
  assertCount(amount, 'amount');
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) {
    throw new RangeError(`basis points must be an integer in 0..10000, got ${basisPoints}`);
  }
  return Number((BigInt(amount) * BigInt(basisPoints)) / 10_000n);
}

/** ⌈amount × numerator / denominator⌉ for non-negative integers, exactly (BigInt). */
export function mulDivCeil(amount: number, numerator: number, denominator: number): number {
  assertCount(amount, 'amount');
  assertCount(numerator, 'numerator');
  if (!Number.isSafeInteger(denominator) || denominator <= 0) throw new RangeError(`denominator must be positive, got ${denominator}`);
  const product = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  return Number((product + d - 1n) / d);
}
