// Benchmark: Fanfare's one-pass HLS ladder against one ffmpeg run per rendition (PeerTube's
// strategy) and against the fastest single ffmpeg command written by hand, on the same source,
// preset and bit rates. Run with `npx tsx bench/transcode.ts`; takes several minutes on 2 cores.
//
// Environment: BENCH_ROUNDS (default 1; medians are reported), BENCH_FFMPEG (env | path |
// bundled, default: the usual resolution order), BENCH_DIR (cache and scratch folder).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { videosConfig } from '../src/videos/config.js';
import { resolveBinaries, type BinarySource, type FfmpegBinaries } from '../src/videos/transcode/binaries.js';
import { runTool } from '../src/videos/transcode/exec.js';
import { parseMediaPlaylist } from '../src/videos/transcode/hls-playlist.js';
import { planLadder, videoRenditions, type LadderPlan, type VideoRendition } from '../src/videos/transcode/ladder.js';
import { probeMedia } from '../src/videos/transcode/probe.js';
import { transcodeVideo } from '../src/videos/transcode/run.js';
import { machineInfo, measure, median, type Timing } from './lib/measure.js';

const SOURCE = { width: 1920, height: 1080, fps: 30, seconds: 60 };
const HEIGHTS = [1080, 720, 480, 360, 240];
const PRESET = 'veryfast';
const GOAL = 0.6;
const GOAL_VS_HAND_WRITTEN = 1.1;

