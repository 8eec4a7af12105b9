// Tests of money.ts: amounts, arithmetic, text in and out (forms, provider APIs, people), splits and fees.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addMoney,
  CURRENCIES,
  currencyExponent,
  CurrencyMismatchError,
  formatMoney,
  formatMoneyInput,
  fromDecimalString,
  InvalidAmountError,
  money,
  MoneyInputError,
  mulDivCeil,
  parseCurrency,
  parseMoneyInput,
  percentOf,
  splitLargestRemainder,
  subtractMoney,
  toDecimalString,
  UnsupportedCurrencyError,
  type Currency,
  type MoneyInputProblem,
} from './money.js';

const currencies = Object.keys(CURRENCIES) as Currency[];
const anyCurrency = fc.constantFrom(...currencies);
const amount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('money', () => {
  it('refuses floats, NaN, infinities, unsafe integers and unknown currencies', () => {
    for (const bad of [0.1, 5.5, Number.NaN, Infinity, -Infinity, 2 ** 53, '5' as unknown as number]) {
      assert.throws(() => money(bad, 'EUR'), InvalidAmountError, String(bad));
    }
    assert.throws(() => money(500, 'BTC'), UnsupportedCurrencyError);
    assert.throws(() => money(500, 'eur'), UnsupportedCurrencyError);
    assert.deepEqual(money(-0, 'EUR'), money(0, 'EUR'));
  });

  it('knows the supported currencies and how many decimals each has', () => {
    assert.equal(currencyExponent('EUR'), 2);
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(parseCurrency('CHF'), 'CHF');
    // Fiat only (BTCPay invoices are priced in one of these), and codes are upper case.
    for (const bad of ['BTC', 'eur', 'SEK', '']) assert.throws(() => parseCurrency(bad), UnsupportedCurrencyError, bad);
  });

  it('adds and subtracts in one currency and refuses to mix two', () => {
    assert.deepEqual(addMoney(money(150, 'EUR'), money(250, 'EUR')), money(400, 'EUR'));
    assert.deepEqual(subtractMoney(money(150, 'EUR'), money(250, 'EUR')), money(-100, 'EUR'));
    assert.throws(
      () => addMoney(money(1, 'EUR'), money(1, 'USD')),
      (e: unknown) => e instanceof CurrencyMismatchError && e.expected === 'EUR' && e.actual === 'USD',
    );
    assert.throws(() => subtractMoney(money(1, 'JPY'), money(1, 'EUR')), CurrencyMismatchError);
    assert.throws(() => addMoney(money(Number.MAX_SAFE_INTEGER, 'EUR'), money(1, 'EUR')), InvalidAmountError);
  });

  it('formats for people in their locale, exactly even for huge amounts', () => {
    assert.equal(formatMoney(money(500, 'EUR'), 'fr-FR'), '5,00\u00a0€');
    assert.equal(formatMoney(money(500, 'EUR'), 'en'), '€5.00');
    assert.equal(formatMoney(money(-450, 'EUR'), 'fr-FR'), '-4,50\u00a0€');
    assert.equal(formatMoney(money(500, 'JPY'), 'en'), '¥500');
    assert.equal(formatMoney(money(1234, 'KWD'), 'en'), 'KWD\u00a01.234');
    assert.equal(formatMoney(money(9_007_199_254_740_991, 'USD'), 'en'), '$90,071,992,547,409.91');
    assert.equal(formatMoney(money(1234, 'EUR'), 'fr').replace(/\s/g, ' '), '12,34 €');
  });

  it('writes plain decimal strings with exactly the currency’s decimals', () => {
    assert.equal(toDecimalString(money(5, 'EUR')), '0.05');
    assert.equal(toDecimalString(money(-5, 'EUR')), '-0.05');
    assert.equal(toDecimalString(money(123456, 'EUR')), '1234.56');
    assert.equal(toDecimalString(money(500, 'JPY')), '500');
    assert.equal(toDecimalString(money(1, 'KWD')), '0.001');
    assert.equal(toDecimalString(money(0, 'EUR')), '0.00');
    assert.equal(toDecimalString(money(99_999_999, 'USD')), '999999.99');
  });
});

