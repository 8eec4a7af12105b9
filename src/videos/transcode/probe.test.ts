import assert from 'node:assert/strict';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { videosConfig } from '../config.js';
import { availableBinaries } from './binaries.js';
import { ProbeError, type ProbeFailureReason } from './errors.js';
import { probeMedia } from './probe.js';
import { ffmpegOrThrow, makeTestSource, tempFolder } from '../../../test/support/media.js';

async function rejectsWith(promise: Promise<unknown>, reason: ProbeFailureReason): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ProbeError, `expected a ProbeError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  });
}

// Every pair this machine has: FFMPEG_PATH/FFPROBE_PATH, PATH, the npm-bundled build.
for (const binaries of availableBinaries(videosConfig.parse(process.env))) {
  describe(`probing uploads (${binaries.source} ffmpeg)`, () => {
    let dir: string;
    let remove: () => Promise<void>;
    let video: string;
    before(async () => {
      ({ dir, remove } = await tempFolder('probe'));
      video = await makeTestSource(binaries.ffmpeg, dir, 'video.mp4', { seconds: 3 });
    });
    after(() => remove());

    it('summarizes a video with audio', async () => {
      const summary = await probeMedia(video, { binaries });
      assert.deepEqual(summary, {
        durationSeconds: summary.durationSeconds,
        width: 640,
        height: 360,
        fps: 30,
        videoCodec: 'h264',
        audioCodec: 'aac',
        hasVideo: true,
        hasAudio: true,
        rotation: 0,
        sampleAspectRatio: 1,
      });
      assert.ok(Math.abs(summary.durationSeconds - 3) < 0.1, String(summary.durationSeconds));
    });

    it('accepts an audio-only file and says it has no video', async () => {
      const song = await makeTestSource(binaries.ffmpeg, dir, 'song.m4a', { video: false, seconds: 2 });
      const summary = await probeMedia(song, { binaries });
      assert.equal(summary.hasVideo, false);
      assert.equal(summary.hasAudio, true);
      assert.equal(summary.audioCodec, 'aac');
      assert.equal(summary.width, 0);
    });

    it('reads the rotation of a video shot upright on a phone', async () => {
      const phone = await makeTestSource(binaries.ffmpeg, dir, 'phone.mp4', { width: 320, height: 180, seconds: 1, rotate: 90 });
      const summary = await probeMedia(phone, { binaries });
      assert.equal(summary.rotation, 90);
      assert.equal(summary.width, 320);
    });

    it('refuses a text file renamed .mp4 as not media', async () => {
      const text = path.join(dir, 'notes.mp4');
      await writeFile(text, 'these are my notes, not a video\n'.repeat(50));
      await rejectsWith(probeMedia(text, { binaries }), 'not_media');
    });

    it('refuses a zero-byte file as not media', async () => {
      const empty = path.join(dir, 'empty.mp4');
      await writeFile(empty, '');
      await rejectsWith(probeMedia(empty, { binaries }), 'not_media');
    });

    it('refuses a still image as not media', async () => {
      const image = path.join(dir, 'picture.mp4');
      await ffmpegOrThrow(binaries.ffmpeg, ['-f', 'lavfi', '-i', 'testsrc2=size=64x64', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', image]);
      await rejectsWith(probeMedia(image, { binaries }), 'not_media');
    });

    it('refuses an mp4 cut in half, its moov atom lost, as truncated', async () => {
      const cut = path.join(dir, 'cut.mp4');
      await writeFile(cut, await readFile(video));
      await truncate(cut, Math.floor((await stat(cut)).size / 2));
      await rejectsWith(probeMedia(cut, { binaries }), 'truncated');
    });

    it('refuses a web-optimised mp4 cut in half, header intact but data missing, as truncated', async () => {
      const fast = await makeTestSource(binaries.ffmpeg, dir, 'fast.mp4', { seconds: 3, faststart: true });
      await truncate(fast, Math.floor((await stat(fast)).size / 2));
      await rejectsWith(probeMedia(fast, { binaries }), 'truncated');
    });

    it('refuses an mp4 cut inside its header as truncated', async () => {
      const fast = await makeTestSource(binaries.ffmpeg, dir, 'head.mp4', { seconds: 1, faststart: true });
      await truncate(fast, 2000);
      await rejectsWith(probeMedia(fast, { binaries }), 'truncated');
    });

    it('refuses a container holding only subtitles as having no decodable stream', async () => {
      const srt = path.join(dir, 'words.srt');
      await writeFile(srt, '1\n00:00:00,000 --> 00:00:02,000\nHello\n\n');
      const subs = path.join(dir, 'subs.mp4');
      await ffmpegOrThrow(binaries.ffmpeg, ['-i', srt, '-c:s', 'mov_text', subs]);
      await rejectsWith(probeMedia(subs, { binaries }), 'no_decodable_stream');
    });

    it('reports a missing file as a failed probe', async () => {
      await rejectsWith(probeMedia(path.join(dir, 'nowhere.mp4'), { binaries }), 'probe_failed');
    });
  });
}
