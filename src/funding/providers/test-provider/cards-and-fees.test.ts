import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkCard, parseExpiry, passesLuhn, TEST_CARDS } from './cards.js';
import { DEFAULT_FEES, processingFee } from './fees.js';

const march2026 = new Date('2026-03-15T00:00:00Z');

describe('test cards', () => {
  it('knows every documented test number, and each passes the Luhn check', () => {
    for (const number of Object.keys(TEST_CARDS)) assert.ok(passesLuhn(number), number);
  });

  it('keeps only the behaviour, the brand and the last four digits of a card', () => {
    assert.deepEqual(checkCard({ number: '4000-0025-0000-3155', expiry: '03/26', cvc: '123' }, march2026), {
      ok: true,
      card: { behavior: 'authenticate_once', brand: 'visa', last4: '3155' },
    });
  });

  it('declines a valid number the bank does not know, like Stripe test mode', () => {
    const check = checkCard({ number: '4012888888881881', expiry: '12/30', cvc: '999' }, march2026);
    assert.equal(check.ok && check.card.behavior, 'decline');
  });

  it('accepts an expiry through the end of its month and refuses the month before', () => {
    assert.deepEqual(parseExpiry('3 / 2026'), { month: 3, year: 2026 });
    assert.equal(checkCard({ number: '4242424242424242', expiry: '03/26', cvc: '123' }, march2026).ok, true);
    assert.deepEqual(checkCard({ number: '4242424242424242', expiry: '02/26', cvc: '123' }, march2026), { ok: false, invalid: ['expiry'] });
    assert.equal(parseExpiry('13/30'), undefined);
  });
});

describe('test bank fees', () => {
  it('charges 1.5 % + 0.25 in EUR, rounding half up to the cent', () => {
    assert.equal(processingFee(1000, DEFAULT_FEES.EUR!), 40);
    assert.equal(processingFee(500, DEFAULT_FEES.EUR!), 33, '7.5 cents rounds up to 8');
    assert.equal(processingFee(1234, DEFAULT_FEES.EUR!), 44, '18.51 cents rounds to 19');
    assert.equal(processingFee(1233, DEFAULT_FEES.EUR!), 43, '18.495 cents rounds to 18');
  });

  it('charges 2.9 % + 0.30 in USD', () => {
    assert.equal(processingFee(2000, DEFAULT_FEES.USD!), 88);
  });

  it('is always a whole number of minor units, never more than the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (amount) => {
        const fee = processingFee(amount, DEFAULT_FEES.EUR!);
        return Number.isSafeInteger(fee) && fee >= 0 && fee <= amount;
      }),
    );
  });

  it('refuses a fractional amount', () => {
    assert.throws(() => processingFee(10.5, DEFAULT_FEES.EUR!), RangeError);
  });
});
