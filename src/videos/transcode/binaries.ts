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

/** Where to look for the executables: the values of FFMPEG_PATH, FFPROBE_PATH and PATH (see videosConfig). */
export interface BinaryLocations {
  /** FFMPEG_PATH and FFPROBE_PATH: an explicit pair, used first (both or neither). */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** PATH: the directories searched next; unset searches none. */
  searchPath?: string;
}

/** Options of {@link resolveBinaries}. */
export interface ResolveBinariesOptions extends BinaryLocations {
  /** Take only this source (tests run once per source); throws when it has no usable pair. */
  source?: BinarySource;
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
 * Finds ffmpeg and ffprobe: the explicit pair (FFMPEG_PATH + FFPROBE_PATH) when given, else both in
 * `searchPath` (PATH), else the binaries shipped by the @ffmpeg-installer/@ffprobe-installer npm
 * packages. The locations are values (from videosConfig), never read from process.env here. The two
 * always come from the same source, so a Debian ffprobe is never paired with a bundled ffmpeg by accident.
 * Checks only that the files are executable; it does not run them.
 */
export function resolveBinaries(options: ResolveBinariesOptions = {}): FfmpegBinaries {
  const tried: string[] = [];
  for (const source of options.source ? [options.source] : ORDER) {
    const found = FINDERS[source](options, tried);
    if (found) return { ...found, source };
  }
  throw new BinariesNotFoundError(tried);
}

/** Every source that has a usable pair here, in preference order; tests loop over it. */
export function availableBinaries(locations: BinaryLocations = {}): FfmpegBinaries[] {
  const found: FfmpegBinaries[] = [];
  for (const source of ORDER) {
    const pair = FINDERS[source](locations, []);
    if (pair) found.push({ ...pair, source });
  }
  return found;
}

type Pair = { ffmpeg: string; ffprobe: string };
type Finder = (locations: BinaryLocations, tried: string[]) => Pair | undefined;

const FINDERS: Record<BinarySource, Finder> = {
  env(locations, tried) {
    const ffmpeg = locations.ffmpegPath;
    const ffprobe = locations.ffprobePath;
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
  path(locations, tried) {
    const dirs = (locations.searchPath ?? '').split(path.delimiter).filter(Boolean);
    const ffmpeg = findOnPath('ffmpeg', dirs);
    const ffprobe = findOnPath('ffprobe', dirs);
    if (!ffmpeg || !ffprobe) {
      tried.push(`path: ${ffmpeg ? 'ffprobe' : 'ffmpeg'} not found on PATH`);
      return undefined;
    }
    return { ffmpeg, ffprobe };
  },
  bundled(_locations, tried) {
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
