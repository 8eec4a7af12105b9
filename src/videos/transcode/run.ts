import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveBinaries, type FfmpegBinaries } from './binaries.js';
import { TranscodeError } from './errors.js';
import { runTool } from './exec.js';
import { buildTranscodeArgs, variantFolder, VARIANT_PLAYLIST } from './ffmpeg-args.js';
import { planLadder, videoRenditions, type LadderOptions, type LadderPlan, type VideoRendition } from './ladder.js';
import { buildMasterPlaylist, type Measurements } from './master-playlist.js';
import { measureRenditions } from './measure.js';
import { probeMedia, type MediaSummary } from './probe.js';
import { writeDownloads, type DownloadFiles } from './downloads.js';
import { createProgressParser } from './progress.js';
import { buildStoryboardVtt, planStoryboard, STORYBOARD_FRAMES, storyboardTileArgs, type StoryboardOptions, type StoryboardPlan } from './storyboard.js';

/** Options of {@link transcodeVideo}. */
export interface TranscodeOptions {
  input: string;
  /** Final folder. It appears complete or not at all; an existing one is replaced on success. */
  outputDir: string;
  /** Default: {@link resolveBinaries}(). */
  binaries?: FfmpegBinaries;
  /** Skip probing when the caller already has the summary. */
  summary?: MediaSummary;
  ladder?: LadderOptions;
  /** x264 preset for every rendition; default 'veryfast'. */
  preset?: string;
  /** Video filter applied before scaling, e.g. 'yadif' for interlaced sources. */
  preFilter?: string;
  /** Write poster.jpg (frame at 10% of the duration); default true. */
  poster?: boolean;
  /** Write storyboard.jpg + storyboard.vtt for seek previews; default true. */
  storyboard?: boolean | StoryboardOptions;
  /** Percent 0..100, increasing; 100 is reported once the output folder is in place. */
  onProgress?: (percent: number) => void;
  /** Minimum ms between progress reports; default 1000. */
  progressThrottleMs?: number;
  /**
   * Also write a progressive download.mp4 (the rendition of at most this many lines) and audio.m4a,
   * remuxed from the HLS just encoded. Default: none.
   */
  downloadHeight?: number;
  /** Aborting kills ffmpeg and removes everything written so far. */
  signal?: AbortSignal;
  /**
   * Called again and again while ffmpeg runs (one call at a time, every `partialEveryMs`): each rendition's
   * playlist is an EVENT playlist that grows as segments are finished, so what it lists may be published at
   * once (see `PartialOutput`). The finished output is the caller's to publish as usual. A rejection fails the transcode.
   */
  onPartial?: (partial: PartialOutput) => Promise<void>;
  /** Default 1000. */
  partialEveryMs?: number;
}

/** The transcode in progress, as `onPartial` sees it. */
export interface PartialOutput {
  /** The working folder. */
  dir: string;
  /** Each rendition's folder inside `dir`, holding its growing `index.m3u8`, `init.mp4` and segments. */
  renditions: { name: string; folder: string }[];
  /** A master playlist for all renditions with nominal rates (the measured one comes at the end). */
  master: string;
}

/** What a successful transcode put in `outputDir` (paths relative to it). */
export interface TranscodeResult {
  outputDir: string;
  masterPlaylist: 'master.m3u8';
  summary: MediaSummary;
  plan: LadderPlan;
  measurements: Measurements;
  poster: 'poster.jpg' | undefined;
  storyboard: { image: 'storyboard.jpg'; vtt: 'storyboard.vtt'; plan: StoryboardPlan } | undefined;
  /** The progressive files, when `downloadHeight` was given. */
  downloads: DownloadFiles;
}

/**
 * Transcodes `input` to fMP4 HLS in one ffmpeg process (decode once, encode every rendition),
 * then writes the master playlist, poster and storyboard. Everything is written to a hidden
 * sibling folder and renamed into place at the end, so readers never see a half-written video;
 * on any failure or abort that folder is removed and a {@link TranscodeError} (or the
 * {@link ProbeError} of an unusable input) is thrown.
 */
