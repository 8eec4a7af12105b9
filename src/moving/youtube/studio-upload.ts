/**
 * The Studio's YouTube import: a channel admin uploads a Takeout ZIP (resumable, the videos capability's
 * tus endpoint builder, the channel named in the upload's metadata); a file that does not begin as a ZIP
 * is refused at its first bytes; the finished upload waits under DATA_DIR until a durable job imports it
 * with the code of `fanfare import-youtube`. A refused archive is recorded with its reason (shown in the
 * viewer's language) and nothing of it is imported; the uploaded file is removed either way.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { channelForAdmin } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { Queryable } from '../../core/db/index.js';
import { AppError } from '../../core/http/errors.js';
import { enqueue, PermanentJobError, type JobHandler } from '../../core/jobs/index.js';
import { startsLikeZip } from '../../portability/index.js';
import { createResumableUploads, refuseUpload } from '../../videos/index.js';
import { TakeoutError } from './archive.js';
import { importYouTubeTakeout, type TakeoutReport } from './takeout.js';

export const TAKEOUT_UPLOAD_PATH = '/studio/takeout-uploads';
export const TAKEOUT_IMPORT_JOB = 'moving.import-youtube';
const FOLDER = 'takeout-imports';

const fileOf = (deps: AppDeps, id: string) => path.join(deps.config.dataDir, FOLDER, `${id}.zip`);

export interface TakeoutUploadRow {
  id: string;
  channel_id: string;
  filename: string;
  status: 'queued' | 'done' | 'failed';
  job_id: string | null;
  report: TakeoutReport | null;
  error_key: string | null;
  error_detail: string | null;
  requested_at: Date;
}

export async function listTakeoutUploads(db: Queryable, channelId: string): Promise<TakeoutUploadRow[]> {
  return db.query<TakeoutUploadRow>(
    'SELECT id, channel_id, filename, status, job_id, report, error_key, error_detail, requested_at FROM youtube_uploads WHERE channel_id = $1 ORDER BY requested_at DESC LIMIT 20',
    [channelId],
  );
}

async function finishTakeoutUpload(db: Queryable, id: string, outcome: { report: TakeoutReport } | { errorKey: string; detail: string }, now: Date): Promise<void> {
  await db.query(
    `UPDATE youtube_uploads SET status = $2, report = $3::jsonb, error_key = $4, error_detail = $5, finished_at = $6 WHERE id = $1`,
    'report' in outcome
      ? [id, 'done', JSON.stringify(outcome.report), null, null, now]
      : [id, 'failed', null, outcome.errorKey, outcome.detail.slice(0, 500), now],
  );
}

/** The tus endpoint for Takeout archives: admins of the channel named in the metadata; a ZIP's first bytes. */
export function createTakeoutUploadServer(deps: AppDeps) {
  mkdirSync(path.join(deps.config.dataDir, FOLDER), { recursive: true });
  return createResumableUploads(deps, {
    path: TAKEOUT_UPLOAD_PATH,
    folder: 'takeout-uploads',
    async accept({ size, metadata }, { user, t }) {
      const channel = await channelForAdmin(deps.db, user, metadata.channel ?? '').catch((error: unknown) => {
        if (error instanceof AppError) throw refuseUpload(error.status, error.code, t, error.messageKey);
        throw error;
      });
      if (size < 22) throw refuseUpload(422, 'takeout_not_an_archive', t, 'moving.takeout.not_an_archive');
      return { filename: (metadata.filename ?? 'takeout.zip').replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255), channelId: channel.id, userId: user.id };
    },
    head: {
      bytes: 4,
      async check(headPath, _upload, t) {
        if (!(await startsLikeZip(headPath))) throw refuseUpload(422, 'takeout_not_an_archive', t, 'moving.takeout.not_an_archive');
      },
    },
    async finish({ localPath, size, metadata }, { user }) {
      const id = randomUUID();
      const file = fileOf(deps, id);
      await rename(localPath, file);
      const channelId = metadata.channelId!;
      try {
        await deps.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO youtube_uploads (id, channel_id, requested_by, filename, bytes, status, requested_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6)`,
            [id, channelId, user.id, metadata.filename ?? 'takeout.zip', size, deps.clock.now()],
          );
          const { job } = await enqueue(tx, { type: TAKEOUT_IMPORT_JOB, payload: { uploadId: id }, dedupeKey: `takeout-import:${id}`, maxAttempts: 3 }, deps.clock);
          await tx.query('UPDATE youtube_uploads SET job_id = $2 WHERE id = $1', [id, job.id]);
        });
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      const handle = (await deps.db.query<{ handle: string }>('SELECT handle FROM channels WHERE id = $1', [channelId]))[0]?.handle ?? '';
      return { status_code: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ importId: id, editUrl: `/studio/channels/${handle}/youtube` }) };
    },
  });
}

/**
 * Imports one uploaded Takeout archive into its channel, as the admin who uploaded it. A refusal of the
 * archive is final (recorded, the file removed); any other failure is retried (the import is all or
 * nothing, and skips videos already there) and recorded as failed after the last attempt.
 */
export function takeoutImportJobHandler(deps: AppDeps): JobHandler {
  return async ({ job, reportProgress }) => {
    const uploadId = (job.payload as { uploadId?: unknown } | null)?.uploadId;
    if (typeof uploadId !== 'string') throw new PermanentJobError('malformed Takeout import job');
    const row = (await deps.db.query<{ status: string; channel_id: string; requested_by: string | null }>('SELECT status, channel_id, requested_by FROM youtube_uploads WHERE id = $1', [uploadId]))[0];
    if (!row || row.status !== 'queued') return { skipped: row?.status ?? 'gone' };
    const file = fileOf(deps, uploadId);
    try {
      const userId = row.requested_by ?? (await deps.db.query<{ id: string }>("SELECT id FROM users WHERE site_role = 'owner' LIMIT 1"))[0]!.id;
      const report = await importYouTubeTakeout(deps, { file, channelId: row.channel_id, userId, progress: (done, total) => void reportProgress(Math.floor((done * 99) / Math.max(1, total))) });
      await finishTakeoutUpload(deps.db, uploadId, { report }, deps.clock.now());
      await rm(file, { force: true });
      return { imported: report.imported.length, skipped: report.skipped.length };
    } catch (error) {
      const last = job.attempts >= job.maxAttempts;
      if (error instanceof TakeoutError || last) {
        const outcome = error instanceof TakeoutError ? { errorKey: `moving.takeout.${error.problem}`, detail: error.detail } : { errorKey: 'moving.youtube_crashed', detail: '' };
        await finishTakeoutUpload(deps.db, uploadId, outcome, deps.clock.now());
        await rm(file, { force: true });
        if (error instanceof TakeoutError) return { refused: error.problem };
      }
      throw error;
    }
  };
}
