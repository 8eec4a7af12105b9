import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { roleOnChannel } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import { createResumableUploads, refuseUpload } from '../../videos/index.js';
import { bundleTypeAllowed, contentMatchesType, safeFilename } from './file-types.js';
import * as q from './queries.js';

export const BUNDLE_UPLOAD_PATH = '/studio/bundle-uploads';

/**
 * Resumable uploads of bundle files (the videos capability's tus endpoint builder): the declared type must
 * be one bundles accept and the size within MAX_UPLOAD_MB; on completion the first bytes must match the
 * type, then the file is moved into media storage under `bundles/<bundle>/` and added to the bundle as locked.
 */
export function createBundleUploadServer(deps: AppDeps) {
  return createResumableUploads(deps, {
    path: BUNDLE_UPLOAD_PATH,
    folder: 'bundle-uploads',
    async accept({ size, metadata }, { user, t }) {
      const filetype = (metadata.filetype ?? '').toLowerCase();
      if (size === 0) throw refuseUpload(400, 'empty_file', t, 'bundle.upload_type_invalid', { type: filetype || '?' });
      if (!bundleTypeAllowed(filetype)) throw refuseUpload(415, 'type_not_allowed', t, 'bundle.upload_type_invalid', { type: filetype || '?' });
      const bundle = await q.findBundle(deps.db, metadata.bundle ?? '');
      if (!bundle || (await roleOnChannel(deps.db, user, bundle.channel_id)) !== 'admin') throw refuseUpload(403, 'forbidden', t, 'error.forbidden');
      const filename = safeFilename(metadata.filename!);
      if ((await q.listFiles(deps.db, bundle.id)).some((f) => f.filename === filename)) throw refuseUpload(409, 'name_taken', t, 'bundle.upload_name_taken', { name: filename });
      return { filename, filetype, bundleId: bundle.id, userId: user.id };
    },
    async finish({ localPath, size, metadata: meta }, { t }) {
      if (!(await contentMatchesType(localPath, meta.filetype ?? ''))) throw refuseUpload(422, 'content_mismatch', t, 'bundle.upload_content_mismatch', { type: meta.filetype ?? '?' });
      const key = `bundles/${meta.bundleId}/${randomUUID()}${path.extname(meta.filename ?? '').toLowerCase().replace(/[^.a-z0-9]/g, '')}`;
      await deps.storage.putFile(key, localPath, { move: true });
      try {
        const file = await q.insertFile(deps.db, { bundle_id: meta.bundleId!, access: 'locked', filename: meta.filename!, content_type: meta.filetype!, storage_key: key, bytes: size, video_id: null });
        return { status_code: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileId: file.id, editUrl: `/studio/bundles/${meta.bundleId}?notice=saved` }) };
      } catch (error) {
        await deps.storage.delete(key);
        throw error;
      }
    },
  });
}
