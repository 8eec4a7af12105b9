/**
 * Import of a PeerTube user export archive (PeerTube 6.1 and later). The layout was read from PeerTube's
 * own source, not copied: server/core/lib/user-import-export/user-exporter.ts (the archive: `peertube/
 * <name>.json`, `activity-pub/…`, static files under `files/<json name>/…`, named in the JSON by paths
 * relative to the JSON file), exporters/videos-exporter.ts and packages/models …/videos-export.model.ts
 * (`{videos: [{uuid, name, description, tags, language, licence, privacy, publishedAt,
 * originallyPublishedAt, url, channel: {name}, captions: [{language}], chapters: [{timecode, title}],
 * archiveFiles: {videoFile, thumbnail, captions: {<language>: path}}}]}`), exporters/channels-exporter.ts
 * and actor-exporter.ts (`{channels: [{url, name, displayName, description, archiveFiles: {avatar,
 * banner}}]}`), exporters/followers-exporter.ts (`follower.json`: `{followers: [{handle, targetHandle,
 * createdAt}]}`), exporters/comments-exporter.ts (`{comments: [{url, text, createdAt, videoUrl,
 * inReplyToCommentUrl}]}`, the account's OWN comments) and importers/videos-importer.ts,
 * abstract-user-importer.ts (what PeerTube itself accepts: a video needs its file; paths must stay
 * inside the archive).
 *
 * What becomes what (CONTEXT.md and the README say the same to creators):
 * - each channel → a Fanfare channel owned (admin) by the importing account, with its avatar; its
 *   PeerTube actor URL becomes the new channel's `alsoKnownAs`. Banners: Fanfare has none, not imported.
 * - each video with its file → a video through the videos capability's import (probe, storage,
 *   the normal transcoding job), with title, description, tags, language (en/fr), licence, privacy
 *   (public → public, unlisted → unlisted, anything else → draft: nothing becomes more visible),
 *   publication date (the original one when PeerTube has it), chapters, WebVTT captions and the thumbnail.
 *   No "new video" e-mail goes out for the back catalogue. Videos exported without their file are listed,
 *   not imported (export again with the video files).
 * - the creator's own comments under those videos → comments by the importing account, as the team's;
 *   comments elsewhere, and replies to other people's comments (which PeerTube does not export), are
 *   counted as skipped.
 * - followers → kept as a list (handle and date) with the channel; never turned into subscriptions:
 *   they followed the PeerTube channel, and PeerTube sends no `Move` for it, so each has to follow the
 *   new one (the creator tells them on the old channel).
 *
 * Stages, each committing whole and recorded per item in `portability_peertube_items`: check (everything
 * read and validated, nothing written; the dry run stops here), channels (one transaction), each video
 * (one transaction per video, so a stopped import keeps what it finished), comments and followers (one
 * transaction). Running it again skips what is already here: importing twice changes nothing.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { findUserByEmail } from '../accounts/index.js';
import { checkAvatar, insertChannelWithAdmin } from '../channels/index.js';
import { insertComment, renderCommentMarkdown, startMailing } from '../community/index.js';
import { insertAlias } from '../federation/index.js';
import { checkThumbnail, checkWebVtt, importVideos, type ImportedVideo } from '../videos/index.js';
import { ArchiveError } from './errors.js';
import type { ArchiveReader } from './zip-read.js';

export interface PeerTubeImportOptions {
  readonly dryRun?: boolean;
  /** The account that owns the imported channels (the Studio's uploader), or its e-mail (`--owner`). */
  readonly ownerId?: string;
  readonly ownerEmail?: string;
  /** The handle of the channel here, when the archive has exactly one channel. */
  readonly handle?: string;
  readonly progress?: (done: number, total: number) => void;
}

export interface PeerTubeImportReport {
  readonly channels: { readonly name: string; readonly handle: string; readonly url: string; readonly channelId?: string; readonly alreadyHere: boolean }[];
  readonly videos: { readonly imported: number; readonly alreadyHere: number; readonly withoutFile: string[]; readonly otherChannel: string[] };
  readonly captions: { readonly imported: number; readonly skipped: number };
  readonly thumbnails: number;
  readonly comments: { readonly imported: number; readonly alreadyHere: number; readonly skipped: number };
  readonly followers: { readonly kept: number; readonly alreadyHere: number };
  /** Media files the import reads (videos, thumbnails, captions, avatars) and their bytes. */
  readonly files: number;
  readonly bytes: number;
}

