import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { findTier, listTiers } from '../memberships/queries.js';
import { createMoneySite, useLanguage, type MoneySite } from '../../../test/support/funding/money-site.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

const valid = {
  name: 'Gold',
  description: 'Everything, earlier.',
  currency: 'EUR',
  monthly_price: '5,00',
  yearly_price: '50',
  members_only_videos: 'on',
  badge: 'on',
  early_access_days: '7',
  rank: '2',
};

describe(`membership tiers editor (${ENGINE})`, () => {
  let m: MoneySite;
  before(async () => {
    m = await createMoneySite();
  });
  after(() => m.site.close());

  const tiers = () => listTiers(m.site.deps.db, m.channelId, true);
  const byName = async (name: string) => (await tiers()).find((t) => t.name === name);

  it('offers the form with the channel’s currency and every currency Fanfare accepts', async () => {
    const { res, html } = await m.owner.get('/studio/channels/camille/tiers');
    assert.equal(res.status, 200);
    assert.match(html, /No tier yet/);
    assert.match(html, /<option value="EUR" selected="">EUR<\/option>|<option value="EUR" selected>EUR<\/option>/);
    for (const code of ['USD', 'GBP', 'CHF', 'CAD', 'JPY', 'KWD']) assert.match(html, new RegExp(`<option value="${code}"`));
    assert.match(html, /<label for="field-monthly_price">Monthly price<\/label>/);
  });

  it('creates tiers from prices typed as "5", "5,00" or "5.50", in the currency’s minor units', async () => {
    const cases = [
      { name: 'Gold', currency: 'EUR', monthly_price: '5,00', yearly_price: '50', monthly: 500, yearly: 5000 },
      { name: 'Bronze', currency: 'EUR', monthly_price: '5.50', yearly_price: '', monthly: 550, yearly: null },
      { name: 'Yen', currency: 'JPY', monthly_price: '500', yearly_price: '5 000', monthly: 500, yearly: 5000 },
      { name: 'Dinar', currency: 'KWD', monthly_price: '5', yearly_price: '5,250', monthly: 5000, yearly: 5250 },
    ];
    for (const c of cases) {
      const { res } = await m.owner.post('/studio/channels/camille/tiers', { ...valid, name: c.name, currency: c.currency, monthly_price: c.monthly_price, yearly_price: c.yearly_price });
      assert.equal(res.status, 303, c.name);
      assert.equal(res.headers.get('location'), '/studio/channels/camille/tiers?notice=tier_created');
      const tier = await byName(c.name);
      assert.equal(tier?.monthly_price, c.monthly, c.name);
      assert.equal(tier?.yearly_price, c.yearly, c.name);
      assert.equal(tier?.currency, c.currency);
    }
    const gold = await byName('Gold');
    assert.deepEqual(
      { d: gold?.description, v: gold?.members_only_videos, b: gold?.badge, e: gold?.early_access_days, r: gold?.rank, a: gold?.archived },
      { d: 'Everything, earlier.', v: true, b: true, e: 7, r: 2, a: false },
    );
    const { html } = await m.owner.get('/studio/channels/camille/tiers?notice=tier_created');
    assert.match(html, /The tier is created/);
    assert.match(html, /<th scope="row">Gold<\/th><td>€5\.00<\/td><td>€50\.00<\/td>/);
    assert.match(html, /<th scope="row">Bronze<\/th><td>€5\.50<\/td><td>Monthly only<\/td>/);
    assert.match(html, /Early access: 7 day\(s\)/);
  });

  it('reads unticked boxes as no benefit and empty numbers as zero', async () => {
    const { res } = await m.owner.post('/studio/channels/camille/tiers', { name: 'Plain', currency: 'USD', monthly_price: '1', early_access_days: '', rank: '' });
    assert.equal(res.status, 303);
    const plain = await byName('Plain');
    assert.deepEqual([plain?.members_only_videos, plain?.badge, plain?.early_access_days, plain?.rank], [false, false, 0, 0]);
  });

  it('refuses bad input with a 422, a message on the field, the input kept, and nothing written', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ monthly_price: 'abc' }, 'monthly_price', /Enter an amount like 5, 5\.50 or 5,50\./],
      [{ monthly_price: '-5' }, 'monthly_price', /The amount cannot be negative\./],
      [{ monthly_price: '5.555' }, 'monthly_price', /At most 2 decimals, like 5\.50\./],
      [{ monthly_price: '0' }, 'monthly_price', /Enter an amount greater than zero\./],
      [{ monthly_price: '' }, 'monthly_price', /This field is required\./],
      [{ monthly_price: '1,234.50' }, 'monthly_price', /Enter an amount like 5, 5\.50 or 5,50\./],
      [{ monthly_price: '99999999999999999999' }, 'monthly_price', /This amount is too large\./],
      [{ currency: 'JPY', monthly_price: '5,5' }, 'monthly_price', /This currency has no decimals/],
      [{ currency: 'KWD', monthly_price: '5.2555' }, 'monthly_price', /At most 3 decimals/],
      [{ yearly_price: 'abc' }, 'yearly_price', /Enter an amount like 5/],
      [{ yearly_price: '-50' }, 'yearly_price', /The amount cannot be negative\./],
      [{ name: '' }, 'name', /This field is required\./],
      [{ name: '   ' }, 'name', /This field is required\./],
      [{ name: 'x'.repeat(81) }, 'name', /At most 80 characters\./],
      [{ description: 'x'.repeat(2001) }, 'description', /At most 2000 characters\./],
      [{ early_access_days: '999' }, 'early_access_days', /Enter a whole number of days from 0 to 365\./],
      [{ early_access_days: '-1' }, 'early_access_days', /Enter a whole number of days from 0 to 365\./],
      [{ early_access_days: '1.5' }, 'early_access_days', /Enter a whole number of days from 0 to 365\./],
      [{ rank: 'first' }, 'rank', /Enter a whole number from 0 to 999\./],
      [{ currency: 'BTC' }, 'currency', /Choose a currency from the list\./],
      [{ currency: '' }, 'currency', /Choose a currency from the list\./],
    ];
    const before = JSON.stringify(await tiers());
    for (const [change, field, message] of cases) {
      const label = JSON.stringify(change).slice(0, 60);
      const { res, html } = await m.owner.post('/studio/channels/camille/tiers', { ...valid, name: 'Refused', ...change });
      assert.equal(res.status, 422, label);
      assert.match(html, /Please correct the fields marked below/, label);
      assert.match(html, new RegExp(`id="field-${field}-error">[^<]*`), label);
      assert.match(html, message, label);
      assert.match(html, new RegExp(`aria-invalid="true"[^>]*aria-describedby="[^"]*field-${field}-error|id="field-${field}"[^>]*aria-invalid="true"`), label);
      if (field !== 'name' && field !== 'description') assert.match(html, /value="Refused"/, `${label}: the name is kept`);
    }
    const kept = await m.owner.post('/studio/channels/camille/tiers', { ...valid, name: 'Refused', monthly_price: '5.555', yearly_price: '60,5' });
    assert.match(kept.html, /value="5\.555"/);
    assert.match(kept.html, /value="60,5"/);
    assert.match(kept.html, /name="early_access_days" type="number"[^>]*value="7"|value="7"/);
    assert.match(kept.html, /id="field-badge" name="badge" value="on" checked/);
    assert.equal(JSON.stringify(await tiers()), before, 'nothing written');
  });

  it('reports every bad field at once', async () => {
    const { res, html } = await m.owner.post('/studio/channels/camille/tiers', { name: '', currency: 'EUR', monthly_price: 'abc', early_access_days: '999' });
    assert.equal(res.status, 422);
    for (const field of ['name', 'monthly_price', 'early_access_days']) assert.match(html, new RegExp(`id="field-${field}-error"`));
  });

  it('translates the errors', async () => {
    await useLanguage(m.admin, 'fr');
    try {
      const { res, html } = await m.admin.post('/studio/channels/camille/tiers', { ...valid, monthly_price: '5.555', early_access_days: '999' });
      assert.equal(res.status, 422);
      assert.match(html, /2 décimales au plus, comme 5,50\./);
      assert.match(html, /Saisissez un nombre entier de jours, de 0 à 365\./);
    } finally {
      await useLanguage(m.admin, 'en');
    }
  });

  it('edits a tier, the form first showing its prices as the reader writes them', async () => {
    const gold = (await byName('Gold'))!;
    const form = await m.owner.get(`/studio/channels/camille/tiers/${gold.id}`);
    assert.equal(form.res.status, 200);
    assert.match(form.html, /value="5\.00"/);
    await useLanguage(m.admin, 'fr');
    try {
      assert.match((await m.admin.get(`/studio/channels/camille/tiers/${gold.id}`)).html, /value="5,00"/);
    } finally {
      await useLanguage(m.admin, 'en');
    }
    const { res } = await m.owner.post(`/studio/channels/camille/tiers/${gold.id}`, { ...valid, name: 'Gold plus', monthly_price: '6', yearly_price: '', early_access_days: '3' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/studio/channels/camille/tiers?notice=tier_saved');
    const saved = await findTier(m.site.deps.db, gold.id);
    assert.deepEqual([saved?.name, saved?.monthly_price, saved?.yearly_price, saved?.early_access_days], ['Gold plus', 600, null, 3]);
  });

  it('refuses a bad edit with the input kept and the tier unchanged', async () => {
    const gold = (await byName('Gold plus'))!;
    const { res, html } = await m.owner.post(`/studio/channels/camille/tiers/${gold.id}`, { ...valid, name: 'Changed', monthly_price: '-5' });
    assert.equal(res.status, 422);
    assert.match(html, /value="Changed"/);
    assert.match(html, /value="-5"/);
    assert.deepEqual(await findTier(m.site.deps.db, gold.id), gold);
  });

  it('keeps a tier’s currency while members hold it', async () => {
    const gold = (await byName('Gold plus'))!;
    const db = m.site.deps.db;
    const [fan] = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'fan@example.org'`);
    await db.query(
      `INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, provider, current_period_start, current_period_end)
       VALUES ($1, $2, $3, 'month', 'active', 'test', now(), now() + interval '1 month')`,
      [m.channelId, fan!.id, gold.id],
    );
    const { res, html } = await m.owner.post(`/studio/channels/camille/tiers/${gold.id}`, { ...valid, name: 'Gold plus', currency: 'USD', monthly_price: '6' });
    assert.equal(res.status, 422);
    assert.match(html, /Members hold this tier: its currency cannot change/);
    assert.equal((await findTier(db, gold.id))?.currency, 'EUR');
    const samePrice = await m.owner.post(`/studio/channels/camille/tiers/${gold.id}`, { ...valid, name: 'Gold plus', currency: 'EUR', monthly_price: '7' });
    assert.equal(samePrice.res.status, 303, 'other changes are fine');
  });

  it('archives a tier (listed apart, never deleted) and brings it back', async () => {
    const bronze = (await byName('Bronze'))!;
    const archived = await m.owner.post(`/studio/channels/camille/tiers/${bronze.id}/archive`, {});
    assert.equal(archived.res.status, 303);
    assert.equal(archived.res.headers.get('location'), '/studio/channels/camille/tiers?notice=tier_archived');
    assert.equal((await findTier(m.site.deps.db, bronze.id))?.archived, true);
    const { html } = await m.owner.get('/studio/channels/camille/tiers');
    const [current, past] = html.split('<h2 id="archived-heading">');
    assert.doesNotMatch(current!, /Bronze/);
    assert.match(past!, /<th scope="row">Bronze<\/th>/);
    assert.match(past!, /aria-label="Bring back Bronze"/);
    assert.match((await m.owner.get(`/studio/channels/camille/tiers/${bronze.id}`)).html, /This tier is archived/);
    const back = await m.owner.post(`/studio/channels/camille/tiers/${bronze.id}/unarchive`, {});
    assert.equal(back.res.headers.get('location'), '/studio/channels/camille/tiers?notice=tier_unarchived');
    assert.equal((await findTier(m.site.deps.db, bronze.id))?.archived, false);
  });

  it('answers an unknown tier, or another channel’s, with a translated 404 and writes nothing', async () => {
    const db = m.site.deps.db;
    const [noe] = await db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'noe'`);
    await m.owner.post('/studio/channels/noe/tiers', { ...valid, name: 'Noé tier' });
    const foreign = (await listTiers(db, noe!.id, true))[0]!;
    const before = JSON.stringify(await listTiers(db, noe!.id, true));
    for (const id of ['nope', randomUUID(), foreign.id, '%00', 'x'.repeat(300)]) {
      const base = `/studio/channels/camille/tiers/${encodeURIComponent(id)}`;
      const page = await m.owner.get(base);
      assert.equal(page.res.status, 404, id);
      assert.match(page.html, /This tier does not exist on this channel/);
      for (const path of [base, `${base}/archive`, `${base}/unarchive`]) assert.equal((await m.owner.post(path, valid)).res.status, 404, path);
    }
    assert.equal(JSON.stringify(await listTiers(db, noe!.id, true)), before);
  });
});
