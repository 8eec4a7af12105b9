/**
 * Exact conversions between integer minor units and the decimal strings some APIs want ("12.34").
 * Pure string arithmetic: no float ever holds an amount.
 */

/** Digits after the decimal point where ISO 4217 (as ICU knows it) disagrees or has no entry. */
const EXPONENT_OVERRIDES: Record<string, number> = { BTC: 8 };

/** How many minor-unit digits `currency` has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`not an ISO 4217 currency code: ${currency}`);
  const override = EXPONENT_OVERRIDES[currency];
  if (override !== undefined) return override;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `1234, 'EUR'` → `"12.34"`; `500, 'JPY'` → `"500"`. Throws on a non-integer or negative amount. */
export function minorToDecimal(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative integer: ${amount}`);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * `"12.34", 'EUR'` → `1234`. Accepts fewer decimals than the currency has ("12.3", "12") and extra
 * trailing zeros ("12.340"), but refuses anything that would need rounding ("12.345" in EUR).
 */
export function decimalToMinor(value: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${value}`);
  const exponent = currencyExponent(currency);
  const whole = match[1]!;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new RangeError(`${value} has more precision than ${currency} allows`);
  const amount = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount too large: ${value}`);
  return amount;
}

/** A price for people to read, in their language ("12,34 €"); exact, as Intl formats the decimal string. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3, Node 19+); the ES2022 typings we
  // compile against predate that overload, hence the cast. No float ever holds the amount.
  const formatDecimal = format.format as unknown as (value: string) => string;
  return formatDecimal(minorToDecimal(amount, currency));
}