describe('fromDecimalString (amounts from provider APIs)', () => {
  it('reads decimal strings back exactly, with fewer decimals or extra zeros', () => {
    assert.deepEqual(fromDecimalString('12.34', 'EUR'), money(1234, 'EUR'));
    assert.deepEqual(fromDecimalString('12.3', 'EUR'), money(1230, 'EUR'));
    assert.deepEqual(fromDecimalString('12', 'EUR'), money(1200, 'EUR'));
    assert.deepEqual(fromDecimalString('12.340000', 'EUR'), money(1234, 'EUR'));
    assert.deepEqual(fromDecimalString('500', 'JPY'), money(500, 'JPY'));
    assert.deepEqual(fromDecimalString('500.000', 'JPY'), money(500, 'JPY'));
    assert.deepEqual(fromDecimalString('1.005', 'KWD'), money(1005, 'KWD'));
  });

  it('refuses, with the reason, anything that would need rounding or is not a plain unsigned decimal', () => {
    const cases: [string, Currency, MoneyInputProblem][] = [
      ['', 'EUR', 'empty'],
      ['12.345', 'EUR', 'too_many_decimals'],
      ['0.5', 'JPY', 'too_many_decimals'],
      ['-1.00', 'EUR', 'negative'],
      ['1e3', 'EUR', 'malformed'],
      ['12,34', 'EUR', 'malformed'],
      ['1 234.00', 'EUR', 'malformed'],
      ['.5', 'EUR', 'malformed'],
      ['12.', 'EUR', 'malformed'],
      ['90071992547409.92', 'EUR', 'too_large'],
    ];
    for (const [input, currency, problem] of cases) {
      assert.throws(() => fromDecimalString(input, currency), (e: unknown) => e instanceof MoneyInputError && e.problem === problem, `${input} ${currency}`);
    }
    assert.throws(() => fromDecimalString('12.34', 'BTC'), UnsupportedCurrencyError);
  });

  it('round-trips every non-negative amount in every currency through toDecimalString', () => {
    fc.assert(
      fc.property(amount, anyCurrency, (n, currency) => {
        const m = money(n, currency);
        assert.deepEqual(fromDecimalString(toDecimalString(m), currency), m);
      }),
    );
  });
});

describe('parseMoneyInput', () => {
  it('reads both decimal separators, whole units and spaces between thousands', () => {
    assert.deepEqual(parseMoneyInput('5,50', 'EUR'), money(550, 'EUR'));
    assert.deepEqual(parseMoneyInput('5.50', 'EUR'), money(550, 'EUR'));
    assert.deepEqual(parseMoneyInput(' 5 ', 'EUR'), money(500, 'EUR'));
    assert.deepEqual(parseMoneyInput('5,5', 'EUR'), money(550, 'EUR'));
    assert.deepEqual(parseMoneyInput(',5', 'EUR'), money(50, 'EUR'));
    assert.deepEqual(parseMoneyInput('1 234,56', 'EUR'), money(123456, 'EUR'));
    assert.deepEqual(parseMoneyInput('1\u202f234,56', 'EUR'), money(123456, 'EUR'));
    assert.deepEqual(parseMoneyInput('500', 'JPY'), money(500, 'JPY'));
    assert.deepEqual(parseMoneyInput('1.234', 'KWD'), money(1234, 'KWD'));
  });

  it('refuses, with the reason, what is not a plain non-negative amount of the currency', () => {
    const cases: [string, Currency, MoneyInputProblem][] = [
      ['', 'EUR', 'empty'],
      ['   ', 'EUR', 'empty'],
      ['-5', 'EUR', 'negative'],
      ['−5', 'EUR', 'negative'],
      ['5.505', 'EUR', 'too_many_decimals'],
      ['5,5', 'JPY', 'too_many_decimals'],
      ['1,234.50', 'EUR', 'malformed'],
      ['5€', 'EUR', 'malformed'],
      ['abc', 'EUR', 'malformed'],
      ['5.', 'EUR', 'malformed'],
      ['1e3', 'EUR', 'malformed'],
      ['0x10', 'EUR', 'malformed'],
      ['90071992547409.92', 'EUR', 'too_large'],
    ];
    for (const [input, currency, problem] of cases) {
      assert.throws(() => parseMoneyInput(input, currency), (e: unknown) => e instanceof MoneyInputError && e.problem === problem, `${input} ${currency}`);
    }
  });

  it('reads back what formatMoneyInput and toDecimalString write, in every currency and locale', () => {
    fc.assert(
      fc.property(amount, anyCurrency, fc.constantFrom('fr-FR', 'en', 'de-DE', 'en-US'), (n, currency, locale) => {
        const m = money(n, currency);
        assert.deepEqual(parseMoneyInput(formatMoneyInput(m, locale), currency), m);
        assert.deepEqual(parseMoneyInput(toDecimalString(m), currency), m);
      }),
    );
  });

  it('shows in formatMoney the same digits it reads back', () => {
    fc.assert(
      fc.property(amount, anyCurrency, fc.constantFrom('fr-FR', 'en'), (n, currency, locale) => {
        const m = money(n, currency);
        const digits = formatMoney(m, locale).replace(/\D/g, '');
        assert.equal(digits, toDecimalString(m).replace(/\D/g, ''));
      }),
    );
  });
});

