import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { findChannelByHandle, roleOnChannel } from '../../channels/index.js';
import type { Config } from '../../core/config.js';
import type { AppDeps } from '../../core/deps.js';
import type { CurrentUser } from '../../core/http/context.js';
import { formatBytes } from '../../core/http/errors.js';
import { isDiskFull } from '../../core/storage/disk-space.js';
import type { MessageKey, Translate } from '../../core/i18n/index.js';
import { createVideoFromUpload } from '../service.js';
import { ProbeError } from '../transcode/errors.js';
import { probeMedia } from '../transcode/probe.js';
import type { FfmpegBinaries } from '../transcode/binaries.js';

export const UPLOAD_PATH = '/studio/uploads';

/** Who is uploading, attached by the route to the Request object that tus then hands to its hooks. */
export interface UploadRequestContext {
  user: CurrentUser;
  t: Translate;
}

/** tus answers hooks' thrown `{status_code, body}` as is: bodies are our JSON error shape. */
function refuse(status: number, code: string, t: Translate, key: MessageKey, vars?: Record<string, string>): { status_code: number; body: string } {
  return { status_code: status, body: JSON.stringify({ error: { code, message: t(key, vars) } }) };
}

function typeAllowed(type: string, patterns: string[]): boolean {
  const lower = type.toLowerCase();
  return patterns.some((p) => (p.endsWith('/*') ? lower.startsWith(p.slice(0, -1)) : lower === p));
}

const TUS_ERROR_MESSAGES: Record<number, MessageKey> = {
  404: 'upload.not_found',
  409: 'upload.offset_conflict',
  410: 'upload.not_found',
  413: 'upload.too_large',
};

const PROBE_MESSAGES: Record<ProbeError['reason'], MessageKey> = {
  not_media: 'upload.not_media',
  no_decodable_stream: 'upload.no_decodable_stream',
  truncated: 'upload.truncated',
  probe_failed: 'upload.probe_failed',
};

/**
 * The resumable upload endpoint (tus 1.0 via @tus/server). Partial uploads and their metadata live on disk
 * under DATA_DIR/uploads, so an upload resumes after a dropped connection, a closed tab or a server restart.
 * On completion the file is probed; a file that is not playable media is deleted and refused with a clear
 * message, otherwise it becomes a draft video with a transcoding job.
 * Locks are per process (MemoryLocker): with several web processes, route one upload's requests to one
 * process (sticky sessions) or share DATA_DIR/uploads and accept tus's at-least-once PATCH semantics.
 */
export function createUploadServer(deps: AppDeps, binaries: (config: Config) => FfmpegBinaries) {
  const directory = path.join(deps.config.dataDir, 'uploads');
  mkdirSync(directory, { recursive: true });
  const contexts = new WeakMap<Request, UploadRequestContext>();
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: 7 * 24 * 3600 * 1000 });

  const contextOf = (req: Request): UploadRequestContext => {
    const context = contexts.get(req);
    if (!context) throw { status_code: 401, body: JSON.stringify({ error: { code: 'login_required', message: 'login required' } }) };
    return context;
  };

  const server = new Server({
    path: UPLOAD_PATH,
    datastore,
    locker: new MemoryLocker(),
    relativeLocation: true,
    maxSize: deps.config.maxUploadBytes,
    respectForwardedHeaders: deps.config.trustProxy,
    allowedOrigins: [new URL(deps.config.publicUrl).origin],
    // tus's own refusals (size, offset, unknown upload) become our JSON error shape, in the user's language.
    onResponseError(req, error) {
      const context = contexts.get(req as unknown as Request);
      if (context && isDiskFull(error)) {
        deps.log.error({ err: error }, 'the disk is full: an upload could not be written');
        return refuse(507, 'storage_full', context.t, 'error.storage_full');
      }
      const status = 'status_code' in error ? error.status_code : 500;
      const ours = 'body' in error && typeof error.body === 'string' && error.body.startsWith('{');
      if (!context || ours) return undefined;
      const key = TUS_ERROR_MESSAGES[status] ?? 'upload.protocol_error';
      return refuse(status, `tus_${status}`, context.t, key, { max: formatBytes(deps.config.maxUploadBytes) });
    },
    async onUploadCreate(req, upload) {
      const { user, t } = contextOf(req as unknown as Request);
      const meta = upload.metadata ?? {};
      const filename = (meta.filename ?? '').slice(0, 255);
      const filetype = meta.filetype ?? '';
      if (upload.size === undefined) throw refuse(400, 'length_required', t, 'upload.length_required');
      if (upload.size === 0) throw refuse(400, 'empty_file', t, 'upload.not_media');
      if (upload.size > deps.config.maxUploadBytes) throw refuse(413, 'too_large', t, 'upload.too_large', { max: formatBytes(deps.config.maxUploadBytes) });
      if (!filename) throw refuse(400, 'filename_required', t, 'upload.filename_required');
      if (!typeAllowed(filetype, deps.config.uploadAllowedTypes)) throw refuse(415, 'type_not_allowed', t, 'upload.type_not_allowed', { type: filetype || '?' });
      const channel = await findChannelByHandle(deps.db, (meta.channel ?? '').toLowerCase());
      if (!channel || !(await roleOnChannel(deps.db, user, channel.id))) throw refuse(403, 'forbidden', t, 'error.forbidden');
      // What the client claimed is replaced by what the server checked.
      return { metadata: { filename, filetype, channelId: channel.id, userId: user.id } };
    },
    async onIncomingRequest(req, uploadId) {
      const { user, t } = contextOf(req as unknown as Request);
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      const upload = await datastore.getUpload(uploadId).catch(() => undefined);
      if (upload && upload.metadata?.userId !== user.id) throw refuse(403, 'forbidden', t, 'error.forbidden');
    },
    async onUploadFinish(req, upload) {
      const { t } = contextOf(req as unknown as Request);
      return finishUpload(deps, binaries, datastore, upload, t);
    },
  });

  return {
    /** Handles one tus request for an authenticated Studio user. */
    handle(req: Request, context: UploadRequestContext): Promise<Response> {
      contexts.set(req, context);
      return server.handleWeb(req);
    },
    directory,
  };
}

async function finishUpload(deps: AppDeps, binaries: (config: Config) => FfmpegBinaries, datastore: FileStore, upload: Upload, t: Translate) {
  const localPath = path.join(datastore.directory, upload.id);
  const meta = upload.metadata ?? {};
  const discard = () => datastore.remove(upload.id).catch(() => undefined);
  let probe;
  try {
    probe = await probeMedia(localPath, { binaries: binaries(deps.config) });
  } catch (error) {
    await discard();
    if (error instanceof ProbeError) {
      deps.log.info({ uploadId: upload.id, reason: error.reason, detail: error.detail }, 'upload refused by probe');
      throw refuse(422, error.reason, t, PROBE_MESSAGES[error.reason]);
    }
    throw error;
  }
  try {
    const video = await createVideoFromUpload(deps, {
      localPath,
      bytes: upload.size ?? 0,
      filename: meta.filename ?? 'video',
      channelId: meta.channelId!,
      userId: meta.userId!,
      probe,
    });
    return {
      status_code: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ videoId: video.id, editUrl: `/studio/videos/${video.id}?notice=uploaded` }),
    };
  } finally {
    await discard(); // the file was moved into storage (or the video was refused): the tus copy goes
  }
}
