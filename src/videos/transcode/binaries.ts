import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where a pair of ffmpeg/ffprobe executables came from. */
export type BinarySource = 'env' | 'path' | 'bundled';

/** Absolute paths of the two executables this module runs, and where they were found. */
export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  source: BinarySource;
}

/** Options of {@link resolveBinaries}. */
export interface ResolveBinariesOptions {
  /** Take only this source (tests run once per source); throws when it has no usable pair. */
  source?: BinarySource;
  /** Environment to read FFMPEG_PATH, FFPROBE_PATH and PATH from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** No usable ffmpeg/ffprobe pair: the message lists every place that was tried and why it failed. */
export class BinariesNotFoundError extends Error {
  constructor(readonly tried: string[]) {
    super(`no usable ffmpeg/ffprobe pair found; tried:\n  ${tried.join('\n  ')}`);
    this.name = new.target.name;
  }
}

const ORDER: BinarySource[] = ['env', 'path', 'bundled'];

/**
 * Finds ffmpeg and ffprobe: FFMPEG_PATH + FFPROBE_PATH when set, else both on PATH, else the
 * binaries shipped by the @ffmpeg-installer/@ffprobe-installer npm packages. The two always come
 * from the same source, so a Debian ffprobe is never paired with a bundled ffmpeg by accident.
 * Checks only that the files are executable; it does not run them.
 */
export function resolveBinaries(options: ResolveBinariesOptions = {}): FfmpegBinaries {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  for (const source of options.source ? [options.source] : ORDER) {
    const found = FINDERS[source](env, tried);
    if (found) return { ...found, source };
  }
  throw new BinariesNotFoundError(tried);
}

/** Every source that has a usable pair here, in preference order; tests loop over it. */
export function availableBinaries(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries[] {
  const found: FfmpegBinaries[] = [];
  for (const source of ORDER) {
    const pair = FINDERS[source](env, []);
    if (pair) found.push({ ...pair, source });
  }
  return found;
}

type Pair = { ffmpeg: string; ffprobe: string };
type Finder = (env: NodeJS.ProcessEnv, tried: string[]) => Pair | undefined;

const FINDERS: Record<BinarySource, Finder> = {
  env(env, tried) {
    const ffmpeg = env.FFMPEG_PATH;
    const ffprobe = env.FFPROBE_PATH;
    if (!ffmpeg && !ffprobe) {
      tried.push('env: FFMPEG_PATH and FFPROBE_PATH are not set');
      return undefined;
    }
    // Half a pair is a configuration mistake; silently filling the other half from elsewhere
    // would mix versions, so say so instead.
    if (!ffmpeg || !ffprobe) {
      tried.push('env: set both FFMPEG_PATH and FFPROBE_PATH, or neither');
      return undefined;
    }
    return checkPair('env', { ffmpeg, ffprobe }, tried);
  },
  path(env, tried) {
    const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    const ffmpeg = findOnPath('ffmpeg', dirs);
    const ffprobe = findOnPath('ffprobe', dirs);
    if (!ffmpeg || !ffprobe) {
      tried.push(`path: ${ffmpeg ? 'ffprobe' : 'ffmpeg'} not found on PATH`);
      return undefined;
    }
    return { ffmpeg, ffprobe };
  },
  bundled(_env, tried) {
    const ffmpeg = bundledPath('@ffmpeg-installer/ffmpeg', tried);
    const ffprobe = bundledPath('@ffprobe-installer/ffprobe', tried);
    if (!ffmpeg || !ffprobe) return undefined;
    return checkPair('bundled', { ffmpeg, ffprobe }, tried);
  },
};

function checkPair(source: BinarySource, pair: Pair, tried: string[]): Pair | undefined {
  for (const file of [pair.ffmpeg, pair.ffprobe]) {
    const problem = executableProblem(file, source === 'bundled');
    if (problem) {
      tried.push(`${source}: ${file} ${problem}`);
      return undefined;
    }
  }
  return pair;
}

function findOnPath(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (!executableProblem(file, false)) return file;
  }
  return undefined;
}

/** Why `file` cannot be run, or undefined when it can. */
function executableProblem(file: string, repairMode: boolean): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'is not a file';
  } catch {
    return 'does not exist';
  }
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    // @ffprobe-installer/linux-x64 ships ffprobe as mode 0644 and relies on a postinstall
    // `chmod u+x`; installs with --ignore-scripts (or npm's install-script allow-lists) skip it.
    if (!repairMode) return 'is not executable';
  }
  try {
    chmodSync(file, statSync(file).mode | 0o111);
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    return 'is not executable and could not be made executable (npm install scripts skipped?)';
  }
}

function bundledPath(pkg: string, tried: string[]): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    const mod = require(pkg) as { path?: unknown };
    if (typeof mod.path === 'string') return mod.path;
    tried.push(`bundled: ${pkg} exported no path`);
  } catch (error) {
    // These packages throw plain strings for unsupported platforms, hence String(error).
    tried.push(`bundled: ${pkg} unavailable (${error instanceof Error ? error.message : String(error)})`);
  }
  return undefined;
}
