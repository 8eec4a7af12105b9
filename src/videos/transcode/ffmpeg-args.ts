import { audioRendition, videoRenditions, type LadderPlan } from './ladder.js';
import { STORYBOARD_FRAMES, storyboardFilter, type StoryboardPlan } from './storyboard.js';

/** Options of {@link buildTranscodeArgs}. */
export interface TranscodeArgsOptions {
  /** Source file; an absolute path, so a name like "a:b.mp4" is never read as a protocol. */
  input: string;
  /** x264 preset; same speed/quality trade for every rendition. Default 'veryfast'. */
  preset?: string;
  /** Extra video filter applied once before the split, e.g. 'yadif' for interlaced sources. */
  preFilter?: string;
  /** Also write the seek-preview thumbnails from the same decode (into STORYBOARD_FRAMES, tiled afterwards). */
  storyboard?: { plan: StoryboardPlan };
}

/** Folder (relative to ffmpeg's working directory) of the variant at `index` in var_stream_map. */
export function variantFolder(index: number): string {
  return `v${index}`;
}

// The same folder as ffmpeg's hls muxer spells it: %v becomes the variant index.
const VARIANT_FOLDER_PATTERN = 'v%v';

/** Name ffmpeg gives each variant's playlist inside its folder. */
export const VARIANT_PLAYLIST = 'index.m3u8';

/**
 * Arguments for ONE ffmpeg process that decodes the source once and writes every rendition of
 * `plan` as fMP4 HLS into v0/, v1/, ... (ffmpeg must run with the output folder as its working
 * directory, and the folders must exist: old ffmpeg builds do not create them). Video i is
 * variant i; the audio rendition, if any, is the last variant. Progress goes to stdout as
 * key=value blocks (`-progress pipe:1`).
 *
 * Only options that ffmpeg 4.1 (the npm-bundled build) understands are used: no
 * `-master_pl_name` (we write the master playlist), no `name:` keys in var_stream_map.
 */
export function buildTranscodeArgs(plan: LadderPlan, options: TranscodeArgsOptions): string[] {
  const videos = videoRenditions(plan);
  const audio = audioRendition(plan);
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-i', options.input];
  const maps: string[] = [];
  const graph = filterGraph(plan, options);
  if (graph) args.push('-filter_complex', graph);

  videos.forEach((v, i) => {
    maps.push(`v:${i}`);
    args.push('-map', `[v${i}]`, `-c:v:${i}`, 'libx264');
    args.push(`-b:v:${i}`, String(v.bitrate), `-maxrate:v:${i}`, String(v.maxrate), `-bufsize:v:${i}`, String(v.bufsize));
    args.push(`-profile:v:${i}`, v.profile, `-level:v:${i}`, v.level.level);
  });
  if (videos.length > 0) {
    // A keyframe every segment on the same frame in every rendition, and none anywhere else
    // (no scene-cut keyframes): segments of all renditions then cover identical time ranges, which
    // is what lets a player switch rendition at any segment boundary.
    args.push('-preset:v', options.preset ?? 'veryfast', '-g', String(plan.gopFrames), '-keyint_min', String(plan.gopFrames));
    args.push('-sc_threshold', '0');
  }
  if (audio) {
    maps.push('a:0');
    args.push('-map', '0:a:0', '-c:a', 'aac', '-b:a', String(audio.bitrate), '-ac', String(audio.channels));
    args.push('-ar', String(audio.sampleRate));
  }
  // Uploads carry camera make, GPS position and editing software in their metadata; none of it
  // belongs in what we publish.
  args.push('-map_metadata', '-1', '-map_chapters', '-1');
  // EVENT: ffmpeg rewrites each playlist as segments are finished (a VOD playlist is written only at the
  // end), so a rendition can be published and watched while the pass runs; run.ts makes them VOD at the end.
  args.push('-f', 'hls', '-hls_time', String(plan.segmentSeconds), '-hls_playlist_type', 'event', '-hls_list_size', '0');
  args.push('-hls_flags', 'independent_segments', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4');
  args.push('-hls_segment_filename', `${VARIANT_FOLDER_PATTERN}/seg_%05d.m4s`);
  args.push('-var_stream_map', maps.join(' '), `${VARIANT_FOLDER_PATTERN}/${VARIANT_PLAYLIST}`);

  if (options.storyboard) {
    // One small lossless image per thumbnail; the sprite is laid out from them after the pass (see storyboardFilter).
    args.push('-map', '[storyboard]', '-frames:v', String(options.storyboard.plan.count), '-f', 'image2', STORYBOARD_FRAMES.pattern);
  }
  args.push('-progress', 'pipe:1', '-nostats');
  return args;
}

function filterGraph(plan: LadderPlan, options: TranscodeArgsOptions): string | undefined {
  const videos = videoRenditions(plan);
  if (videos.length === 0) return undefined;
  const head = `[0:v:0]${options.preFilter ? `${options.preFilter},` : ''}format=yuv420p`;
  const parts = [options.storyboard ? `${head},split=2[x0][sb]` : `${head}[x0]`];
  // A cascade: each rendition is scaled from the one above it, not from the source. ffmpeg runs
  // the filter graph on one thread, so five full-size scales would hold back the encoders; a
  // cascade costs a fraction of that. Its extra softening (about 1 to 3 dB PSNR at 50 dB against
  // a lanczos reference) is far below what x264 removes at these bit rates.
  videos.forEach((v, i) => {
    const last = i === videos.length - 1;
    parts.push(`[x${i}]scale=${v.width}:${v.height},setsar=1${last ? `[v${i}]` : `,split=2[v${i}][x${i + 1}]`}`);
  });
  if (options.storyboard) parts.push(`[sb]${storyboardFilter(options.storyboard.plan)}[storyboard]`);
  return parts.join(';');
}
