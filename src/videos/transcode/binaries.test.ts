import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { availableBinaries, BinariesNotFoundError, resolveBinaries } from './binaries.js';
import { runTool } from './exec.js';
import { tempFolder } from '../../../test/support/media.js';

describe('finding ffmpeg and ffprobe', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let fakeBin: string;
  let emptyBin: string;
  before(async () => {
    ({ dir, remove } = await tempFolder('binaries'));
    fakeBin = path.join(dir, 'bin');
    emptyBin = path.join(dir, 'empty');
    await mkdir(fakeBin);
    await mkdir(emptyBin);
    for (const name of ['ffmpeg', 'ffprobe']) {
      await writeFile(path.join(fakeBin, name), '#!/bin/sh\necho fake\n');
      await chmod(path.join(fakeBin, name), 0o755);
    }
  });
  after(() => remove());

  it('prefers FFMPEG_PATH and FFPROBE_PATH when both are set', () => {
    const pair = { ffmpegPath: path.join(fakeBin, 'ffmpeg'), ffprobePath: path.join(fakeBin, 'ffprobe') };
    assert.deepEqual(resolveBinaries({ ...pair, searchPath: '/usr/bin' }), { ffmpeg: pair.ffmpegPath, ffprobe: pair.ffprobePath, source: 'env' });
  });

  it('refuses half a pair instead of mixing sources', () => {
    assert.throws(() => resolveBinaries({ ffmpegPath: path.join(fakeBin, 'ffmpeg'), searchPath: emptyBin, source: 'env' }), /set both FFMPEG_PATH and FFPROBE_PATH/);
  });

  it('refuses an FFMPEG_PATH that does not exist', () => {
    assert.throws(() => resolveBinaries({ ffmpegPath: '/nowhere/ffmpeg', ffprobePath: '/nowhere/ffprobe', source: 'env' }), /\/nowhere\/ffmpeg does not exist/);
  });

  it('takes the pair on PATH when the environment names none', () => {
    const found = resolveBinaries({ searchPath: `${emptyBin}${path.delimiter}${fakeBin}` });
    assert.deepEqual(found, { ffmpeg: path.join(fakeBin, 'ffmpeg'), ffprobe: path.join(fakeBin, 'ffprobe'), source: 'path' });
  });

  it('falls back to the npm-bundled binaries, which really run on this machine', async () => {
    const found = resolveBinaries({ searchPath: emptyBin });
    assert.equal(found.source, 'bundled');
    for (const binary of [found.ffmpeg, found.ffprobe]) {
      const run = await runTool(binary, ['-hide_banner', '-version'], { timeoutMs: 20_000 });
      assert.equal(run.code, 0, run.stderrTail);
      assert.match(run.stdout, /version/);
    }
  });

  it('can be forced to one source, and says everything it tried when that source has none', () => {
    assert.equal(resolveBinaries({ source: 'bundled', searchPath: fakeBin }).source, 'bundled');
    assert.throws(
      () => resolveBinaries({ source: 'path', searchPath: emptyBin }),
      (error: unknown) => error instanceof BinariesNotFoundError && /path: ffmpeg not found on PATH/.test(error.message),
    );
  });

  it('lists every usable source, which always includes the bundled one', () => {
    const sources = availableBinaries({ searchPath: fakeBin }).map((b) => b.source);
    assert.deepEqual(sources, ['path', 'bundled']);
  });
});
