import { readdirSync } from 'node:fs';
// Test helper (not shipped code): makes small real media files with ffmpeg's built-in generators,
// so the tests need no fixtures in the repository.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTool } from '../../src/videos/transcode/exec.js';

/** Options of {@link makeTestSource}; defaults: 640x360, 3 s, 30 fps, video and audio. */
export interface TestSourceOptions {
  width?: number;
  height?: number;
  seconds?: number;
  fps?: number;
  video?: boolean;
  audio?: boolean;
  /** Clockwise display rotation written into the mp4 (a phone held upright). */
  rotate?: 90 | 180 | 270;
  /** Put the moov atom first, as web-optimised mp4s do. */
  faststart?: boolean;
}

/** Writes `name` in `dir` from lavfi testsrc2 (+ sine audio) with `ffmpeg`; returns its path. */
export async function makeTestSource(ffmpeg: string, dir: string, name: string, options: TestSourceOptions = {}): Promise<string> {
  const { width = 640, height = 360, seconds = 3, fps = 30, video = true, audio = true } = options;
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error'];
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', String(seconds));
  if (video) args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '96k');
  if (options.faststart) args.push('-movflags', '+faststart');
  const file = path.join(dir, name);
  args.push(file);
  const result = await runTool(ffmpeg, args);
  if (result.code !== 0) throw new Error(`could not make ${name}: ${result.stderrTail}`);
  if (options.rotate) await setDisplayRotation(file, options.rotate);
  return file;
}

// Every ffmpeg version spells "write a rotation" differently (a `rotate` tag, then side data, then
// -display_rotation), so the test files get it by writing the first track's tkhd matrix directly,
// as a phone does.
async function setDisplayRotation(file: string, clockwise: 90 | 180 | 270): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.indexOf('tkhd', 0, 'latin1');
  if (at < 0) throw new Error(`${file}: no tkhd box`);
  const version = bytes[at + 4];
  const matrixAt = at + 4 + (version === 1 ? 52 : 40);
  const one = 0x10000;
  const [a, b, c, d] = { 90: [0, one, -one, 0], 180: [-one, 0, 0, -one], 270: [0, -one, one, 0] }[clockwise];
  for (const [i, value] of [a, b, 0, c, d, 0, 0, 0, 0x40000000].entries()) bytes.writeInt32BE(value!, matrixAt + i * 4);
  await writeFile(file, bytes);
}

/** Runs ffmpeg with `args` (for one-off fixtures) and throws with its stderr if it fails. */
export async function ffmpegOrThrow(ffmpeg: string, args: string[]): Promise<void> {
  const result = await runTool(ffmpeg, ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args]);
  if (result.code !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderrTail}`);
}

/** A fresh temporary folder and a function that removes it. */
export async function tempFolder(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `fanfare-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file and folder below `dir`, relative to it; none when it does not exist. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return [];
  }
}