/** A PeerTube archive has `peertube/*.json` and no Fanfare `manifest.json`. */
export function isPeerTubeArchive(reader: ArchiveReader): boolean {
  return !reader.entries.has('manifest.json') && [...reader.entries.keys()].some((p) => p.startsWith('peertube/'));
}

type Json = Record<string, unknown>;

interface PlannedVideo {
  uuid: string;
  url: string | null;
  channel: string;
  metadata: Omit<ImportedVideo, 'localPath' | 'bytes' | 'filename' | 'thumbnail' | 'captions'>;
  file: string;
  filename: string;
  /** Checked now, read again when imported (only their archive paths are held: a channel may have thousands). */
  thumbnail?: { entry: string; ext: string };
  captions: { language: string; entry: string }[];
}

interface PlannedChannel {
  name: string;
  url: string;
  handle: string;
  displayName: string;
  description: string;
  language: 'en' | 'fr';
  avatar?: { bytes: Uint8Array; key: string };
  /** The channel here, when an earlier import of it already created it. */
  existing?: string;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LICENCES = { 1: 'cc_by', 2: 'cc_by_sa', 3: 'cc_by_nd', 4: 'cc_by_nc', 5: 'cc_by_nc_sa', 6: 'cc_by_nc_nd', 7: 'cc0' } as const;
const MAX_JSON = 128 * 1024 ** 2;

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim().slice(0, max) : '');
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A caption's label as a viewer reads it: the language's own name ("Français", "English"); PeerTube keeps only the code. */
function languageLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    return (name.charAt(0).toLocaleUpperCase(code) + name.slice(1)).slice(0, 60);
  } catch {
    return code;
  }
}

/** PeerTube's channel name (letters, digits, `-_.:`, up to 50) as a Fanfare handle (`[a-z0-9_]{2,30}`). */
export function handleFor(name: string): string {
  const handle = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
  return handle.length >= 2 ? handle : `${handle}__`.slice(0, 2);
}

/** One of PeerTube's JSON files, which must have the documented shape `{<key>: [...]}`. */
async function readList(reader: ArchiveReader, name: string, key: string, required: boolean): Promise<Json[]> {
  const file = `peertube/${name}`;
  if (!reader.entries.has(file)) {
    if (required) throw new ArchiveError('peertube_version', { detail: `${file} is missing` });
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await reader.readText(file, MAX_JSON));
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError('corrupt', { detail: `${file} is not JSON` }, { cause: error });
  }
  const list = isObject(parsed) ? parsed[key] : undefined;
  if (!Array.isArray(list) || !list.every(isObject)) throw new ArchiveError('peertube_version', { detail: `${file} has no "${key}" list` });
  return list;
}

/** An archive path named in a JSON file (relative to `peertube/`), checked to be inside the archive and present. */
function archivePath(reader: ArchiveReader, relative: unknown): string | undefined {
  if (relative === null || relative === undefined || relative === '') return undefined;
  if (typeof relative !== 'string') throw new ArchiveError('peertube_version', { detail: 'a file path is not a string' });
  const resolved = path.posix.normalize(path.posix.join('peertube', relative));
  if (relative.includes('\0') || relative.includes('\\') || path.posix.isAbsolute(relative) || resolved === '..' || resolved.startsWith('../')) {
    throw new ArchiveError('unsafe_path', { path: relative.slice(0, 200) });
  }
  if (!reader.entries.has(resolved)) throw new ArchiveError('missing_file', { path: resolved.slice(0, 200) });
  return resolved;
}

