/**
 * Videos arriving from another platform's archive (the moving capability's YouTube Takeout import): each
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
import { newShortId, TRANSCODE_JOB } from './service.js';
import { ffmpegBinaries } from './transcode-job.js';
import { probeMedia, type MediaSummary } from './transcode/probe.js';

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
  /** Caption tracks already checked as WebVTT (`checkWebVtt`), one per language. */
  captions?: { language: string; label: string; bytes: Uint8Array }[];
  /** A thumbnail already checked (`checkThumbnail`): the video's custom thumbnail. */
  thumbnail?: { bytes: Uint8Array; ext: string };
}

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
  try {
    for (const [i, v] of videos.entries()) {
      const ext = /\.[A-Za-z0-9]{1,8}$/.exec(v.filename)?.[0]?.toLowerCase() ?? '';
      const key = `videos/${ids[i]!.id}/source/original${ext}`;
      await deps.storage.putFile(key, v.localPath, { move: true });
      keys.push(key);
    }
    const extras = videos.map((v, i) => ({
      captions: (v.captions ?? []).map((c) => ({ ...c, key: `videos/${ids[i]!.id}/captions/${c.language}-${randomUUID()}.vtt` })),
      thumbnail: v.thumbnail && { ...v.thumbnail, key: `videos/${ids[i]!.id}/thumbnail-${randomUUID()}.${v.thumbnail.ext}` },
    }));
    for (const { captions, thumbnail } of extras) {
      for (const file of [...captions, ...(thumbnail ? [thumbnail] : [])]) {
        await deps.storage.put(file.key, file.bytes);
        keys.push(file.key);
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
          [id, shortId, channelId, userId, v.title, v.description, v.tags, v.visibility, v.publishedAt, v.filename.slice(0, 255), keys[i], v.bytes,
            probe.durationSeconds, probe.hasVideo ? probe.width : null, probe.hasVideo ? probe.height : null, v.createdAt ?? now, now],
        );
        const { job } = await enqueue(tx, { type: TRANSCODE_JOB, payload: { videoId: id }, dedupeKey: `transcode:${id}:1`, maxAttempts: 3 }, deps.clock);
        await q.setTranscodeJob(tx, id, job.id);
        for (const c of extras[i]!.captions) await q.upsertCaption(tx, id, c.language, c.label, c.key);
        if (extras[i]!.thumbnail) await q.setCustomThumbnail(tx, id, extras[i]!.thumbnail!.key);
      }
      await inTx?.(tx, ids);
    });
  } catch (error) {
    for (const key of keys) await deps.storage.delete(key).catch(() => undefined);
    throw error;
  }
  return ids;
}
