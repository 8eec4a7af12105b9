import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { AppDeps } from '../core/deps.js';
import { isUniqueViolation, type Queryable } from '../core/db/index.js';
import { insertAlias } from '../federation/index.js';
import { scheduleChannelRenewals, sitePaymentAccounts } from '../funding/memberships/index.js';
import { ArchiveError } from './errors.js';
import { FORMAT, SCHEMA_VERSION, type ArchiveManifest } from './format.js';
import { planTables, type DeclaringManifest, type TablePlan } from './plan.js';
import { keyReference, quote, type Row } from './rows.js';
import { readSchema, singleKey } from './schema-info.js';
import { importPeerTubeArchive, isPeerTubeArchive, type PeerTubeImportReport } from './peertube-import.js';
import { DEFAULT_LIMITS, digest, openArchive, type ArchiveLimits, type ArchiveReader } from './zip-read.js';

export interface ImportOptions {
  readonly file: string;
  readonly dryRun?: boolean;
  /** The handle the channel takes here (its old one by default). */
  readonly handle?: string;
  readonly limits?: ArchiveLimits;
  /** Called as files are checked, then copied, with how many steps of how many are done (the Studio job's progress). */
  readonly progress?: (done: number, total: number) => void;
  /** For a PeerTube archive: the account that owns its channels here (the Studio's uploader), or its e-mail. */
  readonly ownerId?: string;
  readonly ownerEmail?: string;
}

