import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avc1CodecFromInitSegment, chooseH264Level } from './h264.js';
import { planLadder, videoRenditions, type VideoRendition } from './ladder.js';
import type { MediaSummary } from './probe.js';

function source(overrides: Partial<MediaSummary> = {}): MediaSummary {
  return {
    durationSeconds: 60,
    width: 1920,
    height: 1080,
    fps: 30,
    videoCodec: 'h264',
    audioCodec: 'aac',
    hasVideo: true,
    hasAudio: true,
    rotation: 0,
    sampleAspectRatio: 1,
    ...overrides,
  };
}

const sizes = (videos: VideoRendition[]) => videos.map((v) => `${v.width}x${v.height}`);

describe('the rendition ladder', () => {
  it('gives a 360p source 360p and 240p renditions plus audio', () => {
    const plan = planLadder(source({ width: 640, height: 360 }));
    assert.deepEqual(
      plan.renditions.map((r) => r.name),
      ['360p', '240p', 'audio'],
    );
    assert.deepEqual(sizes(videoRenditions(plan)), ['640x360', '426x240']);
  });

  it('gives a 1080p source every rung from 1080p down to 240p and never upscales', () => {
    const plan = planLadder(source());
    assert.deepEqual(sizes(videoRenditions(plan)), ['1920x1080', '1280x720', '854x480', '640x360', '426x240']);
    assert.equal(plan.renditions.at(-1)?.kind, 'audio');
  });

  it('gives a 4K source the 2160p and 1440p rungs too', () => {
    const plan = planLadder(source({ width: 3840, height: 2160 }));
    assert.deepEqual(
      videoRenditions(plan).map((v) => v.name),
      ['2160p', '1440p', '1080p', '720p', '480p', '360p', '240p'],
    );
  });

  it('skips rungs taller than a source between two rungs', () => {
    const plan = planLadder(source({ width: 1920, height: 1000 }));
    assert.deepEqual(
      videoRenditions(plan).map((v) => v.height),
      [720, 480, 360, 240],
    );
  });

  it('gives a source smaller than the lowest rung one rendition at its own size', () => {
    const plan = planLadder(source({ width: 320, height: 180 }));
    assert.deepEqual(sizes(videoRenditions(plan)), ['320x180']);
  });

  it('keeps widths even and the aspect ratio within a pixel for odd sizes', () => {
    for (const [width, height] of [
      [1000, 563],
      [1279, 719],
      [720, 405],
      [2048, 858],
    ] as const) {
      for (const v of videoRenditions(planLadder(source({ width, height })))) {
        assert.equal(v.width % 2, 0, `${width}x${height} -> ${v.width}x${v.height}`);
        assert.equal(v.height % 2, 0, `${width}x${height} -> ${v.width}x${v.height}`);
        assert.ok(Math.abs(v.width - (v.height * width) / height) <= 2, `${width}x${height} -> ${v.width}x${v.height}`);
        assert.ok(v.height <= height && v.width <= width, 'never upscaled');
      }
    }
  });

  it('names portrait renditions by their short side and keeps them upright', () => {
    const plan = planLadder(source({ width: 1080, height: 1920 }));
    assert.deepEqual(sizes(videoRenditions(plan)).slice(0, 2), ['1080x1920', '720x1280']);
    assert.equal(videoRenditions(plan)[0]!.name, '1080p');
  });

  it('lays out a rotated phone video as it is displayed', () => {
    const plan = planLadder(source({ width: 1920, height: 1080, rotation: 90 }));
    assert.equal(plan.displayWidth, 1080);
    assert.equal(plan.displayHeight, 1920);
    assert.deepEqual(sizes(videoRenditions(plan))[0], '1080x1920');
  });

  it('widens anamorphic sources to their display aspect ratio', () => {
    // A 720x576 PAL DVD frame shown at 16:9.
    const plan = planLadder(source({ width: 720, height: 576, sampleAspectRatio: 64 / 45 }));
    assert.deepEqual(sizes(videoRenditions(plan)), ['854x480', '640x360', '426x240']);
  });

  it('gives an audio-only source only the audio rendition', () => {
    const plan = planLadder(source({ hasVideo: false, width: 0, height: 0, fps: 0, videoCodec: null }));
    assert.deepEqual(
      plan.renditions.map((r) => r.kind),
      ['audio'],
    );
    assert.equal(plan.gopFrames, 0);
  });

  it('leaves the audio rendition out for a silent video', () => {
    const plan = planLadder(source({ hasAudio: false, audioCodec: null }));
    assert.ok(plan.renditions.every((r) => r.kind === 'video'));
  });

  it('sets the GOP to fps times the segment length', () => {
    assert.equal(planLadder(source({ fps: 30 })).gopFrames, 120);
    assert.equal(planLadder(source({ fps: 25 }), { segmentSeconds: 6 }).gopFrames, 150);
    assert.equal(planLadder(source({ fps: 29.97 })).gopFrames, 120);
  });

  it('lowers bit rates with height and raises them by half above 30 fps', () => {
    const at30 = videoRenditions(planLadder(source()));
    for (let i = 1; i < at30.length; i++) assert.ok(at30[i]!.bitrate < at30[i - 1]!.bitrate);
    const at60 = videoRenditions(planLadder(source({ fps: 60 })));
    assert.equal(at60[0]!.bitrate, at30[0]!.bitrate * 1.5);
    for (const v of at30) assert.ok(v.maxrate > v.bitrate && v.bufsize >= v.maxrate);
  });
});

describe('H.264 levels and codec strings', () => {
  it('picks the lowest level that fits size, frame rate and peak rate', () => {
    assert.equal(chooseH264Level(640, 360, 30, 1_200_000).level, '3.0');
    assert.equal(chooseH264Level(1280, 720, 30, 4_200_000).level, '3.1');
    assert.equal(chooseH264Level(1920, 1080, 30, 7_500_000).level, '4.0');
    assert.equal(chooseH264Level(1920, 1080, 60, 11_250_000).level, '4.2');
    assert.equal(chooseH264Level(2560, 1440, 30, 13_500_000).level, '5.0');
    assert.equal(chooseH264Level(3840, 2160, 30, 24_000_000).level, '5.1');
    assert.equal(chooseH264Level(1080, 1920, 30, 7_500_000).level, '4.0');
  });

  it('gives every planned rendition a level it fits', () => {
    const levels = videoRenditions(planLadder(source({ width: 3840, height: 2160 }))).map((v) => v.level.level);
    assert.deepEqual(levels, ['5.1', '5.0', '4.0', '3.1', '3.1', '3.0', '3.0']);
  });

  it('reads avc1.PPCCLL from the avcC box of an init segment', () => {
    const init = Buffer.concat([Buffer.from('....stsd....avc1'), Buffer.from([0, 0, 0, 0x31]), Buffer.from('avcC'), Buffer.from([1, 0x64, 0x00, 0x1f, 0xff])]);
    assert.equal(avc1CodecFromInitSegment(init), 'avc1.64001f');
    assert.equal(avc1CodecFromInitSegment(Buffer.from('no box here')), undefined);
  });
});
