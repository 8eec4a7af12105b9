import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, configSection, loadConfig } from '../core/config.js';
import { videosConfig } from './config.js';
import { tempFolder } from '../../test/support/media.js';
import { ffmpegBinaries } from './transcode-job.js';

describe('videos configuration (videosConfig)', () => {
  let remove: () => Promise<void>;
  let fakeBin: string;
  before(async () => {
    const temp = await tempFolder('videos-config');
    remove = temp.remove;
    fakeBin = path.join(temp.dir, 'bin');
    await mkdir(fakeBin);
    for (const name of ['ffmpeg', 'ffprobe']) {
      await writeFile(path.join(fakeBin, name), '#!/bin/sh\necho fake\n');
      await chmod(path.join(fakeBin, name), 0o755);
    }
  });
  after(() => remove());

  it('reads FFMPEG_PATH, FFPROBE_PATH and PATH as values for resolveBinaries', () => {
    assert.deepEqual(configSection(loadConfig({}), videosConfig), { ffmpegPath: undefined, ffprobePath: undefined, searchPath: '' });
    const env = { FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe', PATH: '/usr/bin:/bin' };
    assert.deepEqual(configSection(loadConfig(env, { fragments: [videosConfig] }), videosConfig), { ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: '/opt/ff/ffprobe', searchPath: '/usr/bin:/bin' });
  });

  it('refuses half a pair at start, naming the missing variable', () => {
    for (const [env, missing] of [[{ FFMPEG_PATH: '/opt/ff/ffmpeg' }, 'FFPROBE_PATH'], [{ FFPROBE_PATH: '/opt/ff/ffprobe' }, 'FFMPEG_PATH']] as const) {
      assert.throws(
        () => loadConfig(env, { fragments: [videosConfig] }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`Invalid configuration: ${missing}: missing`),
      );
    }
  });

  it('gives the site the binaries its configuration names, not the machine’s', () => {
    const pair = { FFMPEG_PATH: path.join(fakeBin, 'ffmpeg'), FFPROBE_PATH: path.join(fakeBin, 'ffprobe') };
    assert.deepEqual(ffmpegBinaries(loadConfig(pair)), { ffmpeg: pair.FFMPEG_PATH, ffprobe: pair.FFPROBE_PATH, source: 'env' });
    assert.deepEqual(ffmpegBinaries(loadConfig({ PATH: fakeBin })), { ffmpeg: pair.FFMPEG_PATH, ffprobe: pair.FFPROBE_PATH, source: 'path' });
  });
});
