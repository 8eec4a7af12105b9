// Three real Fanfare sites: Alice's channel moves from site A to Bob's channel on site B; Carol's channel
// on site C, which followed Alice, ends up following the new channel after the `Move`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, FEDERATION_ENV, followerCount, Session, setUpSite } from '../support/federation.js';
import { startServer, type RunningServer } from '../support/server.js';

const AP = { accept: 'application/activity+json' };

async function actorDoc(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: AP, redirect: 'manual' });
  assert.equal(res.status, 200, url);
  return (await res.json()) as Record<string, unknown>;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

describe('moving a channel between three Fanfare sites', { timeout: 900_000 }, () => {
  let a: RunningServer;
  let b: RunningServer;
  let c: RunningServer;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let oldActor: string;
  let newActor: string;

  before(async () => {
    // One after the other: cold starts at once can outlast the readiness wait on 2 cores.
    a = await startServer({ env: FEDERATION_ENV });
    b = await startServer({ env: FEDERATION_ENV });
    c = await startServer({ env: FEDERATION_ENV });
    [alice, bob, carol] = await Promise.all([setUpSite(a, 'alice', 'Alice'), setUpSite(b, 'bob', 'Bob'), setUpSite(c, 'carol', 'Carol')]);
    oldActor = `${a.url}/ap/c/alice`;
    newActor = `${b.url}/ap/c/bob`;
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  it("has site C's channel follow the old channel on A", async () => {
    await carol.page('/studio/channels/carol/fediverse');
    const res = await carol.post('/studio/channels/carol/follow', { uri: oldActor }, 'application/json');
    assert.equal(res.status, 200, await res.clone().text());
    await eventually('A to record the follower', async () => (await followerCount(a, 'alice')) === 1);
    await eventually("C to receive A's Accept", async () => !(await carol.page('/studio/channels/carol/fediverse')).includes('waiting for acceptance'));
  });

  it('refuses to move to a channel that does not say it came from the old one', async () => {
    await alice.page('/studio/channels/alice/move');
    const res = await alice.post('/studio/channels/alice/move', { uri: newActor }, 'application/json');
    assert.equal(res.status, 422, await res.clone().text());
    assert.match(await res.text(), /came from this one|does not say/);
    assert.equal((await actorDoc(oldActor)).movedTo, undefined);
  });

  it('lists the old channel in the new Group’s alsoKnownAs once B says where it came from', async () => {
    await bob.page('/studio/channels/bob/move');
    const res = await bob.post('/studio/channels/bob/move/aliases', { uri: `@alice@${new URL(a.url).host}` }, 'application/json');
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { alias: oldActor });
    assert.deepEqual(list((await actorDoc(newActor)).alsoKnownAs), [oldActor]);
    assert.ok((await bob.page('/studio/channels/bob/move')).includes(oldActor));
  });

  it('moves the channel: movedTo on the old Group, 301s from its pages, and C follows the new channel', async () => {
    await alice.page('/studio/channels/alice/move');
    const res = await alice.post('/studio/channels/alice/move', { uri: newActor }, 'application/json');
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { movedTo: newActor, page: `${b.url}/c/bob`, mailed: 0 });
    assert.equal((await actorDoc(oldActor)).movedTo, newActor);

    // The old addresses answer 301 to the new site (the actor document itself stays, with movedTo).
    const page = await fetch(`${a.url}/c/alice`, { redirect: 'manual' });
    assert.equal(page.status, 301);
    assert.equal(page.headers.get('location'), `${b.url}/c/bob`);
    const feed = await fetch(`${a.url}/c/alice/feed.xml?x=1`, { redirect: 'manual' });
    assert.equal(feed.status, 301);
    assert.equal(feed.headers.get('location'), `${b.url}/c/bob/feed.xml?x=1`);
    const apPage = await fetch(`${a.url}/c/alice`, { headers: AP, redirect: 'manual' });
    assert.equal(apPage.status, 301);
    assert.equal(apPage.headers.get('location'), newActor);
    const browserOnActor = await fetch(oldActor, { redirect: 'manual' });
    assert.equal(browserOnActor.status, 301);
    assert.equal(browserOnActor.headers.get('location'), `${b.url}/c/bob`);

    await eventually('B to record C as a follower of the new channel', async () => (await followerCount(b, 'bob')) === 1);
    await eventually('A to lose C as a follower (Undo Follow)', async () => (await followerCount(a, 'alice')) === 0);
    const studio = await eventually('C to have its follow of the new channel accepted', async () => {
      const html = await carol.page('/studio/channels/carol/fediverse');
      return html.includes(newActor) && !html.includes('waiting for acceptance') ? html : undefined;
    });
    assert.ok(!studio.includes(`href="${oldActor}"`), 'C no longer follows the old channel');
  });
});
