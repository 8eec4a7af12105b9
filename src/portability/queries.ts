import type { Queryable } from '../core/db/index.js';
import type { PeerTubeImportReport } from './peertube-import.js';

/** One export asked for in the Studio (migration 042). */
export interface ExportRow {
  id: string;
  channel_id: string;
  requested_by: string | null;
  status: 'queued' | 'ready' | 'expired' | 'failed';
  job_id: string | null;
  storage_key: string | null;
  bytes: string | null;
  error: string | null;
  requested_at: Date;
  ready_at: Date | null;
  expires_at: Date | null;
}

export async function insertExport(db: Queryable, row: { id: string; channelId: string; requestedBy: string; now: Date }): Promise<void> {
  await db.query(`INSERT INTO portability_exports (id, channel_id, requested_by, status, requested_at) VALUES ($1, $2, $3, 'queued', $4)`, [row.id, row.channelId, row.requestedBy, row.now]);
}

export async function setExportJob(db: Queryable, id: string, jobId: number): Promise<void> {
  await db.query('UPDATE portability_exports SET job_id = $2 WHERE id = $1', [id, jobId]);
}

export async function findExport(db: Queryable, id: string): Promise<ExportRow | undefined> {
  return (await db.query<ExportRow>('SELECT * FROM portability_exports WHERE id = $1', [id]))[0];
}

/** The channel's latest exports, newest first. */
export async function listExports(db: Queryable, channelId: string, limit = 10): Promise<ExportRow[]> {
  return db.query<ExportRow>('SELECT * FROM portability_exports WHERE channel_id = $1 ORDER BY requested_at DESC LIMIT $2', [channelId, limit]);
}

export async function hasQueuedExport(db: Queryable, channelId: string): Promise<boolean> {
  return (await db.query("SELECT 1 FROM portability_exports WHERE channel_id = $1 AND status = 'queued'", [channelId])).length > 0;
}

export async function markExportReady(db: Queryable, id: string, done: { key: string; bytes: number; now: Date; expiresAt: Date }): Promise<boolean> {
  const rows = await db.query(
    `UPDATE portability_exports SET status = 'ready', storage_key = $2, bytes = $3, ready_at = $4, expires_at = $5 WHERE id = $1 AND status = 'queued' RETURNING id`,
    [id, done.key, done.bytes, done.now, done.expiresAt],
  );
  return rows.length > 0;
}

export async function markExportFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE portability_exports SET status = 'failed', error = $2 WHERE id = $1 AND status = 'queued'`, [id, error.slice(0, 500)]);
}

/** Ready exports whose link has expired (their archive is to be deleted). */
export async function expiredExports(db: Queryable, now: Date): Promise<ExportRow[]> {
  return db.query<ExportRow>(`SELECT * FROM portability_exports WHERE status = 'ready' AND expires_at <= $1 ORDER BY expires_at LIMIT 500`, [now]);
}

export async function markExportExpired(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE portability_exports SET status = 'expired', storage_key = NULL WHERE id = $1 AND status = 'ready'`, [id]);
}

/** One archive uploaded in the Studio to be imported (migration 042). */
export interface UploadRow {
  id: string;
  requested_by: string | null;
  filename: string;
  bytes: string;
  status: 'queued' | 'done' | 'failed';
  job_id: string | null;
  report: { handle?: string; channelId?: string; alreadyImported?: boolean; counts?: Record<string, number>; files?: number; peertube?: PeerTubeImportReport } | null;
  error_key: string | null;
  error_vars: Record<string, string | number> | null;
  requested_at: Date;
  finished_at: Date | null;
}

export async function insertUpload(db: Queryable, row: { id: string; requestedBy: string; filename: string; bytes: number; now: Date }): Promise<void> {
  await db.query(
    `INSERT INTO portability_uploads (id, requested_by, filename, bytes, status, requested_at) VALUES ($1, $2, $3, $4, 'queued', $5)`,
    [row.id, row.requestedBy, row.filename, row.bytes, row.now],
  );
}

export async function setUploadJob(db: Queryable, id: string, jobId: number): Promise<void> {
  await db.query('UPDATE portability_uploads SET job_id = $2 WHERE id = $1', [id, jobId]);
}

export async function findUpload(db: Queryable, id: string): Promise<UploadRow | undefined> {
  return (await db.query<UploadRow>('SELECT * FROM portability_uploads WHERE id = $1', [id]))[0];
}

export async function listUploads(db: Queryable, limit = 10): Promise<UploadRow[]> {
  return db.query<UploadRow>('SELECT * FROM portability_uploads ORDER BY requested_at DESC LIMIT $1', [limit]);
}

export async function finishUpload(db: Queryable, id: string, end: { status: 'done' | 'failed'; report?: unknown; errorKey?: string; errorVars?: Record<string, unknown>; now: Date }): Promise<void> {
  await db.query(
    `UPDATE portability_uploads SET status = $2, report = $3::jsonb, error_key = $4, error_vars = $5::jsonb, finished_at = $6 WHERE id = $1 AND status = 'queued'`,
    [id, end.status, end.report === undefined ? null : JSON.stringify(end.report), end.errorKey ?? null, end.errorVars === undefined ? null : JSON.stringify(end.errorVars), end.now],
  );
}
