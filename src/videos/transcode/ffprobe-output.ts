import { z } from 'zod';

// ffprobe prints numbers as JSON strings in some fields ("duration": "3.000000") and omits fields it
// does not know; the schema accepts both spellings and keeps every field optional but the ones we
// branch on. Unknown fields pass through untouched (zod strips them), so newer ffprobes still parse.
const numeric = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${String(value)}` });
    return z.NEVER;
  }
  return n;
});

const sideData = z.object({ side_data_type: z.string().optional(), rotation: numeric.optional() });

const stream = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  level: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  duration: numeric.optional().catch(undefined),
  channels: z.number().optional(),
  disposition: z.record(z.string(), z.number()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(sideData).optional(),
});

/** The parts of `ffprobe -print_format json -show_format -show_streams` this module reads. */
export const ffprobeOutputSchema = z.object({
  streams: z.array(stream).default([]),
  format: z.object({
    format_name: z.string(),
    // "N/A" durations (raw streams, broken files) become undefined rather than failing the parse.
    duration: numeric.optional().catch(undefined),
    size: numeric.optional().catch(undefined),
  }),
});

/** ffprobe's JSON after validation. */
export type FfprobeOutput = z.infer<typeof ffprobeOutputSchema>;
/** One stream of {@link FfprobeOutput}. */
export type FfprobeStream = FfprobeOutput['streams'][number];
