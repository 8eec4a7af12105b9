import { z } from 'zod';
import { defineConfig } from '../core/config.js';
import type { BinaryLocations } from './transcode/binaries.js';

/** The videos capability's settings: where ffmpeg and ffprobe are found (see resolveBinaries). */
export interface VideosSettings extends BinaryLocations {
  /** PATH, searched when FFMPEG_PATH/FFPROBE_PATH are unset ('' when PATH is unset). */
  searchPath: string;
}

/** FFMPEG_PATH, FFPROBE_PATH (both or neither) and PATH; read through `configSection(deps.config, videosConfig)`. */
export const videosConfig = defineConfig<VideosSettings>(
  'videos',
  z
    .object({
      FFMPEG_PATH: z.string().optional(),
      FFPROBE_PATH: z.string().optional(),
      PATH: z.string().default(''),
    })
    .superRefine((e, ctx) => {
      // Half a pair would mix an ffmpeg from one build with an ffprobe from another.
      if (e.FFMPEG_PATH && !e.FFPROBE_PATH) ctx.addIssue({ code: 'custom', path: ['FFPROBE_PATH'], message: 'missing (set both FFMPEG_PATH and FFPROBE_PATH, or neither)' });
      if (e.FFPROBE_PATH && !e.FFMPEG_PATH) ctx.addIssue({ code: 'custom', path: ['FFMPEG_PATH'], message: 'missing (set both FFMPEG_PATH and FFPROBE_PATH, or neither)' });
    })
    .transform((e) => ({ ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH, searchPath: e.PATH })),
);
