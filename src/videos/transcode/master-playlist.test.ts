import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMasterPlaylist } from './hls-playlist.js';
import { planLadder } from './ladder.js';
import { buildMasterPlaylist, measureBitrates } from './master-playlist.js';
import type { MediaSummary } from './probe.js';

const fullHd: MediaSummary = {
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
};

describe('the master playlist', () => {
  it('declares version 7, independent segments, one audio group and one variant per video rendition', () => {
    const master = parseMasterPlaylist(buildMasterPlaylist(planLadder(fullHd).renditions));
    assert.equal(master.version, 7);
    assert.ok(master.independentSegments);
    assert.equal(master.media.length, 1);
    assert.deepEqual(master.media[0]!.attributes, {
      TYPE: 'AUDIO',
      'GROUP-ID': 'audio',
      NAME: 'Audio',
      DEFAULT: 'YES',
      AUTOSELECT: 'YES',
      CHANNELS: '2',
      URI: 'audio/index.m3u8',
    });
    assert.equal(master.variants.length, 5);
    for (const v of master.variants) {
      assert.equal(v.attributes.AUDIO, 'audio');
      assert.equal(v.attributes['FRAME-RATE'], '30.000');
      assert.match(v.attributes.CODECS!, /^avc1\.6400[0-9a-f]{2},mp4a\.40\.2$/);
    }
  });

  it('lists the variant closest to 720p first, then the rest tallest first', () => {
    const master = parseMasterPlaylist(buildMasterPlaylist(planLadder(fullHd).renditions));
    assert.deepEqual(
      master.variants.map((v) => v.attributes.RESOLUTION),
      ['1280x720', '1920x1080', '854x480', '640x360', '426x240'],
    );
    assert.equal(master.variants[0]!.uri, '720p/index.m3u8');
  });

  it('derives CODECS from the level when nothing was measured', () => {
    const master = parseMasterPlaylist(buildMasterPlaylist(planLadder(fullHd).renditions));
    const byRes = Object.fromEntries(master.variants.map((v) => [v.attributes.RESOLUTION, v.attributes.CODECS]));
    assert.equal(byRes['1920x1080'], 'avc1.640028,mp4a.40.2');
    assert.equal(byRes['1280x720'], 'avc1.64001f,mp4a.40.2');
    assert.equal(byRes['640x360'], 'avc1.64001e,mp4a.40.2');
  });

  it('uses measured peaks plus the audio peak for BANDWIDTH, and the measured codec', () => {
    const plan = planLadder({ ...fullHd, width: 640, height: 360 });
    const text = buildMasterPlaylist(plan.renditions, {
      '360p': { peakBitrate: 900_000, averageBitrate: 700_000, codec: 'avc1.4d401e' },
      audio: { peakBitrate: 130_000, averageBitrate: 128_000 },
    });
    const first = parseMasterPlaylist(text).variants[0]!;
    assert.equal(first.attributes.BANDWIDTH, '1030000');
    assert.equal(first.attributes['AVERAGE-BANDWIDTH'], '828000');
    assert.equal(first.attributes.CODECS, 'avc1.4d401e,mp4a.40.2');
  });

  it('falls back to nominal rates: peak above the cap, average at the target', () => {
    const plan = planLadder({ ...fullHd, width: 640, height: 360 });
    const first = parseMasterPlaylist(buildMasterPlaylist(plan.renditions)).variants[0]!;
    assert.equal(first.attributes.BANDWIDTH, String(Math.round(1_200_000 * 1.1) + 128_000));
    assert.equal(first.attributes['AVERAGE-BANDWIDTH'], String(800_000 + 128_000));
  });

  it('makes the audio playlist the only variant for an audio-only source', () => {
    const plan = planLadder({ ...fullHd, hasVideo: false, width: 0, height: 0, fps: 0, videoCodec: null });
    const master = parseMasterPlaylist(buildMasterPlaylist(plan.renditions));
    assert.equal(master.media.length, 0);
    assert.equal(master.variants.length, 1);
    assert.equal(master.variants[0]!.uri, 'audio/index.m3u8');
    assert.equal(master.variants[0]!.attributes.CODECS, 'mp4a.40.2');
    assert.equal(master.variants[0]!.attributes.RESOLUTION, undefined);
  });

  it('lists video variants without an AUDIO group for a silent source', () => {
    const plan = planLadder({ ...fullHd, hasAudio: false, audioCodec: null });
    const master = parseMasterPlaylist(buildMasterPlaylist(plan.renditions));
    assert.equal(master.media.length, 0);
    assert.ok(master.variants.every((v) => v.attributes.AUDIO === undefined && !v.attributes.CODECS!.includes('mp4a')));
  });
});

describe('measured bit rates', () => {
  it('average over the whole playlist and peak over runs of 0.5 to 1.5 target durations', () => {
    const rates = measureBitrates(
      [
        { bytes: 500_000, duration: 4 },
        { bytes: 1_000_000, duration: 4 },
        { bytes: 500_000, duration: 4 },
      ],
      4,
    );
    assert.equal(rates.averageBitrate, (2_000_000 * 8) / 12);
    assert.equal(rates.peakBitrate, 2_000_000);
  });

  it('do not let a tiny last segment set the peak', () => {
    const rates = measureBitrates(
      [
        { bytes: 500_000, duration: 4 },
        { bytes: 20_000, duration: 0.04 },
      ],
      4,
    );
    // 20 kB in 40 ms alone would be 4 Mbit/s; joined to its neighbour it is about 1 Mbit/s.
    assert.ok(rates.peakBitrate < 1_100_000, String(rates.peakBitrate));
  });

  it('treat a clip shorter than half a target duration as one run', () => {
    const rates = measureBitrates([{ bytes: 100_000, duration: 1 }], 4);
    assert.equal(rates.peakBitrate, 800_000);
    assert.equal(rates.averageBitrate, 800_000);
  });
});
