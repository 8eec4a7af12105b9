import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTranscodeArgs } from './ffmpeg-args.js';
import { planLadder } from './ladder.js';
import type { MediaSummary } from './probe.js';
import { planStoryboard } from './storyboard.js';

const hd: MediaSummary = {
  durationSeconds: 60,
  width: 1280,
  height: 720,
  fps: 30,
  videoCodec: 'h264',
  audioCodec: 'aac',
  hasVideo: true,
  hasAudio: true,
  rotation: 0,
  sampleAspectRatio: 1,
};

/** The value following `flag` in `args`. */
function valueOf(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}

describe('the one-pass ffmpeg arguments', () => {
  it('decode the source once and scale each rendition from the one above it', () => {
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4' });
    assert.equal(args.filter((a) => a === '-i').length, 1);
    assert.equal(
      valueOf(args, '-filter_complex'),
      [
        '[0:v:0]format=yuv420p[x0]',
        '[x0]scale=1280:720,setsar=1,split=2[v0][x1]',
        '[x1]scale=854:480,setsar=1,split=2[v1][x2]',
        '[x2]scale=640:360,setsar=1,split=2[v2][x3]',
        '[x3]scale=426:240,setsar=1[v3]',
      ].join(';'),
    );
    for (let i = 0; i < 4; i++) assert.equal(args[args.indexOf(`[v${i}]`) - 1], '-map');
    assert.equal(valueOf(args, '-var_stream_map'), 'v:0 v:1 v:2 v:3 a:0');
  });

  it('align keyframes to segments in every rendition', () => {
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4' });
    assert.equal(valueOf(args, '-g'), '120');
    assert.equal(valueOf(args, '-keyint_min'), '120');
    assert.equal(valueOf(args, '-sc_threshold'), '0');
    assert.equal(valueOf(args, '-hls_time'), '4');
  });

  it('write VOD fMP4 HLS with per-variant folders and machine-readable progress', () => {
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4' });
    assert.equal(valueOf(args, '-hls_segment_type'), 'fmp4');
    assert.equal(valueOf(args, '-hls_playlist_type'), 'event', 'playlists grow while the pass runs');
    assert.equal(valueOf(args, '-hls_flags'), 'independent_segments');
    assert.equal(valueOf(args, '-hls_segment_filename'), 'v%v/seg_%05d.m4s');
    assert.deepEqual(args.slice(-3), ['-progress', 'pipe:1', '-nostats']);
    assert.ok(!args.includes('-master_pl_name'), 'old ffmpeg builds crash on -master_pl_name');
  });

  it('give each rendition its own rate control, profile and level', () => {
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4' });
    assert.equal(valueOf(args, '-b:v:0'), '2800000');
    assert.equal(valueOf(args, '-maxrate:v:0'), '4200000');
    assert.equal(valueOf(args, '-profile:v:3'), 'high');
    assert.equal(valueOf(args, '-level:v:0'), '3.1');
    assert.equal(valueOf(args, '-preset:v'), 'veryfast');
    assert.equal(valueOf(args, '-c:a'), 'aac');
  });

  it('take the preset and a pre-filter from the options', () => {
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4', preset: 'medium', preFilter: 'yadif' });
    assert.equal(valueOf(args, '-preset:v'), 'medium');
    assert.match(valueOf(args, '-filter_complex')!, /^\[0:v:0\]yadif,format=yuv420p\[x0\];/);
  });

  it('add the storyboard thumbnails as one more branch of the same decode, one image each (tiled after the pass)', () => {
    const storyboard = planStoryboard(60, 1280, 720);
    const args = buildTranscodeArgs(planLadder(hd), { input: '/in/source.mp4', storyboard: { plan: storyboard } });
    const graph = valueOf(args, '-filter_complex')!;
    assert.match(graph, /^\[0:v:0\]format=yuv420p,split=2\[x0\]\[sb\];/);
    // No tile filter here: an output whose one frame comes at the end holds back every progress report.
    assert.match(graph, /;\[sb\]fps=fps=1\/2:round=down:eof_action=pass,scale=160:90\[storyboard\]$/);
    const at = args.indexOf('storyboard-frames/%05d.png');
    assert.deepEqual(args.slice(at - 6, at), ['-map', '[storyboard]', '-frames:v', '30', '-f', 'image2']);
  });

  it('map only the audio, without a filter graph, for an audio-only source', () => {
    const plan = planLadder({ ...hd, hasVideo: false, width: 0, height: 0, fps: 0, videoCodec: null });
    const args = buildTranscodeArgs(plan, { input: '/in/song.m4a' });
    assert.equal(valueOf(args, '-filter_complex'), undefined);
    assert.equal(valueOf(args, '-var_stream_map'), 'a:0');
    assert.equal(valueOf(args, '-g'), undefined);
  });
});
