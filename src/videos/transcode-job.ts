import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { configSection, type Config } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import { PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import type { MediaStorage } from '../core/storage/index.js';
import { videosConfig } from './config.js';
import * as q from './queries.js';
import { resolveBinaries, type FfmpegBinaries } from './transcode/binaries.js';
import { ProbeError, TranscodeError } from './transcode/errors.js';
import { AAC_LC_CODEC } from './transcode/master-playlist.js';
import { transcodeVideo, type TranscodeResult } from './transcode/run.js';
import { scratchFolder, sweepStaleScratchFolders } from './transcode/scratch.js';
import { writeSegmentHashes } from './transcode/segment-hashes.js';
import { previewPublisher } from './transcode-preview.js';

const resolved = new Map<string, FfmpegBinaries>();

/**
 * ffmpeg and ffprobe for this configuration (videosConfig): FFMPEG_PATH/FFPROBE_PATH, else the ones on
 * PATH, else the npm-bundled build. Resolved once per set of locations.
 */
export function ffmpegBinaries(config: Config): FfmpegBinaries {
  const locations = configSection(config, videosConfig);
  const key = JSON.stringify([locations.ffmpegPath, locations.ffprobePath, locations.searchPath]);
  let binaries = resolved.get(key);
  if (!binaries) {
    binaries = resolveBinaries(locations);
    resolved.set(key, binaries);
  }
  return binaries;
}

const payloadSchema = z.object({ videoId: z.uuid() });

/** A local path for a stored file: the file itself on local disk, else a download into `workDir`. */
async function localCopy(storage: MediaStorage, key: string, workDir: string): Promise<string> {
  const direct = storage.localPath?.(key);
  if (direct) return direct;
  const stored = await storage.get(key);
  if (!stored) throw new PermanentJobError(`source file ${key} is missing from storage`);
  const file = path.join(workDir, `source${path.extname(key)}`);
  await pipeline(Readable.fromWeb(stored.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  return file;
}

/** What the database keeps about each rendition, for players, feeds and federation. */
function describeRenditions(result: TranscodeResult): q.Rendition[] {
  return result.plan.renditions.map((r) => {
    const measured = result.measurements[r.name];
    if (r.kind === 'audio') {
      return { name: r.name, kind: 'audio', height: null, width: null, bandwidth: measured?.peakBitrate ?? r.bitrate, codecs: AAC_LC_CODEC };
    }
    return {
      name: r.name,
      kind: 'video',
      height: r.height,
      width: r.width,
      bandwidth: measured?.peakBitrate ?? r.maxrate,
      codecs: measured?.codec ?? 'avc1.640028',
    };
  });
}

/**
 * The `video.transcode` job: one ffmpeg pass to the HLS ladder, poster and storyboard, uploaded under a
 * prefix unique to this attempt, then the row switches to it and the previous output is deleted. A first
 * transcode publishes its renditions as the pass writes them (transcode-preview.ts), so the team can watch
 * within seconds. When the ladder is in place, `video.transcoded` is published: what else should be made
 * of a finished ladder (per-segment hashes for peers, torrents) subscribes to it. A retry
 * (after a crash or a killed worker) redoes the work into a new prefix, so the handler is idempotent.
 * A source ffprobe refuses fails at once; other errors are retried, and the last one is shown to the creator.
 */
export function transcodeVideoHandler(deps: AppDeps): JobHandler {
  // At start: what killed workers left in the temp folder goes.
  void sweepStaleScratchFolders().then(
    (removed) => removed.length && deps.log.info({ removed }, 'removed the scratch folders of transcodes whose worker is gone'),
    (err: unknown) => deps.log.warn({ err }, 'sweeping stale transcode folders failed'),
  );
  return async ({ job, signal, reportProgress }) => {
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('invalid payload for video.transcode');
    const video = await q.findVideoById(deps.db, payload.data.videoId);
    if (!video) return { skipped: 'video deleted' };
    if (!video.source_key) throw new PermanentJobError('video has no source file');
    const work = await scratchFolder();
    const prefix = `videos/${video.id}/hls-${job.id}-${job.attempts}`;
    // A first transcode is watchable by the team while it runs; a re-transcode keeps the previous ladder until done.
    const preview = video.hls_prefix ? undefined : previewPublisher(deps, video.id, prefix);
    let uploading: string | undefined;
    try {
      const input = await localCopy(deps.storage, video.source_key, work);
      uploading = preview ? prefix : undefined;
      const result = await transcodeVideo({
        input,
        outputDir: path.join(work, 'out'),
        binaries: ffmpegBinaries(deps.config),
        preset: deps.config.transcodePreset,
        downloadHeight: video.download_height,
        // The last 5 % is the upload to storage.
        onProgress: (percent) => void reportProgress(Math.min(95, Math.floor(percent * 0.95))),
        signal,
        onPartial: preview?.publish,
      });
      // Each rendition's segment hash list, beside its playlist (P2P checks peers' segments with it).
      await writeSegmentHashes(result.outputDir, result.plan.renditions.map((r) => r.name));
      uploading = prefix;
      await deps.storage.putDirectory(prefix, result.outputDir);
      const display = result.plan;
      await deps.db.transaction(async (tx) => {
      await q.markTranscoded(tx, video.id, {
        hlsPrefix: prefix,
        renditions: describeRenditions(result),
        posterKey: result.poster ? `${prefix}/${result.poster}` : null,
        hasStoryboard: result.storyboard !== undefined,
        durationSeconds: result.summary.durationSeconds,
        width: display.displayWidth || null,
        height: display.displayHeight || null,
        download: result.downloads.video ?? null,
        audio: result.downloads.audio ?? null,
      });
      await deps.events.publish(tx, 'video.changed', { videoId: video.id, what: 'renditions' }, `${video.id}:renditions:${prefix}`);
      await deps.events.publish(tx, 'video.transcoded', { videoId: video.id, channelId: video.channel_id, outcome: 'ready' }, `${video.id}:transcoded:${prefix}`);
      });
      uploading = undefined;
      if (video.hls_prefix && video.hls_prefix !== prefix) await deps.storage.deletePrefix(`${video.hls_prefix}/`);
      await reportProgress(100);
      return { prefix };
    } catch (error) {
      // An attempt that failed after starting its upload leaves no partial renditions in storage.
      if (preview?.announced) await q.withdrawPreview(deps.db, video.id, prefix).catch((err: unknown) => deps.log.warn({ err, prefix }, 'withdrawing a failed attempt\'s preview failed'));
      if (uploading) await deps.storage.deletePrefix(`${uploading}/`).catch((err: unknown) => deps.log.warn({ err, prefix: uploading }, 'removing a failed attempt\'s output failed'));
      const final = error instanceof ProbeError || job.attempts >= job.maxAttempts;
      if (final && !signal.aborted) {
        const message = error instanceof TranscodeError ? error.message : error instanceof Error ? error.message : String(error);
        await deps.db.transaction(async (tx) => {
          await q.markFailed(tx, video.id, message);
          await deps.events.publish(tx, 'video.transcoded', { videoId: video.id, channelId: video.channel_id, outcome: 'failed' }, `${video.id}:transcoded-failed:${job.id}`);
        });
        // The Studio shows a translated message; the details (paths, ffmpeg's output) are for the log.
        deps.log.error({ err: error, videoId: video.id }, 'transcoding failed for good');
      }
      if (error instanceof ProbeError) throw new PermanentJobError(`source refused: ${error.reason}`, { cause: error });
      throw error;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}