async function main(): Promise<void> {
  const binaries = resolveBinaries({ ...videosConfig.parse(process.env), source: process.env.BENCH_FFMPEG as BinarySource | undefined });
  const ffmpegVersion = (await runTool(binaries.ffmpeg, ['-version'])).stdout.split('\n')[0]!;
  const dir = process.env.BENCH_DIR ?? path.join(tmpdir(), 'fanfare-bench');
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
  log(`${ffmpegVersion} (${binaries.source}: ${binaries.ffmpeg})`);
  const loadBefore = machineInfo().loadAverage;

  const input = await ensureSource(binaries, dir);
  const summary = await probeMedia(input, { binaries });
  const plan = planLadder(summary, { heights: HEIGHTS });
  assert.deepEqual(
    plan.renditions.map((r) => r.name),
    ['1080p', '720p', '480p', '360p', '240p', 'audio'],
  );
  checkHandWrittenMatchesPlan(plan);

  const work = path.join(dir, 'work');
  const samples: Record<'fanfare' | 'perRendition' | 'handWritten', Timing[]> = { fanfare: [], perRendition: [], handWritten: [] };
  const perRenditionSteps: Record<string, number[]> = {};
  const timesToFirstPlayable: number[] = [];
  const quality: Record<string, { fanfare: number | null; perRendition: number | null }> = {};
  let segments: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });

    log(`round ${round}/${rounds}: (a) Fanfare one-pass pipeline (probe, ladder, poster, storyboard, master)`);
    const started = performance.now();
    let firstPlayable: number | undefined;
    const a = await measure(() =>
      transcodeVideo({
        input,
        outputDir: path.join(work, 'fanfare'),
        binaries,
        preset: PRESET,
        ladder: { heights: HEIGHTS },
        partialEveryMs: 250,
        // What the job's preview publisher waits for before it writes the master: every rendition lists a segment.
        onPartial: async (partial) => {
          if (firstPlayable !== undefined) return;
          for (const r of partial.renditions) {
            const text = await readFile(path.join(partial.dir, r.folder, 'index.m3u8'), 'utf8').catch(() => '');
            if (!text || parseMediaPlaylist(text).segments.length === 0) return;
          }
          firstPlayable = performance.now() - started;
        },
      }),
    );
    samples.fanfare.push(a);
    if (firstPlayable !== undefined) timesToFirstPlayable.push(firstPlayable);
    log(`    first playable after ${firstPlayable === undefined ? '?' : (firstPlayable / 1000).toFixed(1)} s`);
    segments = await countSegments(path.join(work, 'fanfare'), plan.renditions.map((r) => r.name));
    log(`    ${a.seconds.toFixed(1)} s wall, ${fmtCpu(a)} CPU`);

    log(`round ${round}/${rounds}: (b) one ffmpeg run per rendition`);
    const b = await measure(async () => {
      for (const [name, args] of perRenditionCommands(plan, input)) {
        await mkdir(path.join(work, 'per-rendition', name), { recursive: true });
        const step = await measure(() => runOk(binaries.ffmpeg, args, path.join(work, 'per-rendition', name)));
        (perRenditionSteps[name] ??= []).push(step.seconds);
        log(`    ${name}: ${step.seconds.toFixed(1)} s`);
      }
    });
    samples.perRendition.push(b);
    assert.deepEqual(await countSegments(path.join(work, 'per-rendition'), Object.keys(perRenditionSteps)), segments);
    log(`    ${b.seconds.toFixed(1)} s wall, ${fmtCpu(b)} CPU`);
    if (round === 1) {
      log(`    quality: SSIM of each rendition against the source (first ${QUALITY_SECONDS} s, source scaled to the rendition's size)`);
      for (const v of videoRenditions(plan)) {
        quality[v.name] = {
          fanfare: await ssim(binaries.ffmpeg, path.join(work, 'fanfare', v.name, 'index.m3u8'), input, v),
          perRendition: await ssim(binaries.ffmpeg, path.join(work, 'per-rendition', v.name, 'index.m3u8'), input, v),
        };
        log(`    ${v.name}: one pass ${quality[v.name]!.fanfare ?? '?'}, per rendition ${quality[v.name]!.perRendition ?? '?'}`);
      }
    }

    log(`round ${round}/${rounds}: (c) hand-written single ffmpeg command`);
    const hand = path.join(work, 'hand-written');
    for (let i = 0; i < plan.renditions.length; i++) await mkdir(path.join(hand, `v${i}`), { recursive: true });
    const c = await measure(() => runOk(binaries.ffmpeg, handWrittenArgs(input), hand));
    samples.handWritten.push(c);
    assert.deepEqual(await countSegments(hand, plan.renditions.map((_, i) => `v${i}`)), segments);
    log(`    ${c.seconds.toFixed(1)} s wall, ${fmtCpu(c)} CPU`);
  }
  await rm(work, { recursive: true, force: true });

  const wall = (k: keyof typeof samples) => round2(median(samples[k].map((t) => t.seconds)));
  const cpu = (k: keyof typeof samples) => {
    const values = samples[k].map((t) => t.cpuSeconds);
    return values.every((v): v is number => v !== null) ? round2(median(values)) : null;
  };
  const seconds = { fanfare: wall('fanfare'), perRendition: wall('perRendition'), handWritten: wall('handWritten') };
  const cpuSeconds = { fanfare: cpu('fanfare'), perRendition: cpu('perRendition'), handWritten: cpu('handWritten') };
  const result = {
    ratio: round3(seconds.fanfare / seconds.perRendition),
    goal: GOAL,
    ratioVsHandWritten: round3(seconds.fanfare / seconds.handWritten),
    goalVsHandWritten: GOAL_VS_HAND_WRITTEN,
    meetsGoal: seconds.fanfare / seconds.perRendition <= GOAL,
    meetsGoalVsHandWritten: seconds.fanfare / seconds.handWritten <= GOAL_VS_HAND_WRITTEN,
    seconds: {
      ...seconds,
      perRenditionSteps: Object.fromEntries(Object.entries(perRenditionSteps).map(([k, v]) => [k, round2(median(v))])),
      rounds: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((t) => round2(t.seconds))])),
    },
    cpuSeconds,
    timeToFirstPlayableMs: timesToFirstPlayable.length ? Math.round(median(timesToFirstPlayable)) : null,
    timeToFirstPlayableMeans: 'from the start of (a) (probe included) until every rendition\'s growing EVENT playlist lists a segment: what the job waits for before it publishes the master playlist (its copy to storage adds up to a second)',
    ssim: quality,
    ssimMeans: `SSIM (All) of each video rendition against the source scaled to the rendition's size with bicubic, over the first ${QUALITY_SECONDS} s; (a) the one pass, (b) one run per rendition, same preset and rates`,
    cpuRatio: cpuSeconds.fanfare && cpuSeconds.perRendition ? round3(cpuSeconds.fanfare / cpuSeconds.perRendition) : null,
    cpuRatioVsHandWritten: cpuSeconds.fanfare && cpuSeconds.handWritten ? round3(cpuSeconds.fanfare / cpuSeconds.handWritten) : null,
    ffmpegVersion,
    ffmpegSource: binaries.source,
    source: { ...SOURCE, codec: 'h264', audio: 'aac 128k', generator: 'lavfi testsrc2 + sine' },
    renditions: plan.renditions.map((r) => (r.kind === 'video' ? `${r.width}x${r.height}@${r.bitrate / 1000}k` : `audio@${r.bitrate / 1000}k`)),
    preset: PRESET,
    segmentsPerRendition: Object.fromEntries(plan.renditions.map((r, i) => [r.name, segments[i]])),
    machine: { ...machineInfo(), loadAverageBefore: loadBefore },
    date: new Date().toISOString(),
    notes: [
      '(a) is the whole shipped pipeline: probe with decode checks, one ffmpeg for all renditions plus the storyboard thumbnails (tiled into the sprite by a short second run), a poster run, measuring segments, writing the master playlist.',
      '(b) and (c) produce only the renditions. (b) runs one ffmpeg per video rendition plus one for the audio, one after another.',
      'Wall seconds depend on other load on the machine (see machine.loadAverage*); cpuSeconds are user+system time of the ffmpeg processes.',
    ],
  };
  const out = path.join(import.meta.dirname, 'results', 'transcode.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  log(`written to ${path.relative(process.cwd(), out)}`);
}