async function bytesOf(reader: ArchiveReader, entry: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await reader.open(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes of a small file (thumbnail, caption, avatar) as a `File`, for the capabilities' own checks; undefined above `max`. */
async function smallFile(reader: ArchiveReader, entry: string, max: number): Promise<File | undefined> {
  if (reader.entries.get(entry)!.size > max) return undefined;
  return new File([new Uint8Array(await bytesOf(reader, entry))], path.posix.basename(entry));
}

async function itemsHere(db: Queryable, kind: string, sources: string[]): Promise<Map<string, { channel_id: string; target_id: string | null }>> {
  if (sources.length === 0) return new Map();
  const rows = await db.query<{ channel_id: string; source: string; target_id: string | null }>(
    'SELECT channel_id, source, target_id FROM portability_peertube_items WHERE kind = $1 AND source = ANY($2::text[])',
    [kind, sources],
  );
  return new Map(rows.map((r) => [r.source, r]));
}

async function recordItem(db: Queryable, item: { channelId: string; kind: string; source: string; targetId?: string | null; sourceAt?: Date | null; now: Date }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO portability_peertube_items (channel_id, kind, source, target_id, source_at, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING source`,
    [item.channelId, item.kind, item.source, item.targetId ?? null, item.sourceAt ?? null, item.now],
  );
  return rows.length > 0;
}

/**
 * Imports a PeerTube archive already opened (and checked for unsafe paths, bombs and size) by
 * `openArchive`. See the file comment for what becomes what.
 */
export async function importPeerTubeArchive(deps: AppDeps, reader: ArchiveReader, options: PeerTubeImportOptions): Promise<PeerTubeImportReport> {
  // Stage 0: read and check everything; nothing is written.
  const channelsJson = await readList(reader, 'channels.json', 'channels', true);
  const videosJson = await readList(reader, 'videos.json', 'videos', true);
  // PeerTube names it follower.json; Fanfare's own export wrote followers.json.
  const followersJson = reader.entries.has('peertube/follower.json') ? await readList(reader, 'follower.json', 'followers', false) : await readList(reader, 'followers.json', 'followers', false);
  const commentsJson = await readList(reader, 'comments.json', 'comments', false);
  if (channelsJson.length === 0) throw new ArchiveError('peertube_version', { detail: 'peertube/channels.json lists no channel' });

  let files = 0;
  let bytes = 0;
  const count = (entry: string) => ((files += 1), (bytes += reader.entries.get(entry)!.size));

  const channels: PlannedChannel[] = [];
  for (const c of channelsJson) {
    if (typeof c.name !== 'string' || !/^[A-Za-z0-9\-_.:]{1,50}$/.test(c.name)) throw new ArchiveError('peertube_version', { detail: 'a channel has no valid "name"' });
    const url = typeof c.url === 'string' && /^https?:\/\//.test(c.url) ? c.url.slice(0, 2000) : `peertube-channel:${c.name}`;
    let handle = handleFor(options.handle && channelsJson.length === 1 ? options.handle : c.name);
    // Two PeerTube names can make one handle (`my.films`, `my_films`): the later one gets a number.
    for (let n = 2; channels.some((other) => other.handle === handle); n++) handle = `${handleFor(c.name).slice(0, 27)}_${n}`;
    const archiveFiles = isObject(c.archiveFiles) ? c.archiveFiles : {};
    const avatarPath = archivePath(reader, archiveFiles.avatar);
    archivePath(reader, archiveFiles.banner); // checked like the others; Fanfare channels have no banner
    const avatarFile = avatarPath ? await smallFile(reader, avatarPath, 2 * 1024 ** 2) : undefined;
    const avatar = avatarFile ? await checkAvatar(avatarFile) : undefined;
    if (avatarPath && avatar?.ok) count(avatarPath);
    channels.push({
      name: c.name,
      url,
      handle,
      displayName: text(c.displayName, 80) || c.name.slice(0, 80),
      description: text(c.description, 5000),
      language: 'en',
      avatar: avatar?.ok ? { bytes: avatar.bytes, key: avatar.key } : undefined,
    });
  }

  const byName = new Map(channels.map((c) => [c.name, c]));
  const videos: PlannedVideo[] = [];
  const withoutFile: string[] = [];
  const otherChannel: string[] = [];
  let captionsSkipped = 0;
  for (const v of videosJson) {
    const channelName = isObject(v.channel) ? v.channel.name : undefined;
    if (typeof v.uuid !== 'string' || !/^[0-9a-f-]{36}$/i.test(v.uuid) || typeof v.name !== 'string' || typeof channelName !== 'string' || ![1, 2, 3, 4, 5].includes(v.privacy as number)) {
      throw new ArchiveError('peertube_version', { detail: 'a video lacks uuid, name, channel or privacy' });
    }
    const title = text(v.name, 200);
    const archiveFiles = isObject(v.archiveFiles) ? v.archiveFiles : {};
    const file = archivePath(reader, archiveFiles.videoFile);
    const thumbnailPath = archivePath(reader, archiveFiles.thumbnail);
    const captionPaths = isObject(archiveFiles.captions) ? archiveFiles.captions : {};
    const captionFiles = Object.entries(captionPaths).map(([language, p]) => [language, archivePath(reader, p)] as const);
    if (!byName.has(channelName)) {
      otherChannel.push(title);
      continue;
    }
    if (!file || v.isLive === true) {
      withoutFile.push(title);
      continue;
    }
    count(file);
    const thumbnailFile = thumbnailPath ? await smallFile(reader, thumbnailPath, 5 * 1024 ** 2) : undefined;
    const thumbnail = thumbnailFile ? await checkThumbnail(thumbnailFile) : undefined;
    if (thumbnailPath && thumbnail?.ok) count(thumbnailPath);
    const captions: PlannedVideo['captions'] = [];
    for (const [language, p] of captionFiles) {
      const vtt = p && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language) ? await smallFile(reader, p, 2 * 1024 ** 2) : undefined;
      const checked = vtt ? await checkWebVtt(vtt) : undefined;
      if (checked?.ok && p) {
        captions.push({ language, entry: p });
        count(p);
      } else captionsSkipped++;
    }
    const chapters = (Array.isArray(v.chapters) ? v.chapters : [])
      .filter((c): c is Json => isObject(c) && typeof c.timecode === 'number' && c.timecode >= 0 && typeof c.title === 'string' && text(c.title, 100) !== '')
      .map((c) => ({ start: Math.floor(c.timecode as number), title: text(c.title, 100) }))
      .sort((a, b) => a.start - b.start)
      .filter((c, i, all) => i === 0 || c.start > all[i - 1]!.start)
      .slice(0, 100);
    const tags = [...new Set((Array.isArray(v.tags) ? v.tags : []).map((t) => text(t, 60).toLowerCase()).filter((t) => t && t.length <= 30))].slice(0, 10);
    videos.push({
      uuid: v.uuid.toLowerCase(),
      url: typeof v.url === 'string' ? v.url : null,
      channel: channelName,
      file,
      filename: path.posix.basename(file),
      thumbnail: thumbnail?.ok && thumbnailPath ? { entry: thumbnailPath, ext: thumbnail.ext } : undefined,
      captions,
      metadata: {
        title: title || 'Untitled',
        description: text(v.description, 10_000),
        tags,
        visibility: v.privacy === 1 ? 'public' : v.privacy === 2 ? 'unlisted' : 'draft',
        publishedAt: dateOf(v.originallyPublishedAt) ?? dateOf(v.publishedAt),
        createdAt: dateOf(v.createdAt),
        language: v.language === 'en' || v.language === 'fr' ? v.language : null,
        licence: LICENCES[v.licence as keyof typeof LICENCES] ?? 'all_rights_reserved',
        chapters,
      },
    });
  }
  // A channel speaks the language most of its videos do (Fanfare channels are English or French).
  for (const channel of channels) {
    const own = videos.filter((v) => v.channel === channel.name);
    if (own.filter((v) => v.metadata.language === 'fr').length > own.filter((v) => v.metadata.language === 'en').length) channel.language = 'fr';
  }

  // What is already here (an earlier import of this archive, or of an older export of the same account).
  const channelsHere = await itemsHere(deps.db, 'channel', channels.map((c) => c.url));
  for (const channel of channels) {
    channel.existing = channelsHere.get(channel.url)?.channel_id;
    if (!channel.existing && (await deps.db.query('SELECT 1 FROM channels WHERE handle = $1', [channel.handle])).length) throw new ArchiveError('handle_taken', { handle: channel.handle });
  }
  const videosHere = await itemsHere(deps.db, 'video', videos.map((v) => v.uuid));
  // A video imported before and deleted here since is not brought back (it was the creator's choice), and gets no comments.
  const stillHere = new Set((await deps.db.query<{ id: string }>('SELECT id FROM videos WHERE id = ANY($1::uuid[])', [[...videosHere.values()].map((i) => i.target_id).filter(Boolean)])).map((r) => r.id));
  const todo = videos.filter((v) => !videosHere.has(v.uuid));

  let owner = options.ownerId;
  if (!owner && options.ownerEmail) {
    owner = (await findUserByEmail(deps.db, options.ownerEmail))?.id;
    if (!owner) throw new ArchiveError('owner_unknown', { email: options.ownerEmail.slice(0, 200) });
  }
  if (!owner && !options.dryRun) throw new ArchiveError('owner_required');

  const report = (imported: { videos: number; captions: number; thumbnails: number; comments: number; commentsHere: number; commentsSkipped: number; followers: number; followersHere: number }): PeerTubeImportReport => ({
    channels: channels.map((c) => ({ name: c.name, handle: c.handle, url: c.url, channelId: c.existing, alreadyHere: channelsHere.has(c.url) })),
    videos: { imported: imported.videos, alreadyHere: videos.length - todo.length, withoutFile, otherChannel },
    captions: { imported: imported.captions, skipped: captionsSkipped },
    thumbnails: imported.thumbnails,
    comments: { imported: imported.comments, alreadyHere: imported.commentsHere, skipped: imported.commentsSkipped },
    followers: { kept: imported.followers, alreadyHere: imported.followersHere },
    files,
    bytes,
  });
  const videoUrls = new Set(videos.map((v) => v.url).filter(Boolean));
  if (options.dryRun) {
    return report({
      videos: todo.length,
      captions: todo.reduce((n, v) => n + v.captions.length, 0),
      thumbnails: todo.filter((v) => v.thumbnail).length,
      comments: commentsJson.filter((c) => videoUrls.has(String(c.videoUrl))).length,
      commentsHere: 0,
      commentsSkipped: commentsJson.filter((c) => !videoUrls.has(String(c.videoUrl))).length,
      followers: followersJson.length,
      followersHere: 0,
    });
  }
  const ownerId = owner!;
  const steps = todo.length + 2;
  let step = 0;

  // Stage 1: the channels not yet here, in one transaction (avatars stored first, removed if it fails).
  const fresh = channels.filter((c) => !c.existing);
  options.progress?.(step++, steps);
  if (fresh.length) {
    for (const c of fresh) if (c.avatar) await deps.storage.put(c.avatar.key, c.avatar.bytes);
    try {
      await deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        for (const c of fresh) {
          const row = await insertChannelWithAdmin(tx, { handle: c.handle, name: c.displayName, description: c.description, language: c.language }, c.avatar?.key ?? null, ownerId);
          c.existing = row.id;
          if (c.url.startsWith('http')) await insertAlias(tx, row.id, c.url, now);
          await recordItem(tx, { channelId: row.id, kind: 'channel', source: c.url, now });
        }
      });
    } catch (error) {
      for (const c of fresh) {
        c.existing = undefined;
        if (c.avatar) await deps.storage.delete(c.avatar.key).catch(() => undefined);
      }
      throw error;
    }
  }
  const channelOf = (name: string) => byName.get(name)!.existing!;

  // Stage 2: each video in its own transaction (the videos capability's import), recorded with it.
  const scratch = await mkdtemp(path.join(tmpdir(), 'fanfare-peertube-'));
  const imported = { videos: 0, captions: 0, thumbnails: 0 };
  const videoIds = new Map<string, string>([...videosHere].filter(([, item]) => item.target_id && stillHere.has(item.target_id)).map(([uuid, item]) => [uuid, item.target_id!]));
  try {
    for (const v of todo) {
      options.progress?.(step++, steps);
      const extract = async (entry: string, name: string) => {
        const local = path.join(scratch, name);
        await pipeline(await reader.open(entry), createWriteStream(local));
        return local;
      };
      const localPath = await extract(v.file, `video${path.posix.extname(v.file).toLowerCase()}`);
      const thumbnail = v.thumbnail ? { localPath: await extract(v.thumbnail.entry, `thumbnail.${v.thumbnail.ext}`), ext: v.thumbnail.ext } : undefined;
      const captions = [];
      for (const c of v.captions) captions.push({ language: c.language, label: languageLabel(c.language), localPath: await extract(c.entry, `caption-${c.language}.vtt`) });
      const channelId = channelOf(v.channel);
      const [created] = await importVideos(deps, channelId, ownerId, [{ ...v.metadata, localPath, bytes: reader.entries.get(v.file)!.size, filename: v.filename, thumbnail, captions }], async (tx, ids) => {
        await recordItem(tx, { channelId, kind: 'video', source: v.uuid, targetId: ids[0]!.id, now: deps.clock.now() });
        // The back catalogue is not news: recorded as mailed to nobody.
        await startMailing(deps, tx, { channelId, kind: 'video', subjectId: ids[0]!.id, recipients: [] });
      }).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'ProbeError') throw new ArchiveError('not_media', { path: v.file.slice(0, 200) }, { cause: error });
        throw error;
      });
      videoIds.set(v.uuid, created!.id);
      imported.videos++;
      imported.captions += captions.length;
      if (thumbnail) imported.thumbnails++;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  // Stage 3: the creator's comments under the imported videos, and the followers list, in one transaction.
  options.progress?.(step++, steps);
  const tally = { comments: 0, commentsHere: 0, commentsSkipped: 0, followers: 0, followersHere: 0 };
  const videoByUrl = new Map(videos.filter((v) => v.url && videoIds.get(v.uuid)).map((v) => [v.url!, { id: videoIds.get(v.uuid)!, channelId: channelOf(v.channel) }]));
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const commentsHere = await itemsHere(tx, 'comment', commentsJson.map((c) => String(c.url ?? '')));
    const commentIds = new Map([...commentsHere].map(([url, item]) => [url, item.target_id]));
    const ordered = [...commentsJson].sort((a, b) => (dateOf(a.createdAt)?.getTime() ?? 0) - (dateOf(b.createdAt)?.getTime() ?? 0));
    for (const c of ordered) {
      const url = typeof c.url === 'string' ? c.url.slice(0, 2000) : '';
      const video = typeof c.videoUrl === 'string' ? videoByUrl.get(c.videoUrl) : undefined;
      const body = text(c.text, 5000);
      const parentUrl = typeof c.inReplyToCommentUrl === 'string' ? c.inReplyToCommentUrl : undefined;
      const parent = parentUrl ? commentIds.get(parentUrl) : null;
      if (commentsHere.has(url)) {
        tally.commentsHere++;
        continue;
      }
      // Elsewhere, empty, or a reply to someone else's comment (not in the archive): not brought.
      if (!url || !video || !body || parent === undefined) {
        tally.commentsSkipped++;
        continue;
      }
      const row = await insertComment(tx, {
        video_id: video.id, post_id: null, channel_id: video.channelId, parent_id: parent, author_id: ownerId, body,
        body_html: renderCommentMarkdown(body), status: 'approved', by_team: true, created_at: dateOf(c.createdAt) ?? now,
      });
      commentIds.set(url, row.id);
      await recordItem(tx, { channelId: video.channelId, kind: 'comment', source: url, targetId: row.id, now });
      tally.comments++;
    }
    for (const f of followersJson) {
      const handle = text(f.handle, 500);
      if (!handle) continue;
      // A channel's followers stay with it; the account's followers followed everything it published.
      const target = typeof f.targetHandle === 'string' ? f.targetHandle.split('@')[0] : undefined;
      const owners = byName.has(target ?? '') ? [byName.get(target!)!] : channels;
      for (const channel of owners) {
        const added = await recordItem(tx, { channelId: channel.existing!, kind: 'follower', source: handle, sourceAt: dateOf(f.createdAt), now });
        if (added) tally.followers++;
        else tally.followersHere++;
      }
    }
  });
  options.progress?.(step++, steps);
  return report({ ...imported, ...tally });
}