export interface ImportReport {
  readonly archiveId: string;
  readonly handle: string;
  /** Rows per table found in the archive (and written, unless a dry run or already imported). */
  readonly counts: Record<string, number>;
  readonly files: number;
  readonly bytes: number;
  readonly dryRun: boolean;
  /** The archive had been imported before: nothing was written this time. */
  readonly alreadyImported: boolean;
  readonly channelId?: string;
  /** The channel's address on the old site (for the Move, redirects and "we moved" e-mails). */
  readonly oldActor: string;
  readonly oldChannelId: string;
  /** Set when the archive was a PeerTube export: what became what (peertube-import.ts). */
  readonly peertube?: PeerTubeImportReport;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Recreates a channel from its archive, in stages that each commit whole: the archive is read and every
 * checksum verified before anything is written; then the import is recorded with the new ids it will
 * use; the media files are copied under their new keys; and every row goes in one transaction (which
 * also runs the ledger's own checks at commit). Stopped anywhere, the next run resumes; run again after
 * it finished, it changes nothing.
 */
export async function importArchive(deps: AppDeps, manifests: readonly DeclaringManifest[], options: ImportOptions): Promise<ImportReport> {
  const reader = await openArchive(options.file, options.limits ?? DEFAULT_LIMITS);
  try {
    if (isPeerTubeArchive(reader)) return peertubeReport(await importPeerTubeArchive(deps, reader, options), options.dryRun ?? false);
    const { manifest, manifestSha } = await readManifest(reader);
    const schema = await readSchema(deps.db);
    const { tables } = planTables(schema, manifests);
    const planned = new Set(tables.map((t) => t.name));
    const unknown = Object.entries(manifest.counts).filter(([table, n]) => n > 0 && !planned.has(table));
    if (unknown.length) throw new ArchiveError('incomplete', { detail: unknown.map(([t]) => t).join(', ') });
    // Every checksum before any write: a damaged archive is refused whole.
    const rows = new Map<string, Row[]>();
    const steps = manifest.files.length + manifest.files.filter((f) => f.path.startsWith('files/')).length;
    let step = 0;
    for (const file of manifest.files) {
      options.progress?.(step++, steps);
      const entry = reader.entries.get(file.path);
      if (!entry || entry.size !== file.bytes) throw new ArchiveError('corrupt', { detail: `${file.path} is missing or of the wrong size` });
      if (file.path.startsWith('fanfare/tables/')) {
        const text = await reader.readText(file.path);
        if (sha256(text) !== file.sha256) throw new ArchiveError('checksum', { path: file.path });
        const table = file.path.slice('fanfare/tables/'.length).replace(/\.ndjson$/, '');
        rows.set(table, text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row));
      } else {
        const { sha256: sum } = await digest(await reader.open(file.path));
        if (sum !== file.sha256) throw new ArchiveError('checksum', { path: file.path });
      }
    }
    const listed = new Set(['manifest.json', ...manifest.files.map((f) => f.path)]);
    const extra = [...reader.entries.keys()].find((p) => !listed.has(p));
    if (extra) throw new ArchiveError('corrupt', { detail: `${extra} is not in the manifest` });

    const oldChannel = manifest.source.channel;
    const handle = options.handle ?? oldChannel.handle;
    const counts = Object.fromEntries(tables.map((t) => [t.name, rows.get(t.name)?.length ?? 0]));
    const mediaFiles = manifest.files.filter((f) => f.path.startsWith('files/'));
    const report = {
      archiveId: manifest.archiveId,
      handle,
      counts,
      files: mediaFiles.length,
      bytes: mediaFiles.reduce((sum, f) => sum + f.bytes, 0),
      dryRun: options.dryRun ?? false,
      oldActor: actorOf(manifest),
      oldChannelId: oldChannel.id,
    };

    let record = (await deps.db.query<{ stage: string; id_map: Record<string, string>; channel_id: string | null; manifest_sha256: string }>(
      'SELECT stage, id_map, channel_id, manifest_sha256 FROM portability_imports WHERE archive_id = $1',
      [manifest.archiveId],
    ))[0];
    if (record && record.manifest_sha256 !== manifestSha) throw new ArchiveError('conflict', { detail: 'another archive with the same id was imported' });
    if (record?.stage === 'done') return { ...report, alreadyImported: true, channelId: record.channel_id ?? undefined };
    if (!record && (await deps.db.query('SELECT 1 FROM channels WHERE handle = $1', [handle])).length) throw new ArchiveError('handle_taken', { handle });
    if (options.dryRun) return { ...report, alreadyImported: false };

    // Stage 1: the new ids, chosen once.
    if (!record) {
      const idMap: Record<string, string> = {};
      for (const plan of tables) {
        const key = singleKey(plan.info);
        if (!key || key.type !== 'uuid' || plan.declaration.archiveOnly) continue;
        for (const row of rows.get(plan.name) ?? []) idMap[String(row[key.name])] = randomUUID();
      }
      await deps.db.query(
        `INSERT INTO portability_imports (archive_id, manifest_sha256, source_url, source_handle, stage, id_map) VALUES ($1, $2, $3, $4, 'files', $5::jsonb)`,
        [manifest.archiveId, manifestSha, manifest.source.url, oldChannel.handle, JSON.stringify(idMap)],
      );
      record = { stage: 'files', id_map: idMap, channel_id: null, manifest_sha256: manifestSha };
    }
    const idMap = new Map(Object.entries(record.id_map));
    const rewrite = (value: unknown): unknown => rewriteIds(value, idMap);

    // Stage 2: media under their new keys (copying a file again writes the same bytes).
    if (record.stage === 'files') {
      const scratch = await mkdtemp(path.join(tmpdir(), 'fanfare-import-'));
      try {
        for (const file of mediaFiles) {
          options.progress?.(step++, steps);
          const local = path.join(scratch, 'file');
          const hash = createHash('sha256');
          await pipeline(await reader.open(file.path), new Transform({ transform: (chunk: Buffer, _e, done) => (hash.update(chunk), done(null, chunk)) }), createWriteStream(local));
          if (hash.digest('hex') !== file.sha256) throw new ArchiveError('checksum', { path: file.path });
          await deps.storage.putFile(rewrite(file.path.slice('files/'.length)) as string, local, { move: true });
        }
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      await deps.db.query(`UPDATE portability_imports SET stage = 'rows' WHERE archive_id = $1`, [manifest.archiveId]);
    }

    // Stage 3: every row, in one transaction.
    const channelId = idMap.get(oldChannel.id)!;
    const paymentAccounts = { from: manifest.source.paymentAccounts, here: await sitePaymentAccounts(deps, { strict: true }) };
    try {
      await deps.db.transaction(async (tx) => {
        await insertRows(tx, tables, rows, idMap, { channelId, handle });
        // The new channel says where it came from (`alsoKnownAs`), so the old site's Move is accepted.
        await insertAlias(tx, channelId, actorOf(manifest), deps.clock.now());
        // Its members renew here (the old site's renewal jobs did not travel); those whose saved card is
        // at another payment account than this site's are asked to confirm a method first.
        await scheduleChannelRenewals(deps, tx, channelId, paymentAccounts);
        for (const video of rows.get('videos') ?? []) await deps.events.publish(tx, 'video.changed', { videoId: idMap.get(String(video.id))!, what: 'metadata' } as never);
        await tx.query(`UPDATE portability_imports SET stage = 'done', channel_id = $2, counts = $3::jsonb, finished_at = now() WHERE archive_id = $1`, [manifest.archiveId, channelId, JSON.stringify(counts)]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ArchiveError('conflict', { detail: (error as { constraint?: string }).constraint ?? 'unique' }, { cause: error });
      throw error;
    }
    return { ...report, alreadyImported: false, channelId };
  } finally {
    reader.close();
  }
}

/** A PeerTube import told as an archive import (the CLI's and the Studio's report), with its details. */
function peertubeReport(report: PeerTubeImportReport, dryRun: boolean): ImportReport {
  const first = report.channels[0]!;
  const counts = {
    channels: report.channels.filter((c) => !c.alreadyHere).length,
    videos: report.videos.imported,
    video_captions: report.captions.imported,
    community_comments: report.comments.imported,
    peertube_followers: report.followers.kept,
  };
  return {
    archiveId: `peertube:${first.url}`,
    handle: first.handle,
    counts,
    files: report.files,
    bytes: report.bytes,
    dryRun,
    alreadyImported: !dryRun && Object.values(counts).every((n) => n === 0),
    channelId: first.channelId,
    oldActor: first.url,
    oldChannelId: '',
    peertube: report,
  };
}

async function readManifest(reader: ArchiveReader): Promise<{ manifest: ArchiveManifest; manifestSha: string }> {
  if (!reader.entries.has('manifest.json')) throw new ArchiveError('not_an_archive', { detail: 'no manifest.json' });
  const text = await reader.readText('manifest.json', 512 * 1024 ** 2);
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(text) as ArchiveManifest;
  } catch {
    throw new ArchiveError('not_an_archive', { detail: 'manifest.json is not JSON' });
  }
  if (manifest?.format !== FORMAT) throw new ArchiveError('not_an_archive', { detail: `format ${String(manifest?.format)}` });
  if (manifest.schemaVersion !== SCHEMA_VERSION) throw new ArchiveError('version', { found: String(manifest.schemaVersion), expected: SCHEMA_VERSION });
  if (typeof manifest.archiveId !== 'string' || !/^[0-9a-f-]{36}$/.test(manifest.archiveId) || !Array.isArray(manifest.files) || typeof manifest.counts !== 'object' || !manifest.source?.channel?.id) {
    throw new ArchiveError('not_an_archive', { detail: 'manifest.json lacks required fields' });
  }
  return { manifest, manifestSha: sha256(text) };
}

/** Every old uuid inside a value (a key, a storage key, a ledger account code, JSON) replaced by its new one. */
function rewriteIds(value: unknown, idMap: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return value.replace(UUID, (id) => idMap.get(id) ?? id);
  if (Array.isArray(value)) return value.map((v) => rewriteIds(v, idMap));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteIds(v, idMap)]));
  return value;
}

/** Inserts the archive's rows, parents first, with new keys and every reference rewritten to them. */
async function insertRows(tx: Queryable, tables: readonly TablePlan[], rows: Map<string, Row[]>, idMap: Map<string, string>, target: { channelId: string; handle: string }): Promise<void> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  /** Old → new values of identity keys, by table. */
  const identities = new Map<string, Map<string, unknown>>();
  for (const plan of tables) {
    if (plan.declaration.archiveOnly) continue;
    const { info, declaration } = plan;
    const key = singleKey(info);
    const identityKey = key?.identity ? key.name : undefined;
    const columns = info.columns.filter((c) => !c.generated && c.name !== identityKey).map((c) => c.name);
    const prepared: { row: Row; source: Row; old: unknown }[] = [];
    const matched = declaration.match?.length ? await existingByMatch(tx, plan, declaration.match, (rows.get(plan.name) ?? []).map((r) => rewriteIds(r, idMap) as Row)) : undefined;
    for (const original of rows.get(plan.name) ?? []) {
      const row = rewriteIds(original, idMap) as Row;
      for (const fk of info.foreignKeys) {
        const parent = byName.get(fk.refTable);
        const ref = keyReference(fk, parent?.info ?? undefined);
        const travels = parent && !parent.declaration.archiveOnly;
        if (travels && ref && singleKey(parent.info)?.identity) {
          const value = row[ref.column];
          if (value !== null && value !== undefined) row[ref.column] = identities.get(parent.name)?.get(String(value)) ?? null;
        } else if (!travels) {
          // A reference to something that stays behind (a transcode job): dropped where the column allows it.
          for (const column of fk.columns) if (info.columns.find((c) => c.name === column)!.nullable) row[column] = null;
        }
      }
      Object.assign(row, declaration.importAs ?? {});
      if (plan.name === 'channels' && idMap.get(String(original.id)) === target.channelId) row.handle = target.handle;
      if (declaration.match?.length) {
        const hit = matched!.get(JSON.stringify(declaration.match.map((c) => row[c])));
        const found = hit === undefined ? undefined : { key: hit };
        if (found) {
          if (key!.type === 'uuid') idMap.set(String(original[key!.name]), String(found.key));
          else identities.set(plan.name, (identities.get(plan.name) ?? new Map()).set(String(original[key!.name]), found.key));
          continue;
        }
      }
      prepared.push({ row, source: original, old: key ? original[key.name] : undefined });
    }
    if (identityKey) {
      const map = identities.get(plan.name) ?? new Map<string, unknown>();
      identities.set(plan.name, map);
      for (const { row, source, old } of prepared) {
        // References to rows of the same table (a refund's payment) are earlier rows: mapped by now.
        for (const fk of info.foreignKeys.filter((f) => f.refTable === plan.name)) {
          const ref = keyReference(fk, info);
          if (ref && source[ref.column] !== null && source[ref.column] !== undefined) row[ref.column] = map.get(String(source[ref.column])) ?? null;
        }
        const inserted = await tx.query<{ key: unknown }>(
          `INSERT INTO ${quote(plan.name)} (${columns.map(quote).join(', ')}) SELECT ${columns.map(quote).join(', ')} FROM jsonb_populate_record(NULL::${quote(plan.name)}, $1::jsonb) RETURNING ${quote(identityKey)} AS key`,
          [JSON.stringify(row)],
        );
        map.set(String(old), inserted[0]!.key);
      }
    } else {
      for (let i = 0; i < prepared.length; i += 500) {
        const batch = prepared.slice(i, i + 500).map((p) => p.row);
        await tx.query(
          `INSERT INTO ${quote(plan.name)} (${columns.map(quote).join(', ')}) SELECT ${columns.map(quote).join(', ')} FROM jsonb_populate_recordset(NULL::${quote(plan.name)}, $1::jsonb)`,
          [JSON.stringify(batch)],
        );
      }
    }
  }
}

