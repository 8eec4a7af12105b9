/**
 * YouTube Takeout import: a creator arrives with their back catalogue. Reads the layout Google documents
 * for "YouTube and YouTube Music" (Data Portability schema reference, object "videos", a CSV): the file
 * `…/video metadata/videos.csv` (folder names are localized, so any `videos.csv` / `vidéos.csv` found
 * under a folder whose name says metadata is taken) with the columns
 *   Video ID, Video Title (Original), Video Description (Original), Privacy, Video Create Timestamp,
 *   Video Publish Timestamp, and optionally Tags / Video Tags / Tag (comma-separated),
 * and the uploaded files under `…/videos/` (named after the title, or containing the video id). Caption
 * tracks (`.vtt`, or `.srt` converted to WebVTT) and a thumbnail (`.jpg`, `.png`, `.webp`) are taken
 * when a file is named after the video's file or contains its id, the captions' language read from the
 * name (`Title.fr.vtt`, `aBcDeFgHiJk.en-GB.srt`; `und` when none); Google's documentation does not say
 * where Takeout puts them, so this also reads archives laid out by other tools. A caption or image that
 * does not pass the Studio's checks is left out and reported (`ignored`), never failing the import. Each
 * video goes through the videos capability's normal path (probe, storage, transcoding job), all of them
 * in one transaction: a bad archive imports nothing. Videos already imported into the channel (by their
 * YouTube id, `youtube_imports`) are skipped, so importing the same archive twice changes nothing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { startMailing } from '../../community/index.js';
import { checkThumbnail, checkWebVtt, importVideos, type ImportedVideo } from '../../videos/index.js';
import { csvRecords, CsvError } from './csv.js';
import { openTakeout, TakeoutError, type ArchiveEntry } from './archive.js';

const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|webm|mkv|avi|flv|3gp|mpe?g|wmv)$/i;
const METADATA_FILE = /(^|\/)[^/]*(metadata|métadonnées|metadaten|metadatos)[^/]*\/vid[eé]os\.csv$/i;
/** Largest metadata CSV read (a channel with 10,000 videos and long descriptions fits easily). */
const MAX_CSV_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ARCHIVE_BYTES = 200 * 1024 ** 3;

/** One video as Takeout describes it, already mapped to Fanfare's fields, and its file in the archive. */
export type TakeoutVideo = Omit<ImportedVideo, 'localPath' | 'bytes' | 'filename' | 'captions' | 'thumbnail'> & {
  youtubeId: string;
  file: ArchiveEntry;
  /** Caption files found for it, with the language their name gives. */
  captions: { language: string; entry: ArchiveEntry }[];
  thumbnail?: ArchiveEntry;
};

export interface TakeoutReport {
  imported: { youtubeId: string; videoId: string; shortId: string; title: string }[];
  skipped: string[];
  /** Caption and image files left out, with why (not WebVTT/SRT, no cues, not an image, too large). */
  ignored: { path: string; reason: string }[];
}

const CAPTION_EXTENSIONS = /\.(vtt|srt)$/i;
const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp)$/i;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** The language a caption file's name ends with (`….fr.vtt`, `… (en-GB).srt`, `…_de.vtt`), else `und`. */
function captionLanguage(name: string): string {
  const stem = name.replace(CAPTION_EXTENSIONS, '');
  const found = /[._ ]\(?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\)?$/.exec(stem)?.[1];
  if (!found) return 'und';
  const [primary, ...rest] = found.split('-');
  const language = [primary!.toLowerCase(), ...rest].join('-');
  return LANGUAGE.test(language) ? language : 'und';
}

/** SRT as WebVTT: the header, and a full stop before the milliseconds. */
function srtToVtt(text: string): string {
  return `WEBVTT\n\n${text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')}`;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function column(row: Record<string, string>, ...names: string[]): string {
  for (const name of names) if (row[name] !== undefined) return row[name]!;
  return '';
}

function dateOf(text: string, what: string): Date | null {
  if (!text.trim()) return null;
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) throw new TakeoutError('bad_metadata', `${what}: not a date: ${text.slice(0, 40)}`);
  return date;
}

/** Public → public, Unlisted → unlisted, Private (or anything else) → draft: nothing becomes more visible. */
function visibilityOf(privacy: string): TakeoutVideo['visibility'] {
  const p = privacy.trim().toLowerCase();
  if (p === 'public' || p === 'publique' || p === 'public video') return 'public';
  if (p === 'unlisted' || p === 'non répertoriée' || p === 'non repertoriee') return 'unlisted';
  return 'draft';
}

