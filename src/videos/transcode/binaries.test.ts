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
    const env = { FFMPEG_PATH: path.join(fakeBin, 'ffmpeg'), FFPROBE_PATH: path.join(fakeBin, 'ffprobe'), PATH: '/usr/bin' };
    assert.deepEqual(resolveBinaries({ env }), { ...pick(env), source: 'env' });
  });

  it('refuses half a pair from the environment instead of mixing sources', () => {
    const env = { FFMPEG_PATH: path.join(fakeBin, 'ffmpeg'), PATH: emptyBin };
    assert.throws(() => resolveBinaries({ env, source: 'env' }), /set both FFMPEG_PATH and FFPROBE_PATH/);
  });

  it('refuses an FFMPEG_PATH that does not exist', () => {
    const env = { FFMPEG_PATH: '/nowhere/ffmpeg', FFPROBE_PATH: '/nowhere/ffprobe' };
    assert.throws(() => resolveBinaries({ env, source: 'env' }), /\/nowhere\/ffmpeg does not exist/);
  });

  it('takes the pair on PATH when the environment names none', () => {
    const found = resolveBinaries({ env: { PATH: `${emptyBin}${path.delimiter}${fakeBin}` } });
    assert.deepEqual(found, { ffmpeg: path.join(fakeBin, 'ffmpeg'), ffprobe: path.join(fakeBin, 'ffprobe'), source: 'path' });
  });

  it('falls back to the npm-bundled binaries, which really run on this machine', async () => {
    const found = resolveBinaries({ env: { PATH: emptyBin } });
    assert.equal(found.source, 'bundled');
    for (const binary of [found.ffmpeg, found.ffprobe]) {
      const run = await runTool(binary, ['-hide_banner', '-version'], { timeoutMs: 20_000 });
      assert.equal(run.code, 0, run.stderrTail);
      assert.match(run.stdout, /version/);
    }
  });

  it('can be forced to one source, and says everything it tried when that source has none', () => {
    assert.equal(resolveBinaries({ source: 'bundled', env: { PATH: fakeBin } }).source, 'bundled');
    assert.throws(
      () => resolveBinaries({ source: 'path', env: { PATH: emptyBin } }),
      (error: unknown) => error instanceof BinariesNotFoundError && /path: ffmpeg not found on PATH/.test(error.message),
    );
  });

  it('lists every usable source, which always includes the bundled one', () => {
    const sources = availableBinaries({ PATH: fakeBin }).map((b) => b.source);
    assert.deepEqual(sources, ['path', 'bundled']);
  });
});

function pick(env: Record<string, string>): { ffmpeg: string; ffprobe: string } {
  return { ffmpeg: env.FFMPEG_PATH!, ffprobe: env.FFPROBE_PATH! };
}
