import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { roleOnChannel } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { CurrentUser } from '../../core/http/context.js';
import { formatBytes } from '../../core/http/errors.js';
import type { MessageKey, Translate } from '../../core/i18n/index.js';
import { bundleTypeAllowed, contentMatchesType, safeFilename } from './file-types.js';
import * as q from './queries.js';

export const BUNDLE_UPLOAD_PATH = '/studio/bundle-uploads';

interface UploadContext {
  user: CurrentUser;
  t: Translate;
}

function refuse(status: number, code: string, t: Translate, key: MessageKey, vars?: Record<string, string>): { status_code: number; body: string } {
  return { status_code: status, body: JSON.stringify({ error: { code, message: t(key, vars) } }) };
}

/**
 * Resumable uploads of bundle files (tus 1.0, as video uploads): the declared type must be one bundles
 * accept and the size within MAX_UPLOAD_MB; on completion the first bytes must match the type, then the
 * file is moved into media storage under `bundles/<bundle>/` and added to the bundle as locked.
 */
export function createBundleUploadServer(deps: AppDeps) {
  const directory = path.join(deps.config.dataDir, 'bundle-uploads');
  mkdirSync(directory, { recursive: true });
  const contexts = new WeakMap<Request, UploadContext>();
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: 7 * 24 * 3600 * 1000 });
  const contextOf = (req: Request): UploadContext => {
    const context = contexts.get(req);
    if (!context) throw { status_code: 401, body: JSON.stringify({ error: { code: 'login_required', message: 'login required' } }) };
    return context;
  };
  const max = () => formatBytes(deps.config.maxUploadBytes);

  const server = new Server({
    path: BUNDLE_UPLOAD_PATH,
    datastore,
    locker: new MemoryLocker(),
    relativeLocation: true,
    maxSize: deps.config.maxUploadBytes,
    respectForwardedHeaders: deps.config.trustProxy,
    allowedOrigins: [new URL(deps.config.publicUrl).origin],
    async onUploadCreate(req, upload) {
      const { user, t } = contextOf(req as unknown as Request);
      const meta = upload.metadata ?? {};
      const filetype = (meta.filetype ?? '').toLowerCase();
      if (upload.size === undefined) throw refuse(400, 'length_required', t, 'upload.length_required');
      if (upload.size === 0) throw refuse(400, 'empty_file', t, 'bundle.upload_type_invalid', { type: filetype || '?' });
      if (upload.size > deps.config.maxUploadBytes) throw refuse(413, 'too_large', t, 'upload.too_large', { max: max() });
      if (!meta.filename) throw refuse(400, 'filename_required', t, 'upload.filename_required');
      if (!bundleTypeAllowed(filetype)) throw refuse(415, 'type_not_allowed', t, 'bundle.upload_type_invalid', { type: filetype || '?' });
      const bundle = await q.findBundle(deps.db, meta.bundle ?? '');
      if (!bundle || (await roleOnChannel(deps.db, user, bundle.channel_id)) !== 'admin') throw refuse(403, 'forbidden', t, 'error.forbidden');
      const filename = safeFilename(meta.filename);
      if ((await q.listFiles(deps.db, bundle.id)).some((f) => f.filename === filename)) throw refuse(409, 'name_taken', t, 'bundle.upload_name_taken', { name: filename });
      return { metadata: { filename, filetype, bundleId: bundle.id, userId: user.id } };
    },
    async onIncomingRequest(req, uploadId) {
      const { user, t } = contextOf(req as unknown as Request);
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      const upload = await datastore.getUpload(uploadId).catch(() => undefined);
      if (upload && upload.metadata?.userId !== user.id) throw refuse(403, 'forbidden', t, 'error.forbidden');
    },
    async onUploadFinish(req, upload) {
      return finish(deps, datastore, upload, contextOf(req as unknown as Request).t);
    },
  });

  return {
    handle(req: Request, context: UploadContext): Promise<Response> {
      contexts.set(req, context);
      return server.handleWeb(req);
    },
  };
}

async function finish(deps: AppDeps, datastore: FileStore, upload: Upload, t: Translate) {
  const localPath = path.join(datastore.directory, upload.id);
  const meta = upload.metadata ?? {};
  try {
    if (!(await contentMatchesType(localPath, meta.filetype ?? ''))) throw refuse(422, 'content_mismatch', t, 'bundle.upload_content_mismatch', { type: meta.filetype ?? '?' });
    const key = `bundles/${meta.bundleId}/${randomUUID()}${path.extname(meta.filename ?? '').toLowerCase().replace(/[^.a-z0-9]/g, '')}`;
    await deps.storage.putFile(key, localPath, { move: true });
    try {
      const file = await q.insertFile(deps.db, { bundle_id: meta.bundleId!, access: 'locked', filename: meta.filename!, content_type: meta.filetype!, storage_key: key, bytes: upload.size ?? 0, video_id: null });
      return { status_code: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileId: file.id, editUrl: `/studio/bundles/${meta.bundleId}?notice=saved` }) };
    } catch (error) {
      await deps.storage.delete(key);
      throw error;
    }
  } finally {
    await datastore.remove(upload.id).catch(() => undefined);
  }
}
