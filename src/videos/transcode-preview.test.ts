import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppDeps } from '../core/deps.js';
import { createLocalStorage } from '../core/storage/index.js';
import { tempFolder } from '../../test/support/media.js';
import { previewPublisher } from './transcode-preview.js';
import { finishedPlaylist, type PartialOutput } from './transcode/run.js';

const PREFIX = 'videos/0b7e4c1e-7d61-4c3e-9c55-1d2f3a4b5c6d/hls-7-1';

function eventPlaylist(segments: number): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-MAP:URI="init.mp4"'];
  for (let i = 0; i < segments; i++) lines.push('#EXTINF:4.000000,', `seg_${String(i).padStart(5, '0')}.m4s`);
  return `${lines.join('\n')}\n`;
}

describe('a first transcode published while it runs', () => {
  let dir = '';
  let remove: () => Promise<void>;
  const updates: unknown[][] = [];
  let deps: AppDeps;
  let partial: PartialOutput;
  const stored = (key: string) => path.join(dir, 'storage', key);

  before(async () => {
    ({ dir, remove } = await tempFolder('preview-test'));
    const db = { query: async (_sql: string, params: unknown[]) => (updates.push(params), [{ id: params[0] }]) };
    deps = { storage: createLocalStorage(path.join(dir, 'storage')), db } as unknown as AppDeps;
    const work = path.join(dir, 'work');
    for (const folder of ['v0', 'v1']) await mkdir(path.join(work, folder), { recursive: true });
    partial = { dir: work, renditions: [{ name: '240p', folder: 'v0' }, { name: 'audio', folder: 'v1' }], master: '#EXTM3U\n240p/index.m3u8\n' };
  });
  after(() => remove());

  it('copies what each growing playlist lists, never a segment it does not list yet', async () => {
    const v0 = path.join(partial.dir, 'v0');
    await writeFile(path.join(v0, 'init.mp4'), 'init');
    await writeFile(path.join(v0, 'seg_00000.m4s'), 'first');
    await writeFile(path.join(v0, 'seg_00001.m4s'), 'half-written');
    await writeFile(path.join(v0, 'index.m3u8'), eventPlaylist(1));
    await writeFile(path.join(partial.dir, 'v1', 'index.m3u8'), eventPlaylist(0));
    const publisher = previewPublisher(deps, 'video-1', PREFIX);
    await publisher.publish(partial);
    assert.equal(await readFile(stored(`${PREFIX}/240p/seg_00000.m4s`), 'utf8'), 'first');
    assert.ok(existsSync(stored(`${PREFIX}/240p/init.mp4`)));
    assert.ok(!existsSync(stored(`${PREFIX}/240p/seg_00001.m4s`)), 'not listed yet: maybe still being written');
    assert.equal(await readFile(stored(`${PREFIX}/240p/index.m3u8`), 'utf8'), eventPlaylist(1));
    assert.ok(!existsSync(stored(`${PREFIX}/master.m3u8`)), 'no master until every rendition has a segment');
    assert.equal(publisher.announced, false);
    assert.deepEqual(updates, []);

    await writeFile(path.join(v0, 'seg_00001.m4s'), 'second');
    await writeFile(path.join(v0, 'index.m3u8'), eventPlaylist(2));
    await writeFile(path.join(partial.dir, 'v1', 'init.mp4'), 'audio init');
    await writeFile(path.join(partial.dir, 'v1', 'seg_00000.m4s'), 'audio');
    await writeFile(path.join(partial.dir, 'v1', 'index.m3u8'), eventPlaylist(1));
    await publisher.publish(partial);
    assert.equal(await readFile(stored(`${PREFIX}/240p/seg_00001.m4s`), 'utf8'), 'second');
    assert.equal(await readFile(stored(`${PREFIX}/master.m3u8`), 'utf8'), partial.master);
    assert.equal(publisher.announced, true, 'the row now points at the growing ladder');
    assert.deepEqual(updates, [['video-1', PREFIX]]);
    await publisher.publish(partial);
    assert.equal(updates.length, 1, 'announced once');
  });

  it('turns the finished EVENT playlists into VOD ones with their end', () => {
    const done = finishedPlaylist(eventPlaylist(2));
    assert.match(done, /^#EXT-X-PLAYLIST-TYPE:VOD$/m);
    assert.doesNotMatch(done, /EVENT/);
    assert.match(done, /seg_00001\.m4s\n#EXT-X-ENDLIST\n$/);
    assert.equal(finishedPlaylist(done), done, 'ffmpeg\'s own end marker is kept, not doubled');
  });
});
