import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalStorage } from './local.js';

describe('local media storage', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'fanfare-local-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('moves a transcode folder into place with a rename, not a copy, on the same filesystem', async () => {
    const out = path.join(root, 'work', 'job-1');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'seg-00001.m4s'), 'segment');
    const before = await stat(path.join(out, 'seg-00001.m4s'));
    const storage = createLocalStorage(path.join(root, 'media'));
    await storage.putDirectory('videos/v1', out);
    const after = await stat(path.join(root, 'media', 'videos', 'v1', 'seg-00001.m4s'));
    assert.equal(after.ino, before.ino, 'same inode: the file was renamed');
  });

  it('leaves no temp file behind after writes', async () => {
    const storage = createLocalStorage(path.join(root, 'media'));
    await storage.put('posters/p.jpg', new Uint8Array([1]));
    await storage.put('posters/p.jpg', new Uint8Array([2]));
    assert.deepEqual(await readdir(path.join(root, 'media', 'posters')), ['p.jpg']);
  });

  it('refuses to store a folder holding a symbolic link', async () => {
    const out = path.join(root, 'work', 'job-2');
    await mkdir(out, { recursive: true });
    await symlink('/etc/passwd', path.join(out, 'passwd.vtt'));
    const storage = createLocalStorage(path.join(root, 'media'));
    await assert.rejects(storage.putDirectory('videos/v2', out), /not a regular file/);
  });

  it('gives the absolute path of a key only after checking it', () => {
    const storage = createLocalStorage('/srv/media');
    assert.equal(storage.localPath?.('videos/v1/master.m3u8'), '/srv/media/videos/v1/master.m3u8');
    assert.throws(() => storage.localPath?.('../etc/passwd'), /unsafe storage key/);
  });
});