// |share − total × w / Σw| < 1, compared without floats.
function withinOneOfExact(share: number, total: number, weight: number, weightSum: number): boolean {
  const exactTimesSum = BigInt(total) * BigInt(weight);
  const s = BigInt(share) * BigInt(weightSum);
  return s < exactTimesSum + BigInt(weightSum) && s > exactTimesSum - BigInt(weightSum);
}

describe('splitLargestRemainder', () => {
  it('gives the leftover units to the largest remainders, ties to the lowest index', () => {
    assert.deepEqual(splitLargestRemainder(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(splitLargestRemainder(101, [1, 1, 1]), [34, 34, 33]);
    assert.deepEqual(splitLargestRemainder(10, [1, 2, 3]), [2, 3, 5]);
    assert.deepEqual(splitLargestRemainder(1, [0, 5, 5]), [0, 1, 0]);
    assert.deepEqual(splitLargestRemainder(0, [0, 0]), [0, 0]);
    assert.throws(() => splitLargestRemainder(1, [0, 0]), RangeError);
    assert.throws(() => splitLargestRemainder(1.5, [1]), InvalidAmountError);
    assert.throws(() => splitLargestRemainder(10, [1, -1]), InvalidAmountError);
  });

  it('always sums to the total, keeps each share within one unit of its exact proportion, gives zero weights nothing, and is deterministic', () => {
    fc.assert(
      fc.property(amount, fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const shares = splitLargestRemainder(total, weights);
        const weightSum = weights.reduce((s, w) => s + w, 0);
        assert.equal(shares.reduce((s, x) => s + BigInt(x), 0n), BigInt(total));
        shares.forEach((share, i) => {
          assert.ok(Number.isSafeInteger(share) && share >= 0);
          assert.ok(withinOneOfExact(share, total, weights[i]!, weightSum));
          if (weights[i] === 0) assert.equal(share, 0);
        });
        assert.deepEqual(splitLargestRemainder(total, [...weights]), shares);
      }),
      { numRuns: 500 },
    );
  });
});

describe('percentOf', () => {
  it('rounds down, so a fee never exceeds its rate', () => {
    assert.equal(percentOf(999, 1000), 99);
    assert.equal(percentOf(1000, 1000), 100);
    assert.equal(percentOf(9, 1000), 0);
    assert.equal(percentOf(Number.MAX_SAFE_INTEGER, 10_000), Number.MAX_SAFE_INTEGER);
    assert.throws(() => percentOf(100, 10_001), RangeError);
    assert.throws(() => percentOf(100, 2.5), RangeError);
  });

  it('leaves gross = net + fee exactly, with the fee within one unit below its exact value', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 10_000 }), (gross, bps) => {
        const fee = percentOf(gross, bps);
        const net = gross - fee;
        assert.equal(BigInt(net) + BigInt(fee), BigInt(gross));
        const exactTimes10k = BigInt(gross) * BigInt(bps);
        assert.ok(BigInt(fee) * 10_000n <= exactTimes10k && exactTimes10k < (BigInt(fee) + 1n) * 10_000n);
      }),
    );
  });

  it('rounds up in mulDivCeil', () => {
    assert.equal(mulDivCeil(47, 2, 10), 10);
    assert.equal(mulDivCeil(47, 10, 10), 47);
    assert.equal(mulDivCeil(0, 5, 7), 0);
  });
});
