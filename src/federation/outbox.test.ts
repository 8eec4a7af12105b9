import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { verifyRequest } from '@fedify/fedify';
import { getDocumentLoader, type DocumentLoader } from '@fedify/vocab-runtime';
import { RECONCILE_JOB } from './jobs.js';
import { DELIVER_JOB, syncVideo, VIDEO_SYNC_JOB } from './outbox.js';
import { startRemoteServer, type RemoteServer } from '../../test/fakes/fediverse-server.js';
import { createFederationTestSite, insertVideo, SITE, type FederationTestSite } from '../../test/support/federation-site.js';

describe('the outbox', () => {
  let site: FederationTestSite;
  let remote: RemoteServer;

  before(async () => {
    site = await createFederationTestSite();
    remote = await startRemoteServer();
  });
  after(async () => {
    await remote.close();
    await site.close();
  });
  beforeEach(async () => {
    await site.deps.db.query('DELETE FROM federation_followers');
    await site.deps.db.query('DELETE FROM jobs');
    remote.deliveries.length = 0;
  });

  const follow = (actor: string, inbox: string, sharedInbox: string | null) =>
    site.deps.db.query('INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri, shared_inbox_uri) VALUES ($1, $2, $3, $4)', [site.channelId, actor, inbox, sharedInbox]);
  const deliveryJobs = async () => (await site.deps.db.query<{ payload: { inbox: string; activity: Record<string, unknown> } }>('SELECT payload FROM jobs WHERE type = $1 ORDER BY id', [DELIVER_JOB])).map((j) => j.payload);
  const sync = (id: string) => syncVideo(site.deps, site.fed, id);
  const touch = (id: string, set: string) => site.deps.db.query(`UPDATE videos SET ${set}, updated_at = updated_at + interval '1 second' WHERE id = $1`, [id]);

  it('sends a public video as Create to each follower inbox, shared inboxes once', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, `${remote.origin}/inbox`);
    await follow(`${remote.origin}/users/b`, `${remote.origin}/users/b/inbox`, `${remote.origin}/inbox`);
    await follow(`${remote.origin}/users/c`, `${remote.origin}/users/c/inbox`, null);
    const video = await insertVideo(site, { title: 'Out it goes' });
    assert.equal(await sync(video.id), 'created');
    assert.equal(await sync(video.id), 'unchanged', 'a second run sends nothing');
    const jobs = await deliveryJobs();
    assert.deepEqual(jobs.map((j) => j.inbox).sort(), [`${remote.origin}/inbox`, `${remote.origin}/users/c/inbox`]);
    await site.runJobs();
    assert.equal(remote.deliveries.length, 2);
    const create = remote.deliveries[0]!.body;
    assert.equal(create.type, 'Create');
    assert.equal(create.actor, `${SITE}/ap/c/camille`);
    const object = create.object as Record<string, unknown>;
    assert.equal(object.id, `${SITE}/ap/videos/${video.shortId}`);
    assert.equal(object.uuid, video.id);
    assert.equal(object.name, 'Out it goes');
  });

  it('signs each delivery so that the receiver can check it against the channel\'s published key', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    await sync((await insertVideo(site)).id);
    await site.runJobs();
    const d = remote.deliveries[0]!;
    const request = new Request(`${remote.origin}${d.path}`, { method: 'POST', headers: d.headers, body: JSON.stringify(d.body) });
    // The receiver fetches our actor: served here by the app itself.
    const preloaded = getDocumentLoader();
    const loader: DocumentLoader = async (url) => {
      if (!url.startsWith(SITE)) return preloaded(url);
      const res = await site.app.request(url, { headers: { accept: 'application/activity+json' } });
      return { contextUrl: null, document: await res.json(), documentUrl: url };
    };
    const key = await verifyRequest(request, { documentLoader: loader, contextLoader: preloaded });
    assert.equal(key?.id?.href, `${SITE}/ap/c/camille#main-key`);
  });

  it('never sends unlisted, members-only, draft or unfinished videos', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    for (const fields of [{ visibility: 'unlisted' }, { visibility: 'members' }, { visibility: 'draft' }, { status: 'processing' }, { status: 'failed' }]) {
      assert.equal(await sync((await insertVideo(site, fields)).id), 'unchanged', JSON.stringify(fields));
    }
    assert.deepEqual(await deliveryJobs(), []);
  });

  it('sends Update on an edit, Delete when it stops being public or is deleted, Create again when it is back', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    const video = await insertVideo(site);
    assert.equal(await sync(video.id), 'created');
    await touch(video.id, "title = 'Renamed'");
    assert.equal(await sync(video.id), 'updated');
    await touch(video.id, "visibility = 'members'");
    assert.equal(await sync(video.id), 'deleted');
    await touch(video.id, "visibility = 'public'");
    assert.equal(await sync(video.id), 'created');
    await site.deps.db.query('DELETE FROM videos WHERE id = $1', [video.id]);
    assert.equal(await sync(video.id), 'deleted');
    const kinds = (await deliveryJobs()).map((j) => j.activity.type);
    assert.deepEqual(kinds, ['Create', 'Update', 'Delete', 'Create', 'Delete']);
    const last = (await deliveryJobs()).at(-1)!.activity;
    assert.deepEqual(last.object, { type: 'Tombstone', id: `${SITE}/ap/videos/${video.shortId}`, formerType: 'Video', deleted: site.clock.now().toISOString() });
  });

  it('tells past recipients of a video about its deletion even after they stopped following', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    const video = await insertVideo(site);
    await sync(video.id);
    await site.deps.db.query('DELETE FROM federation_followers');
    await site.deps.db.query('DELETE FROM videos WHERE id = $1', [video.id]);
    assert.equal(await sync(video.id), 'deleted');
    assert.deepEqual((await deliveryJobs()).map((j) => [j.activity.type, j.inbox]), [['Create', `${remote.origin}/users/a/inbox`], ['Delete', `${remote.origin}/users/a/inbox`]]);
  });

  it('publishes a scheduled video at its time, through a sync job due then', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    const at = new Date(site.clock.now().getTime() + 3_600_000);
    const video = await insertVideo(site, { publishAt: at });
    assert.equal(await sync(video.id), 'unchanged');
    const [job] = await site.deps.db.query<{ run_at: Date }>('SELECT run_at FROM jobs WHERE type = $1', [VIDEO_SYNC_JOB]);
    assert.equal(job?.run_at.getTime(), at.getTime());
    site.clock.advance(3_600_000);
    await site.runJobs();
    assert.deepEqual(remote.deliveries.map((d) => d.body.type), ['Create']);
  });

  it('catches up on videos whose state went stale, in the reconcile job', async () => {
    await follow(`${remote.origin}/users/a`, `${remote.origin}/users/a/inbox`, null);
    const video = await insertVideo(site, { title: 'Missed by the hooks' });
    await site.deps.db.query(`INSERT INTO jobs (type, run_at) VALUES ($1, $2)`, [RECONCILE_JOB, site.clock.now()]);
    await site.runJobs();
    assert.ok(remote.deliveries.some((d) => d.body.type === 'Create' && (d.body.object as { uuid: string }).uuid === video.id));
    // Chaining the next run is the site's job for every recurring job (src/site.test.ts).
  });

  it('retries a failing or dead server with backoff, and gives up at once on a 4xx', async () => {
    const failing = createServer((req, res) => res.writeHead(req.url === '/gone' ? 410 : 500).end());
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const port = (failing.address() as { port: number }).port;
    try {
      await follow(`http://127.0.0.1:${port}/users/x`, `http://127.0.0.1:${port}/broken`, null);
      await follow(`http://127.0.0.1:${port}/users/y`, `http://127.0.0.1:${port}/gone`, null);
      await follow('http://127.0.0.1:9/users/z', 'http://127.0.0.1:9/inbox', null);
      await sync((await insertVideo(site)).id);
      await site.runJobs();
      const rows = await site.deps.db.query<{ inbox: string; status: string; attempts: number; run_at: Date }>(
        `SELECT payload->>'inbox' AS inbox, status, attempts, run_at FROM jobs WHERE type = $1 ORDER BY payload->>'inbox'`,
        [DELIVER_JOB],
      );
      const byInbox = Object.fromEntries(rows.map((r) => [r.inbox, r]));
      assert.equal(byInbox[`http://127.0.0.1:${port}/gone`]!.status, 'failed');
      for (const inbox of [`http://127.0.0.1:${port}/broken`, 'http://127.0.0.1:9/inbox']) {
        assert.equal(byInbox[inbox]!.status, 'queued', inbox);
        assert.ok(byInbox[inbox]!.run_at > site.clock.now(), 'retried later');
      }
    } finally {
      failing.close();
    }
  });

  it('serves a public video object, answers 410 once it is deleted, and sends browsers to the watch page', async () => {
    const video = await insertVideo(site);
    const get = (accept: string) => site.app.request(`${SITE}/ap/videos/${video.shortId}`, { headers: { accept } });
    const res = await get('application/activity+json');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { uuid: string }).uuid, video.id);
    assert.equal((await get('text/html')).headers.get('location'), `/v/${video.shortId}`);
    const hidden = await insertVideo(site, { visibility: 'unlisted' });
    assert.equal((await site.app.request(`${SITE}/ap/videos/${hidden.shortId}`, { headers: { accept: 'application/activity+json' } })).status, 404);
    await sync(video.id);
    await site.deps.db.query('DELETE FROM videos WHERE id = $1', [video.id]);
    await sync(video.id);
    const gone = await get('application/activity+json');
    assert.equal(gone.status, 410);
    assert.equal(((await gone.json()) as { type: string }).type, 'Tombstone');
  });
});
