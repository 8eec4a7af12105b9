/**
 * The Studio's import: the site owner uploads a channel archive (resumable, the videos capability's tus
 * endpoint builder); a file that does not begin as a ZIP is refused at its first bytes; the finished
 * upload is kept under DATA_DIR until a durable job imports it with the same code as `fanfare import`.
 * A refused archive (damaged, truncated, zip bomb, unsafe path, wrong version…) is recorded with its
 * reason, shown in the viewer's language; nothing of it is imported.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../core/deps.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import type { CapabilityManifest } from '../core/module.js';
import { createResumableUploads, refuseUpload } from '../videos/index.js';
import { ArchiveError } from './errors.js';
import { importArchive } from './import.js';
import * as q from './queries.js';
import { startsLikeZip } from './zip-read.js';

export const ARCHIVE_UPLOAD_PATH = '/studio/archive-uploads';
export const IMPORT_JOB = 'portability.import';

const fileOf = (deps: AppDeps, id: string) => path.join(deps.config.dataDir, 'archive-imports', `${id}.zip`);

/** The tus endpoint for archives: the site owner only; the first bytes must be a ZIP's. */
export function createArchiveUploadServer(deps: AppDeps) {
  mkdirSync(path.join(deps.config.dataDir, 'archive-imports'), { recursive: true });
  return createResumableUploads(deps, {
    path: ARCHIVE_UPLOAD_PATH,
    folder: 'archive-uploads',
    async accept({ size, metadata }, { user, t }) {
      if (user.siteRole !== 'owner') throw refuseUpload(403, 'forbidden', t, 'error.forbidden');
      if (size < 22) throw refuseUpload(422, 'archive_not_an_archive', t, 'portability.error.not_an_archive', { detail: metadata.filename ?? '' });
      return { filename: (metadata.filename ?? 'archive.zip').replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255), userId: user.id };
    },
    head: {
      bytes: 4,
      async check(headPath, upload, t) {
        if (!(await startsLikeZip(headPath))) throw refuseUpload(422, 'archive_not_an_archive', t, 'portability.error.not_an_archive', { detail: upload.metadata.filename ?? '' });
      },
    },
    async finish({ localPath, size, metadata }, { user }) {
      const id = randomUUID();
      const file = fileOf(deps, id);
      await rename(localPath, file);
      try {
        await deps.db.transaction(async (tx) => {
          await q.insertUpload(tx, { id, requestedBy: user.id, filename: metadata.filename ?? 'archive.zip', bytes: size, now: deps.clock.now() });
          const { job } = await enqueue(tx, { type: IMPORT_JOB, payload: { uploadId: id }, dedupeKey: `portability-import:${id}`, maxAttempts: 3 }, deps.clock);
          await q.setUploadJob(tx, id, job.id);
        });
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      return { status_code: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ importId: id, editUrl: `/studio/import?notice=saved` }) };
    },
  });
}

/**
 * Imports one uploaded archive. A refusal of the archive is final (recorded, the file removed); any other
 * failure is retried (the import resumes at its stage) and recorded as failed after the last attempt.
 */
export function importJobHandler(deps: AppDeps, modules: readonly CapabilityManifest[]): JobHandler {
  return async ({ job, reportProgress }) => {
    const uploadId = (job.payload as { uploadId?: unknown } | null)?.uploadId;
    if (typeof uploadId !== 'string') throw new PermanentJobError('malformed import job');
    const row = await q.findUpload(deps.db, uploadId);
    if (!row || row.status !== 'queued') return { skipped: row?.status ?? 'gone' };
    const file = fileOf(deps, uploadId);
    try {
      const report = await importArchive(deps, modules, { file, ownerId: row.requested_by ?? undefined, progress: (done, total) => void reportProgress(Math.floor((done * 99) / Math.max(1, total))) });
      await q.finishUpload(deps.db, uploadId, { status: 'done', report, now: deps.clock.now() });
      await rm(file, { force: true });
      return { handle: report.handle, alreadyImported: report.alreadyImported };
    } catch (error) {
      const last = job.attempts >= job.maxAttempts;
      if (error instanceof ArchiveError || last) {
        const key = error instanceof ArchiveError ? error.messageKey : 'portability.import_failed';
        await q.finishUpload(deps.db, uploadId, { status: 'failed', errorKey: key, errorVars: error instanceof ArchiveError ? (error.vars ?? {}) : {}, now: deps.clock.now() });
        await rm(file, { force: true });
        if (error instanceof ArchiveError) return { refused: error.problem };
      }
      throw error;
    }
  };
}
