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
 * The ffmpeg filter chain that picks the storyboard's thumbnails from a video stream: one frame per interval
 * (rounding down so no extra frame spills past the sheet at the end), shrunk. The main pass writes them as
 * separate small images ({@link STORYBOARD_FRAMES}) and {@link storyboardTileArgs} lays them out afterwards.
 *
 * Not `tile` in the main pass: an output that gets its only frame at the very end keeps ffmpeg from writing
 * any progress report before then (ffmpeg prints its first report once every output has started), and the
 * Studio's progress bar then sat at 0 % for the whole pass.
 */
export function storyboardFilter(plan: StoryboardPlan): string {
  // eof_action=pass: the frame of the last, partial interval is kept, so the count is the plan's (ceil of
  // duration / interval) — without it a clip shorter than one interval got no frame and its transcode failed.
  return `fps=fps=1/${plan.intervalSeconds}:round=down:eof_action=pass,scale=${plan.thumbWidth}:${plan.thumbHeight}`;
}

/** Folder (relative to the transcode's working folder) and image2 pattern of the thumbnails before tiling. */
export const STORYBOARD_FRAMES = { folder: 'storyboard-frames', pattern: 'storyboard-frames/%05d.png' } as const;

/** ffmpeg arguments that lay the thumbnails of {@link STORYBOARD_FRAMES} out as the one sprite `file`, row by row. */
export function storyboardTileArgs(plan: StoryboardPlan, file: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-y', '-v', 'error', '-framerate', '1', '-i', STORYBOARD_FRAMES.pattern],
    ...['-vf', `tile=${plan.columns}x${plan.rows}`, '-frames:v', '1', '-update', '1', '-q:v', '5', file],
  ];
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
