import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecommendationRow } from './recommendations/index.js';
import * as q from './queries.js';
import { recommendationFederationHooks } from './recommend.js';
import { startRemoteServer, type RemoteActor, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, SITE, type FederationTestSite } from '../../test/support/federation-site.js';

describe('announcing recommendations', () => {
  let site: FederationTestSite;
  let remote: RemoteServer;
  let creator: RemoteActor;

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
    creator = await remote.addActor('creator');
    // A follower with its own inbox only (no shared inbox), so each recipient gets its own delivery.
    await q.upsertFollower(site.deps.db, {
      channelId: site.channelId,
      actorUri: `${remote.origin}/users/fan`,
      inboxUri: `${remote.origin}/users/fan/inbox`,
      sharedInboxUri: null,
      followActivityUri: `${remote.origin}/users/fan#follows/1`,
    });
  });
  after(async () => {
    await remote.close();
    await site.close();
  });

  const row = (fields: Partial<RecommendationRow> = {}): RecommendationRow => ({
    id: '00000000-0000-4000-8000-000000000001',
    channel_id: site.channelId,
    url: `${remote.origin}/w/1`,
    title: 'A remote film',
    thumbnail_key: null,
    author_name: 'creator',
    author_url: creator.uri,
    site_name: '127.0.0.1',
    source: 'activitypub',
    note: '',
    object_id: `${remote.origin}/videos/1`,
    object_actor: creator.uri,
    position: 1,
    created_at: new Date('2026-01-01T00:00:00Z'),
    ...fields,
  });

  it('sends an Announce, signed by the channel, to its followers and to the creator, through jobs', async () => {
    const hooks = recommendationFederationHooks(site.deps, () => site.fed);
    await hooks.onRecommendationAdded!(site.channelId, row());
    assert.equal(remote.deliveries.length, 0, 'nothing is sent inline');
    await site.runJobs();
    await site.runJobs();
    const announces = remote.deliveries.filter((d) => d.body.type === 'Announce');
    assert.deepEqual(announces.map((d) => d.path).sort(), ['/inbox', '/users/fan/inbox']);
    const body = announces[0]!.body;
    assert.equal(body.id, `${SITE}/ap/c/camille#recommendations/${row().id}`);
    assert.equal(body.actor, `${SITE}/ap/c/camille`);
    assert.equal(body.object, `${remote.origin}/videos/1`);
    assert.deepEqual(body.cc, [`${SITE}/ap/c/camille/followers`, creator.uri]);
    assert.match(announces[0]!.headers.signature ?? '', /keyId="https:\/\/fanfare\.test\/ap\/c\/camille#main-key"/);
  });

  it('sends Undo(Announce) when the recommendation is removed', async () => {
    const hooks = recommendationFederationHooks(site.deps, () => site.fed);
    await hooks.onRecommendationRemoved!(site.channelId, row());
    await site.runJobs();
    await site.runJobs();
    const undos = remote.deliveries.filter((d) => d.body.type === 'Undo');
    assert.deepEqual(undos.map((d) => d.path).sort(), ['/inbox', '/users/fan/inbox']);
    assert.deepEqual((undos[0]!.body.object as Record<string, unknown>).id, `${SITE}/ap/c/camille#recommendations/${row().id}`);
  });

  it('announces nothing for a recommendation read from oEmbed or Open Graph', async () => {
    const before = remote.deliveries.length;
    const hooks = recommendationFederationHooks(site.deps, () => site.fed);
    await hooks.onRecommendationAdded!(site.channelId, row({ id: '00000000-0000-4000-8000-000000000002', source: 'opengraph', object_id: null, object_actor: null }));
    await site.runJobs();
    assert.equal(remote.deliveries.length, before);
    assert.equal(await site.deps.db.query('SELECT 1 FROM jobs WHERE payload::text LIKE $1', ['%000000000002%']).then((r) => r.length), 0);
  });
});
