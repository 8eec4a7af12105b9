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
  'GET /assets/:name{[A-Za-z0-9_-]+\\.(js|css)}': 'site',
  'GET /memberships/:id/payment-method': 'memberships',
  'POST /memberships/:id/payment-method': 'memberships',
  'GET /studio/channels/:handle/move': 'moving',
  'GET /studio/channels/:handle/youtube': 'moving',
  'DELETE /studio/takeout-uploads/*': 'moving',
  'GET /studio/takeout-uploads/*': 'moving',
  'OPTIONS /studio/takeout-uploads/*': 'moving',
  'PATCH /studio/takeout-uploads/*': 'moving',
  'POST /studio/takeout-uploads': 'moving',
  'POST /studio/takeout-uploads/*': 'moving',
  'POST /studio/channels/:handle/move': 'moving',
  'POST /studio/channels/:handle/move/aliases': 'moving',
  'POST /studio/channels/:handle/move/aliases/delete': 'moving',
  'POST /studio/channels/:handle/move/cancel': 'moving',
  'GET /studio/channels/:handle/export': 'portability',
  'POST /studio/channels/:handle/export': 'portability',
  'GET /studio/channels/:handle/exports/:id/archive.zip': 'portability',
  'GET /studio/import': 'portability',
  'DELETE /studio/archive-uploads/*': 'portability',
  'GET /studio/archive-uploads/*': 'portability',
  'OPTIONS /studio/archive-uploads/*': 'portability',
  'PATCH /studio/archive-uploads/*': 'portability',
  'POST /studio/archive-uploads': 'portability',
  'POST /studio/archive-uploads/*': 'portability',
  'POST /api/p2p/videos/:shortId/bytes': 'p2p',
  'GET /studio/p2p': 'p2p',
  'POST /studio/p2p': 'p2p',
  'GET /studio/channels/:handle/moderation': 'moderation',
  'POST /studio/channels/:handle/moderation': 'moderation',
  'POST /v/:shortId/support': 'fan-budget',
  'POST /c/:handle/support': 'fan-budget',
  'GET /account/budget': 'fan-budget',
  'POST /account/budget': 'fan-budget',
  'POST /account/budget/stop': 'fan-budget',
  'POST /account/budget/undo': 'fan-budget',
  'GET /studio/channels/:handle/fan-budget': 'fan-budget',
  'POST /c/:handle/follow': 'community',
  'POST /c/:handle/follow/email': 'community',
  'POST /c/:handle/follow/remote': 'community',
  'GET /follow/confirm/:token': 'community',
  'POST /follow/confirm/:token': 'community',
  'GET /follow/choices/:token': 'community',
  'POST /follow/choices/:token': 'community',
  'GET /unsubscribe/:token': 'community',
  'POST /unsubscribe/:token': 'community',
  'POST /webhooks/mail/inbound': 'community',
  'POST /v/:shortId/comments': 'community',
  'POST /comments/:id/edit': 'community',
  'POST /comments/:id/delete': 'community',
  'POST /comments/:id/report': 'community',
  'POST /c/:handle/posts/:slug/report': 'community',
  'GET /c/:handle/posts/:slug': 'community',
  'POST /c/:handle/posts/:slug/comments': 'community',
  'GET /authorize_interaction': 'community',
  'POST /authorize_interaction': 'community',
  'GET /studio/channels/:handle/community': 'community',
  'POST /studio/channels/:handle/community/settings': 'community',
  'POST /studio/channels/:handle/posts': 'community',
  'GET /studio/channels/:handle/posts/:id': 'community',
  'POST /studio/channels/:handle/posts/:id': 'community',
  'POST /studio/channels/:handle/posts/:id/delete': 'community',
  'POST /studio/channels/:handle/blocks': 'community',
  'POST /studio/channels/:handle/blocks/delete': 'community',
  'GET /c/:handle/campaigns/:slug': 'campaigns',
  'POST /c/:handle/campaigns/:slug/pledge': 'campaigns',
  'POST /c/:handle/campaigns/:slug/pledge/change': 'campaigns',
  'POST /c/:handle/campaigns/:slug/pledge/cancel': 'campaigns',
  'GET /c/:handle/campaigns/:slug/fix': 'campaigns',
  'POST /c/:handle/campaigns/:slug/fix': 'campaigns',
  'GET /account/pledges': 'campaigns',
  'GET /studio/channels/:handle/campaigns': 'campaigns',
  'POST /studio/channels/:handle/campaigns': 'campaigns',
  'GET /studio/channels/:handle/campaigns/:id': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/launch': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/cancel': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/extend': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/rewards': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/rewards/:rewardId/delete': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/stretch-goals': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/videos': 'campaigns',
  'POST /studio/channels/:handle/campaigns/:id/videos/:videoId/delete': 'campaigns',
  'GET /team-invitations/:token': 'channels',
  'POST /team-invitations/:token': 'channels',
  'GET /ap/:kind{c|a}/:name/outbox': 'federation',
  'GET /ap/comments/:id': 'federation',
  'GET /ap/comments/:id/approve-reply': 'federation',
  'GET /ap/posts/:id': 'federation',
  'GET /ap/videos/:shortId/icons/:file{[0-9]{1,4}x[0-9]{1,4}\\.jpg}': 'federation',
  'GET /api/v1/videos/:uuid/description': 'federation',
  'POST /studio/channels/:handle/revenue/notices/:noticeId/dismiss': 'funding-studio',
  'OPTIONS /media/v/:shortId/:path{.+}': 'videos',
  'GET /media/s/:token/:videoId/:folder/:file{.+}': 'videos',
  'HEAD /media/s/:token/:videoId/:folder/:file{.+}': 'videos',
  'OPTIONS /media/s/:token/:videoId/:folder/:file{.+}': 'videos',
  'DELETE /studio/bundle-uploads/*': 'bundles',
  'GET /b/:slug': 'bundles',
  'GET /b/:slug/access': 'bundles',
  'GET /b/:slug/paid/:paymentId': 'bundles',
  'GET /b/confirm': 'bundles',
  'GET /bundles/cover/:bundleId': 'bundles',
  'GET /bundles/files/:fileId': 'bundles',
  'GET /bundles/seed/:bundleId/:access/:token/:name/:filename': 'bundles',
  'GET /bundles/torrents/:bundleId/:file': 'bundles',
  'GET /bundles/zip/:bundleId': 'bundles',
  'GET /c/:handle/podcast-audio.rss': 'feeds',
  'GET /library': 'bundles',
  'GET /studio/bundle-uploads/*': 'bundles',
  'GET /studio/bundles/:id': 'bundles',
  'GET /studio/channels/:handle/bundles': 'bundles',
  'GET /torrents/v/:file': 'downloads',
  'HEAD /bundles/files/:fileId': 'bundles',
  'HEAD /bundles/seed/:bundleId/:access/:token/:name/:filename': 'bundles',
  'OPTIONS /studio/bundle-uploads/*': 'bundles',
  'PATCH /studio/bundle-uploads/*': 'bundles',
  'POST /b/:slug/unlock/email': 'bundles',
  'POST /b/:slug/unlock/pay': 'bundles',
  'POST /b/confirm': 'bundles',
  'POST /studio/bundle-uploads': 'bundles',
  'POST /studio/bundle-uploads/*': 'bundles',
  'POST /studio/bundles/:id': 'bundles',
  'POST /studio/bundles/:id/cover': 'bundles',
  'POST /studio/bundles/:id/files/:fileId': 'bundles',
  'POST /studio/bundles/:id/files/:fileId/delete': 'bundles',
  'POST /studio/bundles/:id/videos': 'bundles',
  'POST /studio/channels/:handle/bundles': 'bundles',
  'GET /studio/notifications': 'notifications',
  'POST /studio/notifications/settings': 'notifications',
  'GET /account/tips': 'tips',
  'GET /assets/icon.svg': 'site',
  'GET /assets/icon-192.png': 'site',
  'GET /assets/icon-512.png': 'site',
  'GET /favicon.ico': 'site',
  'GET /manifest.webmanifest': 'site',
  'GET /share': 'site',
  'POST /api/videos/:shortId/view': 'videos',
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
