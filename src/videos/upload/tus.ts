import type { Config } from '../../core/config.js';
import type { AppDeps } from '../../core/deps.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { findChannelByHandle, roleOnChannel } from '../../channels/index.js';
import { createVideoFromUpload } from '../service.js';
import { ProbeError } from '../transcode/errors.js';
import { probeMedia } from '../transcode/probe.js';
import type { FfmpegBinaries } from '../transcode/binaries.js';
import { createResumableUploads, refuseUpload } from './resumable.js';

export type { UploadRequestContext } from './resumable.js';

export const UPLOAD_PATH = '/studio/uploads';

/** How much of a video upload is probed as soon as it has arrived: a 2 GB file that is no video stops there. */
export const UPLOAD_HEAD_BYTES = 4 * 1024 * 1024;

function typeAllowed(type: string, patterns: string[]): boolean {
  const lower = type.toLowerCase();
  return patterns.some((p) => (p.endsWith('/*') ? lower.startsWith(p.slice(0, -1)) : lower === p));
}

const PROBE_MESSAGES: Record<ProbeError['reason'], MessageKey> = {
  not_media: 'upload.not_media',
  no_decodable_stream: 'upload.no_decodable_stream',
  truncated: 'upload.truncated',
  probe_failed: 'upload.probe_failed',
};

/**
 * The video upload endpoint (see `createResumableUploads`). Its first megabytes are probed as soon as they
 * land: what ffprobe does not recognise as a container at all is refused there (a beginning that is merely
 * cut short is not: an MP4 may keep its index at the end). On completion the whole file is probed; a file
 * that is not playable media is refused with a clear message, otherwise it becomes a draft video with a
 * transcoding job.
 */
export function createUploadServer(deps: AppDeps, binaries: (config: Config) => FfmpegBinaries) {
  return createResumableUploads(deps, {
    path: UPLOAD_PATH,
    folder: 'uploads',
    async accept({ size, metadata }, { user, t }) {
      const filename = metadata.filename!.slice(0, 255);
      const filetype = metadata.filetype ?? '';
      if (size === 0) throw refuseUpload(400, 'empty_file', t, 'upload.not_media');
      if (!typeAllowed(filetype, deps.config.uploadAllowedTypes)) throw refuseUpload(415, 'type_not_allowed', t, 'upload.type_not_allowed', { type: filetype || '?' });
      const channel = await findChannelByHandle(deps.db, (metadata.channel ?? '').toLowerCase());
      if (!channel || !(await roleOnChannel(deps.db, user, channel.id))) throw refuseUpload(403, 'forbidden', t, 'error.forbidden');
      return { filename, filetype, channelId: channel.id, userId: user.id };
    },
    head: {
      bytes: UPLOAD_HEAD_BYTES,
      async check(headPath, upload, t) {
        try {
          await probeMedia(headPath, { binaries: binaries(deps.config) });
        } catch (error) {
          if (!(error instanceof ProbeError) || error.reason !== 'not_media') return;
          deps.log.info({ uploadId: upload.id, detail: error.detail }, 'upload refused by probe of its first bytes');
          throw refuseUpload(422, 'not_media', t, 'upload.not_media');
        }
      },
    },
    async finish(upload, { t }) {
      let probe;
      try {
        probe = await probeMedia(upload.localPath, { binaries: binaries(deps.config) });
      } catch (error) {
        if (error instanceof ProbeError) {
          deps.log.info({ uploadId: upload.id, reason: error.reason, detail: error.detail }, 'upload refused by probe');
          throw refuseUpload(422, error.reason, t, PROBE_MESSAGES[error.reason]);
        }
        throw error;
      }
      const video = await createVideoFromUpload(deps, {
        localPath: upload.localPath,
        bytes: upload.size,
        filename: upload.metadata.filename ?? 'video',
        channelId: upload.metadata.channelId!,
        userId: upload.metadata.userId!,
        probe,
      });
      return {
        status_code: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ videoId: video.id, editUrl: `/studio/videos/${video.id}?notice=uploaded` }),
      };
    },
  });
}