/** Fanfare's tags: lower-case, at most 30 characters each (longer ones dropped), at most 10. */
function tagsOf(text: string): string[] {
  const tags = text.split(/[,;|]/).map((t) => t.replace(CONTROL, '').trim().toLowerCase()).filter((t) => t && t.length <= 30);
  return [...new Set(tags)].slice(0, 10);
}

const normalize = (name: string) => name.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Reads the archive's metadata and pairs each row with its file (see the file comment). */
export async function readTakeoutLayout(archive: { entries: ArchiveEntry[]; readText(entry: ArchiveEntry, max: number): Promise<string> }): Promise<TakeoutVideo[]> {
  const metadata = archive.entries.filter((e) => METADATA_FILE.test(e.path));
  if (metadata.length === 0) throw new TakeoutError('no_metadata', 'no "video metadata/videos.csv" in the archive');
  const files = archive.entries.filter((e) => VIDEO_EXTENSIONS.test(e.path));
  const captionFiles = archive.entries.filter((e) => CAPTION_EXTENSIONS.test(e.path));
  const images = archive.entries.filter((e) => IMAGE_EXTENSIONS.test(e.path));
  const out: TakeoutVideo[] = [];
  const used = new Set<string>();
  for (const entry of metadata) {
    let rows: Record<string, string>[];
    try {
      rows = csvRecords(await archive.readText(entry, MAX_CSV_BYTES));
    } catch (error) {
      if (error instanceof CsvError) throw new TakeoutError('bad_metadata', `${entry.path}: ${error.message}`, { cause: error });
      throw error;
    }
    for (const [n, row] of rows.entries()) {
      const where = `${entry.path}, row ${n + 2}`;
      const youtubeId = column(row, 'Video ID', 'ID vidéo', 'Video Id').trim();
      if (!/^[A-Za-z0-9_-]{6,20}$/.test(youtubeId)) throw new TakeoutError('bad_metadata', `${where}: no valid "Video ID"`);
      const title = column(row, 'Video Title (Original)', 'Video Title', 'Title').replace(CONTROL, '').replace(/[\r\n]+/g, ' ').trim().slice(0, 200);
      if (!title) throw new TakeoutError('bad_metadata', `${where}: no "Video Title (Original)"`);
      const byId = files.find((f) => !used.has(f.path) && path.posix.basename(f.path).includes(youtubeId));
      const byTitle = files.find((f) => !used.has(f.path) && normalize(path.posix.basename(f.path).replace(VIDEO_EXTENSIONS, '')) === normalize(title));
      const file = byId ?? byTitle;
      if (!file) throw new TakeoutError('missing_file', `${where}: no video file for "${title}" (${youtubeId})`);
      used.add(file.path);
      // Captions and thumbnail: named after the video's file (plus a language) or containing its id.
      const stem = normalize(path.posix.basename(file.path).replace(VIDEO_EXTENSIONS, ''));
      const belongs = (entry: ArchiveEntry, bare: string) => path.posix.basename(entry.path).includes(youtubeId) || normalize(bare) === stem;
      const captions = new Map<string, ArchiveEntry>();
      for (const entry of captionFiles) {
        const name = path.posix.basename(entry.path);
        const language = captionLanguage(name);
        const bare = name.replace(CAPTION_EXTENSIONS, '').replace(/[._ ]\(?[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?\)?$/, '');
        if ((belongs(entry, bare) || belongs(entry, name.replace(CAPTION_EXTENSIONS, ''))) && !captions.has(language)) captions.set(language, entry);
      }
      const thumbnail = images.find((entry) => belongs(entry, path.posix.basename(entry.path).replace(IMAGE_EXTENSIONS, '')));
      out.push({
        captions: [...captions].map(([language, entry]) => ({ language, entry })),
        ...(thumbnail ? { thumbnail } : {}),
        youtubeId,
        title,
        description: column(row, 'Video Description (Original)', 'Video Description', 'Description').replace(/\r\n?/g, '\n').replace(CONTROL, '').trim().slice(0, 10_000),
        tags: tagsOf(column(row, 'Tags', 'Video Tags', 'Tag')),
        visibility: visibilityOf(column(row, 'Privacy', 'Confidentialité')),
        publishedAt: dateOf(column(row, 'Video Publish Timestamp', 'Published'), where),
        createdAt: dateOf(column(row, 'Video Create Timestamp', 'Created'), where),
        file,
      });
    }
  }
  if (out.length === 0) throw new TakeoutError('no_videos', 'the metadata lists no videos');
  return out;
}

/** A caption track's label: the language's own name ("français", "English"), at most 60 characters. */
function languageLabel(language: string): string {
  if (language === 'und') return 'Captions';
  try {
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
    return (name.charAt(0).toLocaleUpperCase(language) + name.slice(1)).slice(0, 60);
  } catch {
    return language;
  }
}

async function importedIds(db: Queryable, channelId: string): Promise<Set<string>> {
  const rows = await db.query<{ youtube_id: string }>('SELECT youtube_id FROM youtube_imports WHERE channel_id = $1', [channelId]);
  return new Set(rows.map((r) => r.youtube_id));
}

/**
 * Imports a Takeout archive (ZIP or unpacked folder) into a channel, as `userId`: all videos not yet
 * imported, in one go, or nothing (a TakeoutError says why). Videos are extracted to a temporary folder
 * first and moved into storage by the videos capability.
 */
export async function importYouTubeTakeout(
  deps: AppDeps,
  input: { file: string; channelId: string; userId: string; maxBytes?: number; progress?: (done: number, total: number) => void },
): Promise<TakeoutReport> {
  const archive = await openTakeout(input.file, input.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES);
  const work = await mkdtemp(path.join(tmpdir(), 'fanfare-takeout-'));
  try {
    const videos = await readTakeoutLayout(archive);
    const done = await importedIds(deps.db, input.channelId);
    const todo = videos.filter((v) => !done.has(v.youtubeId));
    const skipped = videos.filter((v) => done.has(v.youtubeId)).map((v) => v.youtubeId);
    const items: ImportedVideo[] = [];
    const ignored: TakeoutReport['ignored'] = [];
    const read = async (entry: ArchiveEntry, name: string) => {
      const local = path.join(work, name);
      await archive.extract(entry, local);
      return new File([await readFile(local)], path.posix.basename(entry.path));
    };
    for (const [i, v] of todo.entries()) {
      input.progress?.(i, todo.length);
      const localPath = path.join(work, `${i}${path.posix.extname(v.file.path).toLowerCase()}`);
      await archive.extract(v.file, localPath);
      const { youtubeId: _id, file, captions: captionEntries, thumbnail: thumbnailEntry, ...metadata } = v;
      const captions: NonNullable<ImportedVideo['captions']> = [];
      for (const [n, { language, entry }] of captionEntries.entries()) {
        let track = await read(entry, `${i}-caption-${n}`);
        if (/\.srt$/i.test(entry.path)) track = new File([srtToVtt(new TextDecoder().decode(await track.arrayBuffer()))], track.name);
        const checked = await checkWebVtt(track);
        if (checked.ok) captions.push({ language, label: languageLabel(language), bytes: checked.bytes });
        else ignored.push({ path: entry.path, reason: checked.error });
      }
      let thumbnail: ImportedVideo['thumbnail'];
      if (thumbnailEntry) {
        const checked = await checkThumbnail(await read(thumbnailEntry, `${i}-thumbnail`));
        if (checked.ok) thumbnail = { bytes: checked.bytes, ext: checked.ext };
        else ignored.push({ path: thumbnailEntry.path, reason: checked.error });
      }
      items.push({ ...metadata, localPath, bytes: file.size, filename: path.posix.basename(file.path), captions, ...(thumbnail ? { thumbnail } : {}) });
    }
    const ids = items.length === 0 ? [] : await importVideos(deps, input.channelId, input.userId, items, async (tx, created) => {
      for (const [i, v] of todo.entries()) {
        await tx.query('INSERT INTO youtube_imports (channel_id, youtube_id, video_id, imported_at) VALUES ($1, $2, $3, $4)', [input.channelId, v.youtubeId, created[i]!.id, deps.clock.now()]);
        // The back catalogue is not news: recorded as mailed to nobody, so followers get no "new video" e-mail for each.
        await startMailing(deps, tx, { channelId: input.channelId, kind: 'video', subjectId: created[i]!.id, recipients: [] });
      }
    }).catch((error: unknown) => {
      if (error instanceof Error && error.name === 'ProbeError') throw new TakeoutError('not_media', error.message, { cause: error });
      throw error;
    });
    return { imported: todo.map((v, i) => ({ youtubeId: v.youtubeId, videoId: ids[i]!.id, shortId: ids[i]!.shortId, title: v.title })), skipped, ignored };
  } finally {
    archive.close();
    await rm(work, { recursive: true, force: true });
  }
}
