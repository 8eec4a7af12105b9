import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestClient } from '../../../test/support/client.js';
import { findTier, insertTier, listTiers } from '../memberships/queries.js';
import { createMoneySite, type MoneySite } from '../../../test/support/funding/money-site.js';

const ENGINE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

const tierFields = { name: 'Gold', description: '', currency: 'EUR', monthly_price: '5', yearly_price: '', early_access_days: '0', rank: '0' };

describe(`money pages: who may see and change them (${ENGINE})`, () => {
  let m: MoneySite;
  let tierId: string;
  before(async () => {
    m = await createMoneySite();
    tierId = await insertTier(m.site.deps.db, m.channelId, {
      name: 'Silver', description: '', currency: 'EUR', monthlyPrice: 300, yearlyPrice: null, membersOnlyVideos: true, earlyAccessDays: 0, badge: true, rank: 0,
    });
  });
  after(() => m.site.close());

  const pages = () => [
    '/studio/channels/camille/revenue',
    '/studio/channels/camille/revenue?month=2026-10',
    '/studio/channels/camille/revenue.csv?month=2026-11',
    '/studio/channels/camille/tiers',
    `/studio/channels/camille/tiers/${tierId}`,
    '/studio/channels/camille/members',
    '/studio/channels/camille/members.csv',
  ];
  const forms = () => [
    { path: '/studio/channels/camille/tiers', fields: tierFields },
    { path: `/studio/channels/camille/tiers/${tierId}`, fields: { ...tierFields, name: 'Silver+' } },
    { path: `/studio/channels/camille/tiers/${tierId}/archive`, fields: {} },
    { path: `/studio/channels/camille/tiers/${tierId}/unarchive`, fields: {} },
  ];
  const snapshot = async () => JSON.stringify(await listTiers(m.site.deps.db, m.channelId, true));

  async function assertRefused(client: TestClient, status: number, who: string) {
    for (const path of pages()) assert.equal((await client.get(path)).res.status, status, `${who} GET ${path}`);
    const before = await snapshot();
    for (const { path, fields } of forms()) assert.equal((await client.post(path, fields)).res.status, status, `${who} POST ${path}`);
    assert.equal(await snapshot(), before, `${who} changed nothing`);
  }

  it('shows every page to the site owner and to the channel admin', async () => {
    for (const client of [m.owner, m.admin]) {
      for (const path of pages()) assert.equal((await client.get(path)).res.status, 200, path);
    }
  });

  it('lets the site owner and the channel admin create, edit, archive and bring back tiers', async () => {
    for (const client of [m.owner, m.admin]) {
      for (const { path, fields } of forms()) {
        const { res } = await client.post(path, fields);
        assert.equal(res.status, 303, path);
        assert.match(res.headers.get('location') ?? '', /^\/studio\/channels\/camille\/tiers\?notice=tier_/);
      }
    }
    assert.equal((await findTier(m.site.deps.db, tierId))?.name, 'Silver+');
  });

  it('refuses editors of the channel with 403, on every page and every form', async () => {
    await assertRefused(m.editor, 403, 'editor');
  });

  it('refuses the admin of another channel with 403', async () => {
    await assertRefused(m.otherAdmin, 403, 'other channel admin');
    assert.equal((await m.otherAdmin.get('/studio/channels/noe/revenue')).res.status, 200, 'but lets them see their own');
  });

  it('refuses fans with 403 and the Studio message', async () => {
    await assertRefused(m.fan, 403, 'fan');
    assert.match((await m.fan.get('/studio/channels/camille/revenue')).html, /The Studio is for the site owner and channel teams/);
  });

  it('sends anonymous visitors to the login page, coming back afterwards, and refuses their forms', async () => {
    for (const path of pages()) {
      const { res } = await m.anonymous.get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/login?back=${encodeURIComponent(path)}`);
    }
    const before = await snapshot();
    for (const { path, fields } of forms()) assert.equal((await m.anonymous.post(path, fields)).res.status, 401, path);
    assert.equal(await snapshot(), before);
  });

  it('answers an unknown channel with a translated 404 on every route', async () => {
    const paths = ['revenue', 'revenue.csv', 'tiers', `tiers/${tierId}`, 'members', 'members.csv'].map((p) => `/studio/channels/nobody/${p}`);
    for (const path of paths) {
      const { res, html } = await m.owner.get(path);
      assert.equal(res.status, 404, path);
      assert.match(html, /There is no channel here/);
    }
    assert.equal((await m.owner.post('/studio/channels/nobody/tiers', tierFields)).res.status, 404);
  });
});
