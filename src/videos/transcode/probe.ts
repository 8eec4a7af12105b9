import { open, stat } from 'node:fs/promises';
import type { FfmpegBinaries } from './binaries.js';
import { ProbeError } from './errors.js';
import { runTool } from './exec.js';
import { ffprobeOutputSchema, type FfprobeOutput, type FfprobeStream } from './ffprobe-output.js';

/**
 * What the ladder needs to know about a source. `width`/`height` are the coded frame size (0 when
 * there is no video); `rotation` is the clockwise turn a player applies, so a phone video shot
 * upright reads 1920x1080 with rotation 90. `fps` is 0 without video. `sampleAspectRatio` is the
 * pixel shape (1 for square pixels; anamorphic DVD rips differ), so display width = width * it.
 */
export interface MediaSummary {
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  videoCodec: string | null;
  audioCodec: string | null;
  hasVideo: boolean;
  hasAudio: boolean;
  rotation: 0 | 90 | 180 | 270;
  sampleAspectRatio: number;
}

/** Options of {@link probeMedia}. */
export interface ProbeOptions {
  binaries: Pick<FfmpegBinaries, 'ffmpeg' | 'ffprobe'>;
  /** Per ffprobe/ffmpeg run; a stuck probe (a FIFO, a network mount) becomes `probe_failed`. */
  timeoutMs?: number;
  /** Skip the decode checks (first frame, tail of file) when the caller only needs the metadata. */
  skipDecodeCheck?: boolean;
}

/**
 * Probes `file` and returns its summary, or throws {@link ProbeError} with a reason callers can act
 * on. ffprobe only reads headers, so a file whose header is intact but whose data was cut off, or
 * whose codec cannot be decoded, would pass it; two short ffmpeg runs close that gap: decode the
 * first frame, and decode the last two seconds (the mov demuxer reports "partial file" there).
 */
export async function probeMedia(file: string, options: ProbeOptions): Promise<MediaSummary> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const info = await stat(file).catch((cause: unknown) => {
    throw new ProbeError('probe_failed', file, 'cannot stat file', { cause });
  });
  if (!info.isFile()) throw new ProbeError('probe_failed', file, 'not a regular file');
  if (info.size === 0) throw new ProbeError('not_media', file, 'empty file');

  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
  const run = await runTool(options.binaries.ffprobe, args, { timeoutMs }).catch((cause: unknown) => {
    throw new ProbeError('probe_failed', file, `cannot run ffprobe ${options.binaries.ffprobe}`, { cause });
  });
  if (run.timedOut) throw new ProbeError('probe_failed', file, `ffprobe timed out after ${timeoutMs} ms`);
  if (run.code !== 0) {
    // ffprobe says "moov atom not found" for a text file named .mp4 too (the extension picks the
    // demuxer), so the file's own first bytes decide between "cut short" and "never was media".
    const reason = (await looksLikeContainer(file)) ? 'truncated' : 'not_media';
    throw new ProbeError(reason, file, run.stderrTail);
  }
  let output: FfprobeOutput;
  try {
    output = ffprobeOutputSchema.parse(JSON.parse(run.stdout));
  } catch (cause) {
    throw new ProbeError('probe_failed', file, 'unexpected ffprobe output', { cause });
  }
  const summary = summarizeProbe(output, file);
  if (!options.skipDecodeCheck) await checkDecodable(file, summary, options.binaries.ffmpeg, timeoutMs);
  return summary;
}

// Demuxers that accept a still image or a text file as "video"; none of them is a video upload.
const NOT_VIDEO_FORMATS = /^(image2|tty|[a-z0-9]+_pipe)$/;

/** Turns validated ffprobe output into a summary, or throws the {@link ProbeError} it implies. */
export function summarizeProbe(output: FfprobeOutput, file: string): MediaSummary {
  if (NOT_VIDEO_FORMATS.test(output.format.format_name)) {
    throw new ProbeError('not_media', file, `format ${output.format.format_name} is not audio or video`);
  }
  // Cover art in music files is a one-frame "video" stream flagged attached_pic; it is not video.
  const video = output.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1 && known(s));
  const audio = output.streams.find((s) => s.codec_type === 'audio' && known(s));
  if (!video && !audio) throw new ProbeError('no_decodable_stream', file, 'no audio or video stream with a known codec');
  const durations = [output.format.duration, ...output.streams.map((s) => s.duration)];
  const durationSeconds = Math.max(0, ...durations.filter((d): d is number => d !== undefined));
  if (!(durationSeconds > 0)) throw new ProbeError('truncated', file, 'no duration: the file looks cut short');
  if (video && !(video.width && video.height)) {
    throw new ProbeError('no_decodable_stream', file, 'video stream without a frame size');
  }
  return {
    durationSeconds,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    fps: video ? frameRate(video) : 0,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    hasVideo: Boolean(video),
    hasAudio: Boolean(audio),
    rotation: video ? rotation(video) : 0,
    sampleAspectRatio: video ? sampleAspectRatio(video) : 1,
  };
}

