/** Where the seek-preview thumbnails sit in the one sprite image, and how often they were taken. */
export interface StoryboardPlan {
  intervalSeconds: number;
  count: number;
  columns: number;
  rows: number;
  thumbWidth: number;
  thumbHeight: number;
}

/** Options of {@link planStoryboard}. */
export interface StoryboardOptions {
  thumbWidth?: number;
  /** At most this many thumbnails; long videos get a longer interval instead of a huge sprite. */
  maxThumbs?: number;
  /** Shortest interval between thumbnails. */
  minIntervalSeconds?: number;
  columns?: number;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/**
 * Lays out the storyboard for a video of `durationSeconds` displayed at `width`x`height`: one
 * thumbnail every `intervalSeconds` (2 s, longer for videos past 300 thumbnails), `columns` per row.
 * The sprite is one JPEG so a player fetches previews in a single request.
 */
export function planStoryboard(durationSeconds: number, width: number, height: number, options: StoryboardOptions = {}): StoryboardPlan {
  const thumbWidth = options.thumbWidth ?? 160;
  const maxThumbs = options.maxThumbs ?? 300;
  const intervalSeconds = Math.max(options.minIntervalSeconds ?? 2, Math.ceil(durationSeconds / maxThumbs));
  const count = Math.max(1, Math.ceil(durationSeconds / intervalSeconds));
  const columns = Math.min(options.columns ?? 10, count);
  return {
    intervalSeconds,
    count,
    columns,
    rows: Math.ceil(count / columns),
    thumbWidth,
    thumbHeight: even((thumbWidth * height) / width),
  };
}

/**
 * The ffmpeg filter chain that turns a video stream into the sprite: keep one frame per interval
 * (rounding down so no extra frame spills into a second sheet at the end), shrink it, tile it.
 */
export function storyboardFilter(plan: StoryboardPlan): string {
  return `fps=fps=1/${plan.intervalSeconds}:round=down,scale=${plan.thumbWidth}:${plan.thumbHeight},tile=${plan.columns}x${plan.rows}`;
}

/** WebVTT mapping each interval to its cell of `imageUrl` (`#xywh=`), as video players read it. */
export function buildStoryboardVtt(plan: StoryboardPlan, durationSeconds: number, imageUrl: string): string {
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < plan.count; i++) {
    const start = i * plan.intervalSeconds;
    const end = Math.min(durationSeconds, start + plan.intervalSeconds);
    if (end <= start) break;
    const x = (i % plan.columns) * plan.thumbWidth;
    const y = Math.floor(i / plan.columns) * plan.thumbHeight;
    lines.push(`${vttTime(start)} --> ${vttTime(end)}`, `${imageUrl}#xywh=${x},${y},${plan.thumbWidth},${plan.thumbHeight}`, '');
  }
  return lines.join('\n');
}

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}