const QUALITY_SECONDS = 20;

/** SSIM (All) of `rendition` (an HLS playlist) against `source` scaled to its size, over the first QUALITY_SECONDS. */
async function ssim(ffmpeg: string, rendition: string, source: string, v: VideoRendition): Promise<number | null> {
  const args = ['-hide_banner', '-nostdin', '-v', 'info', '-nostats', '-t', String(QUALITY_SECONDS), '-i', rendition, '-t', String(QUALITY_SECONDS), '-i', source];
  args.push('-lavfi', `[1:v]format=yuv420p,scale=${v.width}:${v.height}:flags=bicubic,setsar=1[ref];[0:v]format=yuv420p,setsar=1[out];[out][ref]ssim`, '-f', 'null', '-');
  const result = await runTool(ffmpeg, args);
  const all = /SSIM .*All:([0-9.]+)/.exec(result.stderrTail);
  return all ? Number(Number(all[1]).toFixed(4)) : null;
}

/** The 60 s 1080p30 source, encoded once and kept between runs. */
async function ensureSource(binaries: FfmpegBinaries, dir: string): Promise<string> {
  const file = path.join(dir, `source-${SOURCE.width}x${SOURCE.height}-${SOURCE.fps}fps-${SOURCE.seconds}s.mp4`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  log(`generating ${file} (once)`);
  const partial = `${file}.partial.mp4`;
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error'];
  args.push('-f', 'lavfi', '-i', `testsrc2=size=${SOURCE.width}x${SOURCE.height}:rate=${SOURCE.fps}`);
  args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SOURCE.seconds));
  args.push('-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p');
  args.push('-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', partial);
  await runOk(binaries.ffmpeg, args);
  await rename(partial, file);
  return file;
}

