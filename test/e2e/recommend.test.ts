import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestSource } from '../support/media.js';
import { videosConfig } from '../../src/videos/config.js';
import { resolveBinaries } from '../../src/videos/transcode/binaries.js';
import type { TestClient } from '../support/client.js';
import { eventually, FEDERATION_ENV, followerCount, Session, setUpSite as setUp } from '../support/federation.js';
import { startServer, type RunningServer } from '../support/server.js';
import { tusUpload } from '../support/tus.js';

/** Uploads a short clip on `session`'s channel, publishes it with `title`, and returns its short id. */
async function publishVideo(session: Session, handle: string, work: string, title: string): Promise<string> {
  const clip = readFileSync(await makeTestSource(resolveBinaries(videosConfig.parse(process.env)).ffmpeg, work, `${handle}.mp4`, { seconds: 2, width: 320, height: 180 }));
  await session.page(`/studio/channels/${handle}/upload`);
  const upload = await tusUpload(session as unknown as TestClient, clip, { filename: `${handle}.mp4`, filetype: 'video/mp4', channel: handle });
  assert.equal(upload.status, 200, await upload.clone().text());
  const videoId = ((await upload.json()) as { videoId: string }).videoId;
  await eventually('transcoding', async () => ((await (await session.request(`/studio/videos/${videoId}/status`)).json()) as { status: string }).status === 'ready', 120_000);
  const edit = await session.page(`/studio/videos/${videoId}`);
  const shortId = /\/v\/([A-Za-z0-9_-]{8,16})/.exec(edit)![1]!;
  const saved = await session.post(`/studio/videos/${videoId}`, {
    title, description: 'A film.', tags: 'fediverse', language: 'en', licence: 'cc_by', visibility: 'public', publish_at: '', chapters: '',
  });
  assert.equal(saved.status, 303, await saved.text());
  return shortId;
}

async function follow(session: Session, handle: string, actor: string, followed: RunningServer, followedHandle: string): Promise<void> {
  await session.page(`/studio/channels/${handle}/fediverse`);
  const res = await session.post(`/studio/channels/${handle}/follow`, { uri: actor }, 'application/json');
  assert.equal(res.status, 200, await res.clone().text());
  await eventually(`${followedHandle} to record the follower`, async () => (await followerCount(followed, followedHandle)) >= 1);
}

async function recommend(session: Session, handle: string, url: string, note: string): Promise<void> {
  await session.page(`/studio/channels/${handle}/recommendations`);
  const res = await session.post(`/studio/channels/${handle}/recommendations`, { url, note });
  assert.equal(res.status, 303, await res.text());
}

describe('creators of two Fanfare sites recommending each other', { timeout: 420_000 }, () => {
  let a: RunningServer;
  let b: RunningServer;
  let alice: Session;
  let bob: Session;
  let work: string;
  let aliceShortId: string;
  let bobShortId: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-recommend-'));
    a = await startServer({ env: FEDERATION_ENV });
    b = await startServer({ env: FEDERATION_ENV });
    [alice, bob] = await Promise.all([setUp(a, 'alice', 'Alice'), setUp(b, 'bob', 'Bob')]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('lets B follow A, and each publish a video', async () => {
    await follow(bob, 'bob', `${a.url}/ap/c/alice`, a, 'alice');
    aliceShortId = await publishVideo(alice, 'alice', work, 'Alice films a river');
    bobShortId = await publishVideo(bob, 'bob', work, 'Bob films a mountain');
  });

  // A does not follow B yet: A hears of it as the recommended creator (the video's attributedTo actor).
  it("lets B recommend A's video by its watch page; A learns who recommends it", async () => {
    await recommend(bob, 'bob', `${a.url}/v/${aliceShortId}`, 'Lovely water.');
    const studio = await bob.page('/studio/channels/bob/recommendations');
    assert.ok(studio.includes('Alice films a river'), 'listed in B\'s Studio');
    const shelf = await (await fetch(`${b.url}/c/bob`)).text();
    assert.ok(shelf.includes('Alice films a river'), "on B's channel shelf");
    await eventually("A's Studio to list B under who recommends", async () => {
      const html = await alice.page('/studio/channels/alice/recommendations');
      return html.includes(`href="${b.url}/c/bob"`) && html.includes(`/v/${aliceShortId}`);
    });
  });

  it("lets A follow B back and recommend B's video", async () => {
    await follow(alice, 'alice', `${b.url}/ap/c/bob`, b, 'bob');
    await recommend(alice, 'alice', `${b.url}/v/${bobShortId}`, 'Great heights.');
    const shelf = await (await fetch(`${a.url}/c/alice`)).text();
    assert.ok(shelf.includes('Bob films a mountain'), "on A's channel shelf");
    await eventually("B's Studio to list A under who recommends", async () => {
      const html = await bob.page('/studio/channels/bob/recommendations');
      return html.includes(`href="${a.url}/c/alice"`) && html.includes(`/v/${bobShortId}`);
    });
  });

  it('takes a removed recommendation back (Undo)', async () => {
    const studio = await bob.page('/studio/channels/bob/recommendations');
    const id = /\/studio\/channels\/bob\/recommendations\/([0-9a-f-]{36})\/remove/.exec(studio)![1]!;
    const res = await bob.post(`/studio/channels/bob/recommendations/${id}/remove`, {});
    assert.equal(res.status, 303);
    await eventually("A's Studio to forget B's recommendation", async () => !(await alice.page('/studio/channels/alice/recommendations')).includes(`href="${b.url}/c/bob"`));
  });
});
