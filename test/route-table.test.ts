import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { mountedRoutes } from '../src/app.js';
import { createTestSite, type TestSite } from './support/harness.js';

/**
 * The route table of main before capabilities were mounted from manifests (commit cbff825), less the one
 * entry removed on purpose: `ALL /studio/*`, the Studio guard Hono had flattened over every /studio path,
 * now applied by the `studio` area to each Studio route group instead. A new route is added here with the
 * capability that brings it.
 */
const BEFORE = readFileSync(new URL('./fixtures/route-table-before-capabilities.txt', import.meta.url), 'utf8').trim().split('\n');
/** Routes added since, each by the capability that brings it. */
const ADDED: Record<string, string> = {
  'GET /studio/channels/:handle/moderation': 'moderation',
  'POST /studio/channels/:handle/moderation': 'moderation',
  'GET /studio/notifications': 'notifications',
  'POST /studio/notifications/settings': 'notifications',
};

describe('the route table', () => {
  let site: TestSite;
  before(async () => {
    site = await createTestSite();
  });
  after(() => site.close());

  it('is the same set of method and path as before the capability manifests, plus the routes added since', () => {
    const now = [...new Set(site.app.routes.filter((r) => r.path !== '/*').map((r) => `${r.method} ${r.path}`))].sort();
    assert.deepEqual(now, [...BEFORE, ...Object.keys(ADDED)].sort());
    for (const [route, capability] of Object.entries(ADDED)) {
      assert.ok(mountedRoutes(site.app).some((r) => `${r.method} ${r.path}` === route && r.capability === capability), route);
    }
  });

  it('gives every route an area, and puts every /studio route in the studio area', () => {
    const table = mountedRoutes(site.app);
    assert.ok(table.length >= BEFORE.length);
    for (const route of table) {
      assert.ok(route.area, `${route.method} ${route.path} has no area`);
      if (route.path.startsWith('/studio')) assert.equal(route.area, 'studio', `${route.method} ${route.path} (${route.capability})`);
      if (route.path.startsWith('/webhooks/')) assert.equal(route.area, 'webhook');
      if (route.path.startsWith('/ap/')) assert.equal(route.area, 'federation');
    }
  });
});