/** Keys of the rows already here equal to archive rows on the natural key `match`, by that key's JSON (one query per table). */
async function existingByMatch(tx: Queryable, plan: TablePlan, match: readonly string[], rows: readonly Row[]): Promise<Map<string, unknown>> {
  const keyColumn = singleKey(plan.info)!.name;
  const found = await tx.query<{ key: unknown; match: unknown[] }>(
    `SELECT t.${quote(keyColumn)} AS key, jsonb_build_array(${match.map((c) => `t.${quote(c)}`).join(', ')}) AS match
       FROM ${quote(plan.name)} t JOIN jsonb_populate_recordset(NULL::${quote(plan.name)}, $1::jsonb) r ON ${match.map((c) => `r.${quote(c)} = t.${quote(c)}`).join(' AND ')}`,
    [JSON.stringify(rows.map((r) => Object.fromEntries(match.map((c) => [c, r[c]]))))],
  );
  return new Map(found.map((f) => [JSON.stringify(f.match), f.key]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The old channel's ActivityPub actor id. Archives written before it was recorded exactly named the
 * channel page (`/c/handle`), whose actor is `/ap/c/handle`.
 */
function actorOf(manifest: ArchiveManifest): string {
  const { url, channel } = manifest.source;
  return channel.actor === `${url}/c/${channel.handle}` ? `${url}/ap/c/${channel.handle}` : channel.actor;
}