/** The HLS muxer options every strategy shares; the output playlist name comes after them. */
const HLS = (folder: string) => [
  ...['-map_metadata', '-1', '-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_list_size', '0'],
  ...['-hls_flags', 'independent_segments', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4'],
  ...['-hls_segment_filename', `${folder}seg_%05d.m4s`],
];

/** PeerTube's way: every rendition its own ffmpeg, each decoding the whole source again. */
function perRenditionCommands(plan: LadderPlan, input: string): [string, string[]][] {
  const head = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-i', input];
  const commands: [string, string[]][] = videoRenditions(plan).map((v: VideoRendition) => [
    v.name,
    [
      ...head,
      ...['-map', '0:v:0', '-vf', `format=yuv420p,scale=${v.width}:${v.height},setsar=1`, '-an'],
      ...['-c:v', 'libx264', '-preset', PRESET, '-profile:v', v.profile, '-level:v', v.level.level],
      ...['-b:v', String(v.bitrate), '-maxrate', String(v.maxrate), '-bufsize', String(v.bufsize)],
      ...['-g', String(plan.gopFrames), '-keyint_min', String(plan.gopFrames), '-sc_threshold', '0'],
      ...HLS(''),
      'index.m3u8',
    ],
  ]);
  commands.push(['audio', [...head, '-map', '0:a:0', '-vn', '-c:a', 'aac', '-b:a', '128000', '-ac', '2', '-ar', '48000', ...HLS(''), 'index.m3u8']]);
  return commands;
}

// The fastest single command found by hand for this source (1080p30 in, 1080p..240p + AAC out):
// one decode; each size scaled from the next larger one; nothing else. Tried and not faster here:
// fewer x264 threads (-threads:v 1 is much slower; 2 is the same), x264 lookahead threads.
const HAND_WRITTEN_GRAPH =
  '[0:v:0]format=yuv420p,split=2[v0][a];[a]scale=1280:720,split=2[v1][b];[b]scale=854:480,split=2[v2][c];' +
  '[c]scale=640:360,split=2[v3][d];[d]scale=426:240[v4]';
const HAND_WRITTEN_RATES = [
  { b: '5000k', max: '7500k', buf: '15000k', level: '4.0' },
  { b: '2800k', max: '4200k', buf: '8400k', level: '3.1' },
  { b: '1400k', max: '2100k', buf: '4200k', level: '3.1' },
  { b: '800k', max: '1200k', buf: '2400k', level: '3.0' },
  { b: '400k', max: '600k', buf: '1200k', level: '3.0' },
];

function handWrittenArgs(input: string): string[] {
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-i', input, '-filter_complex', HAND_WRITTEN_GRAPH];
  for (let i = 0; i < 5; i++) args.push('-map', `[v${i}]`);
  args.push('-map', '0:a:0', '-c:v', 'libx264', '-preset', PRESET, '-profile:v', 'high');
  args.push('-g', '120', '-keyint_min', '120', '-sc_threshold', '0');
  HAND_WRITTEN_RATES.forEach((r, i) => args.push(`-b:v:${i}`, r.b, `-maxrate:v:${i}`, r.max, `-bufsize:v:${i}`, r.buf, `-level:v:${i}`, r.level));
  args.push('-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000');
  args.push(...HLS('v%v/'), '-var_stream_map', 'v:0 v:1 v:2 v:3 v:4 a:0', 'v%v/index.m3u8');
  return args;
}

/** The hand-written numbers must be the ladder's, or the comparison is not like for like. */
function checkHandWrittenMatchesPlan(plan: LadderPlan): void {
  const kbps = (n: number) => `${n / 1000}k`;
  const fromPlan = videoRenditions(plan).map((v) => ({ b: kbps(v.bitrate), max: kbps(v.maxrate), buf: kbps(v.bufsize), level: v.level.level }));
  assert.deepEqual(HAND_WRITTEN_RATES, fromPlan, 'hand-written command is out of date with the ladder');
  assert.equal(plan.gopFrames, 120);
}

async function countSegments(dir: string, folders: string[]): Promise<number[]> {
  return Promise.all(
    folders.map(async (folder) => {
      const playlist = parseMediaPlaylist(await readFile(path.join(dir, folder, 'index.m3u8'), 'utf8'));
      assert.ok(playlist.endList && playlist.mapUri, `${dir}/${folder}: incomplete playlist`);
      return playlist.segments.length;
    }),
  );
}

async function runOk(ffmpeg: string, args: string[], cwd?: string): Promise<void> {
  const result = await runTool(ffmpeg, args, { cwd, collectStdout: false });
  if (result.code !== 0) throw new Error(`ffmpeg failed (${args.join(' ')}):\n${result.stderrTail}`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const fmtCpu = (t: Timing) => (t.cpuSeconds === null ? '?' : `${t.cpuSeconds.toFixed(1)} s`);
const log = (line: string) => console.error(`[bench] ${line}`);

await main();
