import { z } from 'zod';
import type { Chapter } from './queries.js';
import { oneLineText, multiLineText } from '../core/http/text.js';

export const LICENCES = ['all_rights_reserved', 'cc_by', 'cc_by_sa', 'cc_by_nd', 'cc_by_nc', 'cc_by_nc_sa', 'cc_by_nc_nd', 'cc0'] as const;
export const VISIBILITIES = ['draft', 'public', 'unlisted', 'members'] as const;

/** "1:02:03" or "02:03" → seconds; undefined when malformed. */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (min >= 60 && m[1] !== undefined) return undefined;
  if (s >= 60) return undefined;
  return h * 3600 + min * 60 + s;
}

export function formatTimestamp(seconds: number): string {
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Chapters written one per line as "mm:ss Title" (the convention creators know from other sites). */
export function parseChapters(text: string): Chapter[] | undefined {
  const chapters: Chapter[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(.{1,100})$/.exec(line);
    const start = m ? parseTimestamp(m[1]!) : undefined;
    if (!m || start === undefined) return undefined;
    if (chapters.length && start <= chapters.at(-1)!.start) return undefined;
    chapters.push({ start, title: m[2]!.trim() });
  }
  return chapters.length > 100 ? undefined : chapters;
}

export function chaptersToText(chapters: Chapter[]): string {
  return chapters.map((c) => `${formatTimestamp(c.start)} ${c.title}`).join('\n');
}

/**
 * The wall-clock time `local` ("2026-12-01T18:30") in `timeZone`, as an instant. Browsers send
 * datetime-local values without a zone; the site's zone gives them meaning.
 */
export function zonedTimeToUtc(local: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return undefined;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(asUtc)) return undefined;
  // Offset of the zone at that instant, found by formatting; twice to settle around DST changes.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) guess = asUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The inverse, for showing a stored instant back in the form. */
export function utcToZonedInput(at: Date, timeZone: string): string {
  const local = new Date(at.getTime() + zoneOffsetMs(at, timeZone));
  return local.toISOString().slice(0, 16);
}

export const metadataSchema = z.object({
  title: oneLineText().trim().min(1, 'error.required').max(200, 'video.title_too_long'),
  description: multiLineText().trim().max(10000, 'video.description_too_long').default(''),
  tags: z
    .string()
    .default('')
    .transform((s) => [...new Set(s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string().max(30, 'video.tags_invalid')).max(10, 'video.tags_invalid')),
  language: z.enum(['', 'en', 'fr'], 'error.language_invalid').default(''),
  licence: z.enum(LICENCES, 'video.licence_invalid'),
  visibility: z.enum(VISIBILITIES, 'video.visibility_invalid'),
  publish_at: z.string().trim().default(''),
  chapters: multiLineText().max(10000, 'video.chapters_invalid').default(''),
  // A checkbox: present when ticked.
  downloads: z.literal('on', 'video.downloads_invalid').optional(),
  download_height: z.enum(['720', '1080'], 'video.download_height_invalid').default('720'),
  // What a non-member sees behind the paywall: the real poster, or a blurred placeholder (kept when absent).
  paywall_poster: z.enum(['blurred', 'shown'], 'video.paywall_poster_invalid').optional(),
});

export const captionSchema = z.object({
  caption_language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'video.caption_language_invalid'),
  caption_label: oneLineText().trim().min(1, 'error.required').max(60, 'video.caption_label_invalid'),
});
