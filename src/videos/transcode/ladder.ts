import { chooseH264Level, type H264Level } from './h264.js';
import type { MediaSummary } from './probe.js';

/** The rungs of the ladder, by the short side of the picture ("1080p" is 1920x1080 or 1080x1920). */
export const LADDER_HEIGHTS = [2160, 1440, 1080, 720, 480, 360, 240] as const;

// H.264 target bit rates in kbit/s at up to 30 fps, close to Apple's HLS authoring table and
// YouTube's upload recommendations for veryfast-grade encodes. Above 30 fps we add half.
const KBPS_AT_30FPS: Record<number, number> = { 2160: 16_000, 1440: 9_000, 1080: 5_000, 720: 2_800, 480: 1_400, 360: 800, 240: 400 };

/** One H.264 output. `name` is also its folder in the output ("720p/index.m3u8"). Rates in bit/s. */
export interface VideoRendition {
  kind: 'video';
  name: string;
  width: number;
  height: number;
  fps: number;
  bitrate: number;
  maxrate: number;
  bufsize: number;
  profile: 'high';
  level: H264Level;
}

/** The AAC-LC audio, encoded once and shared by every video rendition (see README.md). */
export interface AudioRendition {
  kind: 'audio';
  name: 'audio';
  bitrate: number;
  channels: 2;
  sampleRate: 48_000;
}

/** Either kind of output stream. */
export type Rendition = VideoRendition | AudioRendition;

/** Options of {@link planLadder}. */
export interface LadderOptions {
  /** Rungs to consider, by short side; default {@link LADDER_HEIGHTS}. */
  heights?: readonly number[];
  /** HLS segment length; every rendition gets a keyframe exactly this often. Default 4. */
  segmentSeconds?: number;
  /** AAC bit rate in bit/s; default 128 000. */
  audioBitrate?: number;
}

/** Everything the ffmpeg arguments and the master playlist are built from. */
export interface LadderPlan {
  /** Video renditions, tallest first, then the audio rendition when the source has audio. */
  renditions: Rendition[];
  segmentSeconds: number;
  /** Frames per GOP: fps * segmentSeconds, so segment boundaries fall on the same frame everywhere. */
  gopFrames: number;
  /** Size of the source as a player shows it (rotation and pixel shape applied). 0 without video. */
  displayWidth: number;
  displayHeight: number;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/**
 * The renditions to produce for a source: every rung not taller than the source (never upscaling),
 * or, for a source smaller than the lowest rung, one rendition at its own size; plus the audio
 * rendition when the source has audio. Widths keep the display aspect ratio and are even, as
 * 4:2:0 chroma requires. Pure: same summary, same plan.
 */
export function planLadder(summary: MediaSummary, options: LadderOptions = {}): LadderPlan {
  const segmentSeconds = options.segmentSeconds ?? 4;
  const renditions: Rendition[] = [];
  let display = { width: 0, height: 0 };
  if (summary.hasVideo) {
    display = displaySize(summary);
    const short = Math.min(display.width, display.height);
    const rungs = [...(options.heights ?? LADDER_HEIGHTS)].sort((a, b) => b - a);
    const fitting = rungs.filter((rung) => rung <= short);
    const chosen = fitting.length > 0 ? fitting : [Math.min(short, rungs[rungs.length - 1] ?? short)];
    for (const rung of chosen) renditions.push(videoRendition(rung, display, summary.fps));
  }
  if (summary.hasAudio) {
    renditions.push({ kind: 'audio', name: 'audio', bitrate: options.audioBitrate ?? 128_000, channels: 2, sampleRate: 48_000 });
  }
  return {
    renditions,
    segmentSeconds,
    gopFrames: summary.hasVideo ? Math.max(1, Math.round(summary.fps * segmentSeconds)) : 0,
    displayWidth: display.width,
    displayHeight: display.height,
  };
}

/** Video renditions of a plan, tallest first. */
export function videoRenditions(plan: LadderPlan): VideoRendition[] {
  return plan.renditions.filter((r): r is VideoRendition => r.kind === 'video');
}

/** The audio rendition of a plan, if any. */
export function audioRendition(plan: LadderPlan): AudioRendition | undefined {
  return plan.renditions.find((r): r is AudioRendition => r.kind === 'audio');
}

function displaySize(summary: MediaSummary): { width: number; height: number } {
  const width = summary.width * summary.sampleAspectRatio;
  const turned = summary.rotation === 90 || summary.rotation === 270;
  return turned ? { width: summary.height, height: width } : { width, height: summary.height };
}

function videoRendition(rung: number, display: { width: number; height: number }, fps: number): VideoRendition {
  const landscape = display.width >= display.height;
  const width = landscape ? even((rung * display.width) / display.height) : even(rung);
  const height = landscape ? even(rung) : even((rung * display.height) / display.width);
  const bitrate = nominalBitrate(rung, fps);
  // Peak 1.5x the average and a 2 s buffer: HLS asks peak <= 2x average for VOD, and a tighter
  // cap keeps the BANDWIDTH a player plans for close to what it will actually fetch.
  const maxrate = Math.round(bitrate * 1.5);
  return {
    kind: 'video',
    name: `${Math.min(width, height)}p`,
    width,
    height,
    fps,
    bitrate,
    maxrate,
    bufsize: maxrate * 2,
    profile: 'high',
    level: chooseH264Level(width, height, fps, maxrate),
  };
}

/** Target bit rate for a rung; rungs off the table (tiny sources) scale from 240p by pixel count. */
function nominalBitrate(rung: number, fps: number): number {
  const kbps = KBPS_AT_30FPS[rung] ?? Math.max(150, Math.round(400 * (rung / 240) ** 2));
  return Math.round(kbps * 1000 * (fps > 30.5 ? 1.5 : 1));
}
