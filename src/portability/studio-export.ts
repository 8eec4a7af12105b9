/**
 * The Studio's export button: a durable job builds the archive with the same code as `fanfare export`,
 * stores it, and e-mails whoever asked a signed link that works until the archive expires; an hourly job
 * deletes expired archives. The link is signed (HMAC of the export id and its expiry) and is served only
 * to the channel's admins, so a forwarded e-mail alone opens nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { contactsOf } from '../accounts/index.js';
import { findChannelById } from '../channels/index.js';
import { configSection } from '../core/config.js';
import { hmac, safeEqual } from '../core/crypto.js';
import type { AppDeps } from '../core/deps.js';
import { AppError } from '../core/http/errors.js';
import { translator, type Locale } from '../core/i18n/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import type { CapabilityManifest } from '../core/module.js';
import { portabilityConfig } from './config.js';
import { exportChannel } from './export.js';
import * as q from './queries.js';

export const EXPORT_JOB = 'portability.export';
export const EXPORT_MAIL_JOB = 'portability.export-mail';
export const EXPIRE_EXPORTS_JOB = 'portability.expire-exports';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The signature of an export's download link: the export and the second its link stops working. */
export function exportSignature(secret: string, exportId: string, expires: number): string {
  return hmac(secret, `portability-export:${exportId}:${expires}`);
}

/** The download link (path and query) of a ready export. */
export function exportLink(secret: string, handle: string, row: Pick<q.ExportRow, 'id' | 'expires_at'>): string {
  const expires = Math.floor(row.expires_at!.getTime() / 1000);
  return `/studio/channels/${handle}/exports/${row.id}/archive.zip?expires=${expires}&sig=${exportSignature(secret, row.id, expires)}`;
}

/**
 * Whether a download link may be served now: a bad or missing signature is refused (403), an expired
 * link or archive is gone (410), an export that is not ready does not exist (404).
 */
export function checkExportLink(secret: string, row: q.ExportRow | undefined, query: { expires?: string; sig?: string }, now: Date): q.ExportRow {
  const expires = Number(query.expires);
  if (!Number.isSafeInteger(expires) || !query.sig || !row || !safeEqual(query.sig, exportSignature(secret, row.id, expires))) {
    throw new AppError(403, 'bad_signature', 'portability.link_invalid');
  }
  if (expires * 1000 <= now.getTime() || row.status === 'expired' || (row.expires_at && row.expires_at.getTime() <= now.getTime())) {
    throw new AppError(410, 'expired', 'portability.link_expired');
  }
  if (row.status !== 'ready' || !row.storage_key) throw new AppError(404, 'not_found', 'error.not_found');
  return row;
}

/** Records an export and queues its job, in one transaction. Refused while one is already being built. */
export async function requestExport(deps: AppDeps, channelId: string, userId: string): Promise<string> {
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    if (await q.hasQueuedExport(tx, channelId)) throw new AppError(409, 'export_running', 'portability.export_running');
    await q.insertExport(tx, { id, channelId, requestedBy: userId, now: deps.clock.now() });
    const { job } = await enqueue(tx, { type: EXPORT_JOB, payload: { exportId: id }, dedupeKey: `portability-export:${id}`, maxAttempts: 3 }, deps.clock);
    await q.setExportJob(tx, id, job.id);
  });
  return id;
}

/** Builds one export's archive (progress on the job), stores it and queues the e-mail. */
export function exportJobHandler(deps: AppDeps, modules: readonly CapabilityManifest[]): JobHandler {
  const keepDays = () => configSection(deps.config, portabilityConfig).exportKeepDays;
  return async ({ job, reportProgress }) => {
    const exportId = (job.payload as { exportId?: unknown } | null)?.exportId;
    if (typeof exportId !== 'string') throw new PermanentJobError('malformed export job');
    const row = await q.findExport(deps.db, exportId);
    if (!row || row.status !== 'queued') return { skipped: row?.status ?? 'gone' };
    const channel = await findChannelById(deps.db, row.channel_id);
    if (!channel) throw new PermanentJobError('the channel is gone');
    const folder = path.join(deps.config.dataDir, 'exports');
    await mkdir(folder, { recursive: true });
    const out = path.join(folder, `${exportId}.zip`);
    const key = `exports/${row.channel_id}/${exportId}.zip`;
    try {
      await exportChannel(deps, modules, { handle: channel.handle, out, progress: (done, total) => void reportProgress(Math.floor((done * 99) / Math.max(1, total))) });
      const { size } = await stat(out);
      await deps.storage.putFile(key, out, { move: true });
      const now = deps.clock.now();
      await deps.db.transaction(async (tx) => {
        if (!(await q.markExportReady(tx, exportId, { key, bytes: size, now, expiresAt: new Date(now.getTime() + keepDays() * 86_400_000) }))) return;
        await enqueue(tx, { type: EXPORT_MAIL_JOB, payload: { exportId }, dedupeKey: `portability-export-mail:${exportId}`, maxAttempts: 10 }, deps.clock);
      });
      await reportProgress(100);
      return { exportId, bytes: size };
    } catch (error) {
      if (job.attempts >= job.maxAttempts || error instanceof PermanentJobError) await q.markExportFailed(deps.db, exportId, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      await rm(out, { force: true });
    }
  };
}

/** E-mails the signed link of a ready export to whoever asked for it, in their language. */
export function exportMailHandler(deps: AppDeps): JobHandler {
  const host = new URL(deps.config.publicUrl).hostname;
  return async ({ job }) => {
    const exportId = (job.payload as { exportId?: unknown } | null)?.exportId;
    if (typeof exportId !== 'string') throw new PermanentJobError('malformed export e-mail');
    const row = await q.findExport(deps.db, exportId);
    if (!row || row.status !== 'ready' || !row.requested_by) return { skipped: true };
    const [contact] = await contactsOf(deps.db, [row.requested_by]);
    const channel = await findChannelById(deps.db, row.channel_id);
    if (!contact || !channel) return { skipped: true };
    const language: Locale = contact.language === 'fr' ? 'fr' : 'en';
    const t = translator(language);
    const url = `${deps.config.publicUrl}${exportLink(deps.signingSecret, channel.handle, row)}`;
    const vars = { channel: channel.name, date: row.expires_at!.toISOString().slice(0, 10) };
    const subject = t('portability.export_mail_subject', vars);
    const text = t('portability.export_mail_text', vars);
    await deps.mailer.send({
      to: contact.email,
      subject,
      text: `${text}\n\n${url}\n`,
      html:
        `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;max-width:40em;margin:auto"><h1>${escapeHtml(subject)}</h1>` +
        `<p>${escapeHtml(text)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t('portability.export_download'))}</a></p></body></html>`,
      messageId: `<export.${exportId}@${host}>`,
    });
    return { sent: contact.email };
  };
}

/** Deletes the archives whose link has expired (hourly). */
export function expireExportsHandler(deps: AppDeps): JobHandler {
  return async () => {
    const rows = await q.expiredExports(deps.db, deps.clock.now());
    for (const row of rows) {
      if (row.storage_key) await deps.storage.delete(row.storage_key);
      await q.markExportExpired(deps.db, row.id);
    }
    return { expired: rows.length };
  };
}
