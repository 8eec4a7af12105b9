import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Endpoints, Group } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { findChannelById } from '../channels/index.js';
import { moveChannel } from '../federation/index.js';
import { startRemoteServer, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, SITE, type FederationTestSite } from '../../test/support/federation-site.js';

describe('moving a channel out: followers get an Update with movedTo, then the Move', () => {
  let site: FederationTestSite;
  let remote: RemoteServer;
  let fanInbox: string;
  let target: string;

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
    const fan = await remote.addActor('fan');
    fanInbox = new URL(`${fan.uri}/inbox`).pathname;
    await site.deps.db.query('INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri) VALUES ($1, $2, $3)', [site.channelId, fan.uri, `${fan.uri}/inbox`]);
    // The channel on its new site lists the old one in alsoKnownAs (what an import sets).
    target = `${remote.origin}/ap/c/camille`;
    const group = new Group({ id: new URL(target), preferredUsername: 'camille', inbox: new URL(`${target}/inbox`), endpoints: new Endpoints({ sharedInbox: new URL(`${remote.origin}/inbox`) }), aliases: [new URL(`${SITE}/ap/c/camille`)] });
    remote.serve('/ap/c/camille', await group.toJsonLd({ contextLoader: getDocumentLoader() }));
  });
  after(async () => {
    await remote?.close();
    await site?.close();
  });

  it('sends the Group as served, with movedTo, a second before the Move', async () => {
    const channel = (await findChannelById(site.deps.db, site.channelId))!;
    await moveChannel(site.deps, site.fed, channel, target);
    await site.runJobs();
    assert.deepEqual(remote.deliveries.filter((d) => d.path === fanInbox).map((d) => d.body.type), ['Update'], 'the Update goes first');
    site.clock.advance(2000);
    await site.runJobs();
    const sent = remote.deliveries.filter((d) => d.path === fanInbox);
    assert.deepEqual(sent.map((d) => d.body.type), ['Update', 'Move']);
    const update = sent[0]!.body as { actor: string; object: Record<string, unknown> };
    assert.equal(update.actor, `${SITE}/ap/c/camille`);
    assert.equal(update.object.id, `${SITE}/ap/c/camille`);
    assert.equal(update.object.type, 'Group');
    assert.equal(update.object.movedTo, target);
    assert.ok(update.object.inbox && update.object.publicKey, 'the whole actor document, as Mastodon replaces its copy with it');
    assert.equal((sent[1]!.body as { target: string }).target, target);
  });
});