function known(s: FfprobeStream): boolean {
  return Boolean(s.codec_name) && s.codec_name !== 'none' && s.codec_name !== 'unknown';
}

/** avg_frame_rate is the real rate for variable-rate phone videos; r_frame_rate is the fallback. */
function frameRate(s: FfprobeStream): number {
  for (const text of [s.avg_frame_rate, s.r_frame_rate]) {
    const [num, den] = (text ?? '').split('/').map(Number);
    const fps = den ? num! / den : Number(num);
    if (Number.isFinite(fps) && fps > 0 && fps <= 240) return Math.round(fps * 1000) / 1000;
  }
  return 30;
}

function sampleAspectRatio(s: FfprobeStream): number {
  const [num, den] = (s.sample_aspect_ratio ?? '1:1').split(':').map(Number);
  const sar = num && den ? num / den : 1;
  // "0:1" means unknown; absurd values come from broken headers. Both mean square pixels.
  return Number.isFinite(sar) && sar >= 0.25 && sar <= 4 ? sar : 1;
}

function rotation(s: FfprobeStream): MediaSummary['rotation'] {
  // Newer ffprobes report the display matrix angle (counter-clockwise, e.g. -90); older ones a
  // `rotate` tag in clockwise degrees. Both describe the same turn.
  const matrix = s.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  const clockwise = matrix !== undefined ? -matrix : Number(s.tags?.rotate ?? 0);
  const quarter = ((Math.round(clockwise / 90) % 4) + 4) % 4;
  return (quarter * 90) as MediaSummary['rotation'];
}

async function checkDecodable(file: string, summary: MediaSummary, ffmpeg: string, timeoutMs: number): Promise<void> {
  const stream = summary.hasVideo ? ['-map', '0:v:0', '-frames:v', '1'] : ['-map', '0:a:0', '-frames:a', '1'];
  const tailStart = Math.max(0, summary.durationSeconds - 2).toFixed(3);
  const [first, tail] = await Promise.all([
    // framecrc prints one line per decoded frame, which proves a frame decoded; the exit code alone
    // does not (ffmpeg exits 0 when a decoder produced nothing).
    runTool(ffmpeg, ['-nostdin', '-v', 'error', '-i', file, ...stream, '-f', 'framecrc', '-'], { timeoutMs }),
    // Decoding (not stream copy) the tail, because ffmpeg 4.x only reports "partial file" when a
    // decoder asks for the missing bytes.
    runTool(ffmpeg, ['-nostdin', '-v', 'error', '-ss', tailStart, '-i', file, '-map', '0:v:0?', '-map', '0:a:0?', '-f', 'null', '-'], {
      timeoutMs,
    }),
  ]).catch((cause: unknown) => {
    throw new ProbeError('probe_failed', file, `cannot run ffmpeg ${ffmpeg}`, { cause });
  });
  if (first.timedOut || tail.timedOut) throw new ProbeError('probe_failed', file, `decode check timed out after ${timeoutMs} ms`);
  if (/partial file|truncat/i.test(tail.stderrTail)) throw new ProbeError('truncated', file, tail.stderrTail);
  const decodedFrame = first.stdout.split('\n').some((line) => /^\d+,/.test(line.trim()));
  if (first.code !== 0 || !decodedFrame) {
    throw new ProbeError('no_decodable_stream', file, first.stderrTail || 'no frame decoded');
  }
}

/** True when the file starts like a media container (ISO BMFF, Matroska, RIFF, Ogg, FLV). */
async function looksLikeContainer(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead < 4) return false;
    const box = head.subarray(4, 8).toString('latin1');
    if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(box)) return true;
    if (head.readUInt32BE(0) === 0x1a45dfa3) return true;
    return ['RIFF', 'OggS', 'FLV\x01'].includes(head.subarray(0, 4).toString('latin1'));
  } finally {
    await handle.close();
  }
}
