import { stat } from 'node:fs/promises';
import path from 'node:path';
import { TranscodeError } from './errors.js';
import { runTool } from './exec.js';
import { VARIANT_PLAYLIST } from './ffmpeg-args.js';
import { audioRendition, videoRenditions, type LadderPlan, type VideoRendition } from './ladder.js';

/** Heights a creator may choose for the downloadable MP4. */
export const DOWNLOAD_HEIGHTS = [720, 1080] as const;
export type DownloadHeight = (typeof DOWNLOAD_HEIGHTS)[number];

/** File names of the progressive downloads inside the transcode output. */
export const DOWNLOAD_MP4 = 'download.mp4';
export const DOWNLOAD_M4A = 'audio.m4a';

/** What {@link writeDownloads} wrote (names relative to the output folder) and their sizes. */
export interface DownloadFiles {
  video: { file: typeof DOWNLOAD_MP4; bytes: number; height: number } | undefined;
  audio: { file: typeof DOWNLOAD_M4A; bytes: number } | undefined;
}

/** The tallest video rendition not above `height` (the smallest one when all are taller). */
export function downloadRendition(plan: LadderPlan, height: number): VideoRendition | undefined {
  const videos = videoRenditions(plan);
  const fitting = videos.filter((v) => Math.min(v.width, v.height) <= height);
  const side = (v: VideoRendition) => Math.min(v.width, v.height);
  if (fitting.length > 0) return fitting.reduce((best, v) => (side(v) > side(best) ? v : best));
  return videos.reduce<VideoRendition | undefined>((best, v) => (!best || side(v) < side(best) ? v : best), undefined);
}

/**
 * Arguments for one ffmpeg process that remuxes the HLS output already in `work` (no re-encoding: the
 * H.264 of one rendition and the AAC of the audio rendition are copied) into a progressive
 * `download.mp4` and an audio-only `audio.m4a`, both with the index first (`+faststart`) so players and
 * podcast apps start before the end arrives. Undefined when the plan has neither video nor audio.
 */
export function buildDownloadArgs(plan: LadderPlan, height: number): string[] | undefined {
  const video = downloadRendition(plan, height);
  const audio = audioRendition(plan);
  if (!video && !audio) return undefined;
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error'];
  if (video) args.push('-i', `${video.name}/${VARIANT_PLAYLIST}`);
  if (audio) args.push('-i', `${audio.name}/${VARIANT_PLAYLIST}`);
  const audioInput = video ? 1 : 0;
  if (video) {
    args.push('-map', '0:v:0');
    if (audio) args.push('-map', `${audioInput}:a:0`);
    args.push('-c', 'copy', '-map_metadata', '-1', '-movflags', '+faststart', DOWNLOAD_MP4);
  }
  if (audio) args.push('-map', `${audioInput}:a:0`, '-c', 'copy', '-map_metadata', '-1', '-movflags', '+faststart', DOWNLOAD_M4A);
  return args;
}

/**
 * Writes the progressive MP4 (at most `height` lines) and the M4A into `work`, from the renditions the
 * same transcode run just encoded: the extra cost is a copy of the bytes, not a second encode.
 */
export async function writeDownloads(ffmpeg: string, work: string, plan: LadderPlan, height: number, signal?: AbortSignal): Promise<DownloadFiles> {
  const args = buildDownloadArgs(plan, height);
  if (!args) return { video: undefined, audio: undefined };
  const result = await runTool(ffmpeg, args, { cwd: work, signal }).catch((cause: unknown) => {
    throw new TranscodeError('ffmpeg_failed', 'downloads', `cannot run ${ffmpeg}: ${String(cause)}`, { cause });
  });
  if (result.aborted) throw new TranscodeError('aborted', 'downloads', result.stderrTail);
  if (result.code !== 0) throw new TranscodeError('ffmpeg_failed', 'downloads', result.stderrTail);
  const video = downloadRendition(plan, height);
  const size = async (file: string) => (await stat(path.join(work, file))).size;
  return {
    video: video ? { file: DOWNLOAD_MP4, bytes: await size(DOWNLOAD_MP4), height: Math.min(video.width, video.height) } : undefined,
    audio: audioRendition(plan) ? { file: DOWNLOAD_M4A, bytes: await size(DOWNLOAD_M4A) } : undefined,
  };
}
