import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { requestFingerprint } from './inputs.js';
import { currencyExponent, decimalToMinor, formatMoney, minorToDecimal } from './minor-units.js';

describe('minor units', () => {
  it('knows how many decimals a currency has', () => {
    assert.equal(currencyExponent('EUR'), 2);
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(currencyExponent('BTC'), 8);
    assert.throws(() => currencyExponent('eur'), RangeError);
  });

  it('writes minor units as an exact decimal string', () => {
    assert.equal(minorToDecimal(1234, 'EUR'), '12.34');
    assert.equal(minorToDecimal(5, 'EUR'), '0.05');
    assert.equal(minorToDecimal(0, 'EUR'), '0.00');
    assert.equal(minorToDecimal(500, 'JPY'), '500');
    assert.equal(minorToDecimal(99_999_999, 'USD'), '999999.99');
    assert.throws(() => minorToDecimal(12.5, 'EUR'), RangeError);
    assert.throws(() => minorToDecimal(-1, 'EUR'), RangeError);
  });

  it('reads decimal strings back exactly, refusing anything that would need rounding', () => {
    assert.equal(decimalToMinor('12.34', 'EUR'), 1234);
    assert.equal(decimalToMinor('12.3', 'EUR'), 1230);
    assert.equal(decimalToMinor('12', 'EUR'), 1200);
    assert.equal(decimalToMinor('12.340000', 'EUR'), 1234);
    assert.throws(() => decimalToMinor('12.345', 'EUR'), RangeError);
    assert.throws(() => decimalToMinor('1e3', 'EUR'), RangeError);
    assert.throws(() => decimalToMinor('-1.00', 'EUR'), RangeError);
  });

  it('round-trips every amount in every kind of currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('EUR', 'JPY', 'KWD', 'BTC'), (amount, currency) => {
        return decimalToMinor(minorToDecimal(amount, currency), currency) === amount;
      }),
    );
  });

  it('formats prices for people in their language', () => {
    assert.equal(formatMoney(1234, 'EUR', 'en'), '€12.34');
    assert.equal(formatMoney(1234, 'EUR', 'fr').replace(/\s/g, ' '), '12,34 €');
    assert.equal(formatMoney(500, 'JPY', 'en'), '¥500');
  });
});

describe('request fingerprints', () => {
  it('ignore key order and absent fields, and see any change of value', () => {
    const a = requestFingerprint({ amount: 1, metadata: { x: '1', y: '2' }, email: undefined });
    assert.equal(a, requestFingerprint({ metadata: { y: '2', x: '1' }, amount: 1 }));
    assert.notEqual(a, requestFingerprint({ amount: 2, metadata: { x: '1', y: '2' } }));
    assert.notEqual(a, requestFingerprint({ amount: 1, metadata: { x: '1', y: '3' } }));
  });
});
