import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Endpoints, Person } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { startRemoteServer, type RemoteActor, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, SITE, type FederationTestSite } from '../../test/support/federation-site.js';

describe('an incoming Move', () => {
  let site: FederationTestSite;
  let remote: RemoteServer;
  let old: RemoteActor;
  let follower: RemoteActor;
  let aliased: string;
  let unaliased: string;

  /** Serves a remote actor `/users/{name}` listing `aliases` in alsoKnownAs. */
  async function serveActor(name: string, aliases: string[]): Promise<string> {
    const uri = `${remote.origin}/users/${name}`;
    const person = new Person({ id: new URL(uri), preferredUsername: name, inbox: new URL(`${uri}/inbox`), endpoints: new Endpoints({ sharedInbox: new URL(`${remote.origin}/inbox`) }), aliases: aliases.map((a) => new URL(a)) });
    remote.serve(`/users/${name}`, await person.toJsonLd({ contextLoader: getDocumentLoader() }));
    return uri;
  }

  const move = (actor: RemoteActor, target: unknown, n: number) => ({
    '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.uri}#moves/${n}`, type: 'Move', actor: actor.uri, object: actor.uri, target,
  });
  const post = async (actor: RemoteActor, activity: unknown) => {
    const res = await site.app.request(await actor.signedPost(`${SITE}/ap/inbox`, activity));
    assert.ok(res.status < 300, String(res.status));
    await site.runJobs();
  };
  const following = async () => (await site.deps.db.query<{ actor_uri: string; status: string }>('SELECT actor_uri, status FROM federation_following WHERE channel_id = $1', [site.channelId])).map((r) => `${r.actor_uri} ${r.status}`);
  const followers = async () => (await site.deps.db.query<{ actor_uri: string }>('SELECT actor_uri FROM federation_followers WHERE channel_id = $1 ORDER BY actor_uri', [site.channelId])).map((r) => r.actor_uri);

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
    old = await remote.addActor('old');
    follower = await remote.addActor('fan');
    aliased = await serveActor('new', [old.uri, follower.uri]);
    unaliased = await serveActor('impostor', []);
    // The channel follows `old` (accepted), and `fan` follows the channel.
    await site.deps.db.query(
      `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, follow_activity_uri, status, accepted_at) VALUES ($1, $2, $3, $4, 'accepted', now())`,
      [site.channelId, old.uri, `${old.uri}/inbox`, `${SITE}/ap/a/owner#follows/1`],
    );
    await site.deps.db.query('INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri) VALUES ($1, $2, $3)', [site.channelId, follower.uri, `${follower.uri}/inbox`]);
  });
  after(async () => {
    await remote.close();
    await site.close();
  });

  it('is ignored when the target does not list the origin, even if an embedded copy claims it does', async () => {
    await post(old, move(old, unaliased, 1));
    await post(old, move(old, { id: unaliased, type: 'Person', inbox: `${unaliased}/inbox`, alsoKnownAs: [old.uri] }, 2));
    assert.deepEqual(await following(), [`${old.uri} accepted`]);
    assert.equal(remote.deliveries.length, 0);
  });

  it('moves the follow of a followed actor to its target: Undo to the old, Follow to the new', async () => {
    await post(old, move(old, aliased, 3));
    assert.deepEqual(await following(), [`${aliased} pending`]);
    const sent = remote.deliveries.map((d) => `${d.body.type} ${d.path}`);
    assert.ok(sent.includes('Undo /users/old/inbox'), sent.join(', '));
    assert.ok(sent.includes('Follow /users/new/inbox'), sent.join(', '));
    const follow = remote.deliveries.find((d) => d.body.type === 'Follow')!.body;
    assert.equal(follow.object, aliased);
    assert.equal(follow.actor, `${SITE}/ap/a/owner`);
  });

  it("moves a remote follower's follow to its new actor", async () => {
    await post(follower, move(follower, aliased, 4));
    assert.deepEqual(await followers(), [aliased]);
  });
});