export async function transcodeVideo(options: TranscodeOptions): Promise<TranscodeResult> {
  const binaries = options.binaries ?? resolveBinaries();
  const input = path.resolve(options.input);
  const outputDir = path.resolve(options.outputDir);
  throwIfAborted(options.signal, 'probe');
  const summary = options.summary ?? (await probeMedia(input, { binaries }));
  throwIfAborted(options.signal, 'probe');
  const plan = planLadder(summary, options.ladder);
  const storyboardPlan =
    summary.hasVideo && options.storyboard !== false
      ? planStoryboard(summary.durationSeconds, plan.displayWidth, plan.displayHeight, options.storyboard === true ? {} : options.storyboard)
      : undefined;

  await mkdir(path.dirname(outputDir), { recursive: true });
  // A sibling, not os.tmpdir(): rename() is only atomic within one filesystem.
  const work = await mkdtemp(path.join(path.dirname(outputDir), `.${path.basename(outputDir)}.partial-`));
  try {
    await encode(binaries.ffmpeg, input, work, plan, summary, storyboardPlan, options);
    if (storyboardPlan) await tileStoryboard(binaries.ffmpeg, work, storyboardPlan, options.signal);
    const poster = summary.hasVideo && options.poster !== false ? await writePoster(binaries.ffmpeg, input, work, plan, summary, options.signal) : undefined;
    // Name the variant folders after their renditions ("720p/"); playlists refer to their
    // segments relatively, so only the master, which we write next, needs to know.
    for (const [index, rendition] of plan.renditions.entries()) {
      await rename(path.join(work, variantFolder(index)), path.join(work, rendition.name));
    }
    const measurements = await measureRenditions(work, plan.renditions).catch((cause: unknown) => {
      throw new TranscodeError('ffmpeg_failed', 'checking the HLS output', String(cause), { cause });
    });
    await writeFile(path.join(work, 'master.m3u8'), buildMasterPlaylist(plan.renditions, measurements));
    const downloads =
      options.downloadHeight === undefined
        ? { video: undefined, audio: undefined }
        : await writeDownloads(binaries.ffmpeg, work, plan, options.downloadHeight, options.signal);
    if (storyboardPlan) {
      await writeFile(path.join(work, 'storyboard.vtt'), buildStoryboardVtt(storyboardPlan, summary.durationSeconds, 'storyboard.jpg'));
    }
    throwIfAborted(options.signal, 'finishing');
    await moveIntoPlace(work, outputDir);
    options.onProgress?.(100);
    return {
      outputDir,
      masterPlaylist: 'master.m3u8',
      summary,
      plan,
      measurements,
      poster,
      storyboard: storyboardPlan ? { image: 'storyboard.jpg', vtt: 'storyboard.vtt', plan: storyboardPlan } : undefined,
      downloads,
    };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

async function encode(
  ffmpeg: string,
  input: string,
  work: string,
  plan: LadderPlan,
  summary: MediaSummary,
  storyboard: StoryboardPlan | undefined,
  options: TranscodeOptions,
): Promise<void> {
  // Old ffmpeg builds do not create the %v folders themselves.
  for (const index of plan.renditions.keys()) await mkdir(path.join(work, variantFolder(index)));
  if (storyboard) await mkdir(path.join(work, STORYBOARD_FRAMES.folder));
  const args = buildTranscodeArgs(plan, {
    input,
    preset: options.preset,
    preFilter: options.preFilter,
    storyboard: storyboard ? { plan: storyboard } : undefined,
  });
  const partial = options.onPartial;
  const partialOutput: PartialOutput = {
    dir: work,
    renditions: plan.renditions.map((r, index) => ({ name: r.name, folder: variantFolder(index) })),
    master: buildMasterPlaylist(plan.renditions),
  };
  let publishing: Promise<void> = Promise.resolve();
  let publishError: unknown;
  let ticking = false;
  const timer = partial
    ? setInterval(() => {
        if (ticking) return;
        ticking = true;
        publishing = partial(partialOutput)
          .catch((error: unknown) => void (publishError ??= error))
          .finally(() => void (ticking = false));
      }, options.partialEveryMs ?? 1000)
    : undefined;
  try {
    await runEncoder(ffmpeg, args, work, summary, options);
  } finally {
    clearInterval(timer);
    await publishing;
  }
  if (publishError) throw publishError;
  // The growing EVENT playlists are complete now: VOD from here on, as every player expects of a finished video.
  for (const index of plan.renditions.keys()) {
    const file = path.join(work, variantFolder(index), VARIANT_PLAYLIST);
    const text = await readFile(file, 'utf8');
    await writeFile(file, finishedPlaylist(text));
  }
}

/** An EVENT playlist made VOD, with its end marker. */
export function finishedPlaylist(text: string): string {
  const vod = text.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT\s*$/m, '#EXT-X-PLAYLIST-TYPE:VOD');
  return /^#EXT-X-ENDLIST\s*$/m.test(vod) ? vod : `${vod.replace(/\n*$/, '\n')}#EXT-X-ENDLIST\n`;
}

async function runEncoder(ffmpeg: string, args: string[], work: string, summary: MediaSummary, options: TranscodeOptions): Promise<void> {
  const onProgress = options.onProgress;
  let last = -1;
  const parse = onProgress
    ? createProgressParser({
        durationSeconds: summary.durationSeconds,
        throttleMs: options.progressThrottleMs,
        // 100 is kept for "output in place", after the steps that follow ffmpeg.
        onPercent: (percent) => {
          const capped = Math.min(percent, 99);
          if (capped > last) onProgress((last = capped));
        },
      })
    : undefined;
  const result = await runTool(ffmpeg, args, { cwd: work, signal: options.signal, onStdout: parse, collectStdout: false }).catch(
    (cause: unknown) => {
      throw new TranscodeError('ffmpeg_failed', 'ffmpeg transcode', `cannot run ${ffmpeg}: ${String(cause)}`, { cause });
    },
  );
  if (result.aborted) throw new TranscodeError('aborted', 'ffmpeg transcode', result.stderrTail);
  if (result.code !== 0) throw new TranscodeError('ffmpeg_failed', 'ffmpeg transcode', result.stderrTail);
}

/** Lays the thumbnails the pass wrote out as storyboard.jpg (a fraction of a second), then deletes them. */
async function tileStoryboard(ffmpeg: string, work: string, plan: StoryboardPlan, signal: AbortSignal | undefined): Promise<void> {
  const result = await runTool(ffmpeg, storyboardTileArgs(plan, 'storyboard.jpg'), { cwd: work, signal }).catch((cause: unknown) => {
    throw new TranscodeError('ffmpeg_failed', 'storyboard', `cannot run ${ffmpeg}: ${String(cause)}`, { cause });
  });
  if (result.aborted) throw new TranscodeError('aborted', 'storyboard', result.stderrTail);
  if (result.code !== 0) throw new TranscodeError('ffmpeg_failed', 'storyboard', result.stderrTail);
  await rm(path.join(work, STORYBOARD_FRAMES.folder), { recursive: true, force: true });
}

async function writePoster(
  ffmpeg: string,
  input: string,
  work: string,
  plan: LadderPlan,
  summary: MediaSummary,
  signal: AbortSignal | undefined,
): Promise<'poster.jpg'> {
  // Poster at the size players start with; seeking before -i decodes only from the nearest keyframe.
  const away = (v: VideoRendition) => Math.abs(Math.min(v.width, v.height) - 720);
  const size = videoRenditions(plan).reduce((best, v) => (away(v) < away(best) ? v : best));
  const at = (summary.durationSeconds * 0.1).toFixed(3);
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-ss', at, '-i', input, '-map', '0:v:0', '-frames:v', '1'];
  args.push('-vf', `scale=${size.width}:${size.height},setsar=1`, '-q:v', '3', '-update', '1', 'poster.jpg');
  const result = await runTool(ffmpeg, args, { cwd: work, signal }).catch((cause: unknown) => {
    throw new TranscodeError('ffmpeg_failed', 'poster', `cannot run ${ffmpeg}: ${String(cause)}`, { cause });
  });
  if (result.aborted) throw new TranscodeError('aborted', 'poster', result.stderrTail);
  if (result.code !== 0) throw new TranscodeError('ffmpeg_failed', 'poster', result.stderrTail);
  return 'poster.jpg';
}

/** Renames `from` to `to`; an existing `to` is moved aside first and deleted after the swap. */
async function moveIntoPlace(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  const aside = await mkdtemp(path.join(path.dirname(to), `.${path.basename(to)}.old-`));
  await rename(to, path.join(aside, 'previous'));
  await rename(from, to);
  await rm(aside, { recursive: true, force: true });
}

function throwIfAborted(signal: AbortSignal | undefined, step: string): void {
  if (signal?.aborted) throw new TranscodeError('aborted', step, '');
}
