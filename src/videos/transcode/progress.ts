/** Options of {@link createProgressParser}. */
export interface ProgressParserOptions {
  /** Length of the source; percent is output time over this. */
  durationSeconds: number;
  /** Receives percent in 0..100, never decreasing; 100 only once ffmpeg says `progress=end`. */
  onPercent: (percent: number) => void;
  /** At most one report per this many ms (the first and the final 100 always go out). Default 1000. */
  throttleMs?: number;
  /** Clock for the throttle; tests pass a fake one. */
  now?: () => number;
}

/**
 * Feeds on ffmpeg's `-progress` output (blocks of key=value lines, each ending with
 * `progress=continue` or `progress=end`) in arbitrary chunks, and reports percent done.
 *
 * Reads `out_time_us`, else `out_time_ms` (which despite its name is also microseconds in every
 * ffmpeg release), else `out_time` (HH:MM:SS.micro). Values past the duration are held at 99: a
 * second output such as the storyboard sprite can carry a later timestamp than the source has,
 * and 100 should mean finished.
 */
export function createProgressParser(options: ProgressParserOptions): (chunk: string) => void {
  const throttleMs = options.throttleMs ?? 1000;
  const now = options.now ?? Date.now;
  let buffer = '';
  let block: Record<string, string> = {};
  let reported = -1;
  let lastReportAt = -Infinity;

  const report = (percent: number, force: boolean) => {
    if (percent <= reported) return;
    if (!force && now() - lastReportAt < throttleMs) return;
    reported = percent;
    lastReportAt = now();
    options.onPercent(percent);
  };

  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key !== 'progress') {
        block[key] = value;
        continue;
      }
      if (value === 'end') {
        report(100, true);
      } else {
        const seconds = outTimeSeconds(block);
        if (seconds !== undefined && options.durationSeconds > 0) {
          const percent = Math.min(99, Math.max(0, Math.floor((seconds / options.durationSeconds) * 1000) / 10));
          report(percent, reported < 0);
        }
      }
      block = {};
    }
  };
}

function outTimeSeconds(block: Record<string, string>): number | undefined {
  for (const key of ['out_time_us', 'out_time_ms']) {
    const micros = Number(block[key]);
    if (block[key] !== undefined && block[key] !== 'N/A' && Number.isFinite(micros)) return micros / 1e6;
  }
  const match = /^(-)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(block.out_time ?? '');
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] ? -seconds : seconds;
}
