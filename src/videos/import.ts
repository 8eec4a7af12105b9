/**
 * Videos arriving from another platform's archive (the moving capability's YouTube Takeout import,
 * portability's PeerTube import, which also brings captions, chapters and a thumbnail): each
 * file is probed like an upload, then every file is stored and every row inserted with its metadata and
 * its transcoding job in ONE transaction, so an archive imports whole or not at all (stored files are
 * removed again when the transaction fails), with their captions and thumbnail when the archive has
 * them. Transcoding then runs through the normal path.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { enqueue } from '../core/jobs/index.js';
import * as q from './queries.js';
import type { Chapter } from './queries.js';
import type { LICENCES } from './schema.js';
import { newShortId, TRANSCODE_JOB } from './service.js';
import { ffmpegBinaries } from './transcode-job.js';
import { probeMedia, type MediaSummary } from './transcode/probe.js';

type Licence = (typeof LICENCES)[number];

/** One video to import: a local file (moved into storage) and what the other platform said about it. */
export interface ImportedVideo {
  localPath: string;
  bytes: number;
  filename: string;
  title: string;
  description: string;
  tags: string[];
  visibility: 'draft' | 'public' | 'unlisted';
  /** When it was published on the other platform (kept as the publication time), or null. */
  publishedAt: Date | null;
  createdAt: Date | null;
  /** What a richer archive (PeerTube's) also says; absent from a YouTube Takeout. */
  language?: 'en' | 'fr' | null;
  licence?: Licence;
  chapters?: Chapter[];
  /** A custom thumbnail already checked as an image (`checkThumbnail`): a file moved into storage, or bytes. */
  thumbnail?: ArchivedFile & { ext: string };
  /** Caption tracks already checked as WebVTT (`checkWebVtt`), one per language: files moved into storage, or bytes. */
  captions?: (ArchivedFile & { language: string; label: string })[];
}

/** A file from an archive: already extracted to disk (moved into storage), or read into memory. */
export type ArchivedFile = { localPath: string; bytes?: undefined } | { bytes: Uint8Array; localPath?: undefined };

/** Probes a file as an upload is probed; throws the probe's error (ProbeError) when it is not usable media. */
export async function probeImportedFile(deps: AppDeps, localPath: string) {
  return probeMedia(localPath, { binaries: ffmpegBinaries(deps.config) });
}

/**
 * Imports the videos into a channel, all or none (see the file comment). `inTx` runs in the same
 * transaction with the new ids, in order (the caller records where each came from). Returns the ids.
 */
export async function importVideos(
  deps: AppDeps,
  channelId: string,
  userId: string,
  videos: readonly ImportedVideo[],
  inTx?: (tx: Queryable, ids: { id: string; shortId: string }[]) => Promise<void>,
): Promise<{ id: string; shortId: string }[]> {
  const probes: MediaSummary[] = [];
  for (const v of videos) probes.push(await probeImportedFile(deps, v.localPath));
  const ids = videos.map(() => ({ id: randomUUID(), shortId: newShortId() }));
  const keys: string[] = [];
  const sourceKeys: string[] = [];
  /** The storage keys of each video's thumbnail and captions, by `index:thumbnail` / `index:caption:<language>`. */
  const extraKeys = new Map<string, string>();
  try {
    for (const [i, v] of videos.entries()) {
      const ext = /\.[A-Za-z0-9]{1,8}$/.exec(v.filename)?.[0]?.toLowerCase() ?? '';
      const key = `videos/${ids[i]!.id}/source/original${ext}`;
      await deps.storage.putFile(key, v.localPath, { move: true });
      keys.push(key);
      sourceKeys.push(key);
      const extras: [string, string, ArchivedFile][] = [
        ...(v.thumbnail ? [['thumbnail', `videos/${ids[i]!.id}/thumbnail-${randomUUID()}.${v.thumbnail.ext}`, v.thumbnail] as [string, string, ArchivedFile]] : []),
        ...(v.captions ?? []).map((c): [string, string, ArchivedFile] => [`caption:${c.language}`, `videos/${ids[i]!.id}/captions/${c.language}-${randomUUID()}.vtt`, c]),
      ];
      for (const [what, extraKey, file] of extras) {
        if (file.localPath !== undefined) await deps.storage.putFile(extraKey, file.localPath, { move: true });
        else await deps.storage.put(extraKey, file.bytes);
        keys.push(extraKey);
        extraKeys.set(`${i}:${what}`, extraKey);
      }
    }
    await deps.db.transaction(async (tx) => {
      for (const [i, v] of videos.entries()) {
        const { id, shortId } = ids[i]!;
        const probe = probes[i]!;
        const now = deps.clock.now();
        await tx.query(
          `INSERT INTO videos (id, short_id, channel_id, uploader_id, title, description, tags, visibility, publish_at, original_filename,
                               source_key, source_bytes, duration_seconds, width, height, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [id, shortId, channelId, userId, v.title, v.description, v.tags, v.visibility, v.publishedAt, v.filename.slice(0, 255), sourceKeys[i], v.bytes,
            probe.durationSeconds, probe.hasVideo ? probe.width : null, probe.hasVideo ? probe.height : null, v.createdAt ?? now, now],
        );
        const { job } = await enqueue(tx, { type: TRANSCODE_JOB, payload: { videoId: id }, dedupeKey: `transcode:${id}:1`, maxAttempts: 3 }, deps.clock);
        await q.setTranscodeJob(tx, id, job.id);
        if (v.language || v.licence || v.chapters?.length || v.thumbnail) {
          await tx.query('UPDATE videos SET language = $2, licence = $3, chapters = $4::jsonb, custom_thumbnail_key = $5 WHERE id = $1', [
            id, v.language ?? null, v.licence ?? 'all_rights_reserved', JSON.stringify(v.chapters ?? []), v.thumbnail ? extraKeys.get(`${i}:thumbnail`) : null,
          ]);
        }
        for (const caption of v.captions ?? []) await q.upsertCaption(tx, id, caption.language, caption.label, extraKeys.get(`${i}:caption:${caption.language}`)!);
      }
      await inTx?.(tx, ids);
    });
  } catch (error) {
    for (const key of keys) await deps.storage.delete(key).catch(() => undefined);
    throw error;
  }
  return ids;
}
