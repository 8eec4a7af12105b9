import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTierForm, tierFormValues } from './tier-form.js';

const form = (fields: Record<string, string>) => ({ name: 'Gold', currency: 'EUR', monthly_price: '5', ...fields });

describe('tier form', () => {
  it('reads prices in the currency’s minor units, with a comma or a dot', () => {
    const prices = (currency: string, monthly: string, yearly = '') => {
      const r = parseTierForm(form({ currency, monthly_price: monthly, yearly_price: yearly }));
      assert.ok(r.ok, JSON.stringify(r));
      return [r.data.monthlyPrice, r.data.yearlyPrice];
    };
    assert.deepEqual(prices('EUR', '5'), [500, null]);
    assert.deepEqual(prices('EUR', '5,00', '50'), [500, 5000]);
    assert.deepEqual(prices('EUR', '5.50', ' 1 234,5 '), [550, 123450]);
    assert.deepEqual(prices('JPY', '500'), [500, null]);
    assert.deepEqual(prices('KWD', '5.250'), [5250, null]);
  });

  it('names the problem of each refused price', () => {
    const error = (currency: string, monthly: string) => {
      const r = parseTierForm(form({ currency, monthly_price: monthly }));
      assert.ok(!r.ok);
      return r.errors['monthly_price'];
    };
    assert.equal(error('EUR', 'abc'), 'studio.money.malformed');
    assert.equal(error('EUR', '-5'), 'studio.money.negative');
    assert.equal(error('EUR', '5.555'), 'studio.money.decimals_2');
    assert.equal(error('JPY', '5,5'), 'studio.money.decimals_0');
    assert.equal(error('KWD', '5.2555'), 'studio.money.decimals_3');
    assert.equal(error('EUR', '0,00'), 'studio.money.zero');
    assert.equal(error('EUR', ''), 'error.required');
    assert.equal(error('EUR', '9'.repeat(20)), 'studio.money.too_large');
    // An unknown currency is its own error; the price is still checked (as euros).
    const r = parseTierForm(form({ currency: 'XBT', monthly_price: 'abc' }));
    assert.ok(!r.ok);
    assert.deepEqual(r.errors, { currency: 'studio.tiers.currency_invalid', monthly_price: 'studio.money.malformed' });
  });

  it('reads checkboxes, days and rank', () => {
    const r = parseTierForm(form({ members_only_videos: 'on', early_access_days: '365', rank: '3' }));
    assert.ok(r.ok);
    assert.deepEqual([r.data.membersOnlyVideos, r.data.badge, r.data.earlyAccessDays, r.data.rank], [true, false, 365, 3]);
    for (const days of ['366', '999', '-1', '1.5', 'x', '1e2']) {
      const bad = parseTierForm(form({ early_access_days: days }));
      assert.ok(!bad.ok && bad.errors['early_access_days'] === 'studio.tiers.early_access_invalid', days);
    }
  });

  it('shows a stored tier’s prices with the reader’s decimal separator', () => {
    const tier = {
      id: 'x', channel_id: 'y', name: 'Gold', description: '', currency: 'EUR', monthly_price: 550, yearly_price: null,
      members_only_videos: true, early_access_days: 0, badge: false, rank: 1, archived: false,
    };
    assert.equal(tierFormValues(tier, 'fr').monthly_price, '5,50');
    assert.equal(tierFormValues(tier, 'en').monthly_price, '5.50');
    assert.equal(tierFormValues(tier, 'en').yearly_price, '');
    assert.equal(tierFormValues(tier, 'en').badge, '');
  });
});
