import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';
import type { AppDeps } from '../core/deps.js';
import { ArchiveError } from './errors.js';
import { FORMAT, SCHEMA_VERSION, type ArchiveManifest, type ManifestFile } from './format.js';
import { peertubeFiles } from './peertube-export.js';
import { planTables, type DeclaringManifest } from './plan.js';
import { selectChannelRows, type Row } from './rows.js';
import { readSchema } from './schema-info.js';

export interface ExportOptions {
  readonly handle: string;
  /** Where the ZIP is written. */
  readonly out: string;
  /** Called after each file with how many of them are done (the Studio job's progress). */
  readonly progress?: (done: number, total: number) => void;
}

export interface ExportResult {
  readonly archiveId: string;
  readonly counts: Record<string, number>;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes one channel's archive: `fanfare/tables/<table>.ndjson` (every row of every table the
 * manifests declare as `rows`), `files/<storage key>` (media), PeerTube's `peertube/*.json` and
 * `activity-pub/outbox.json` where its layout overlaps, and `manifest.json` last with counts and the
 * SHA-256 of every file. Files are streamed one at a time into the ZIP: memory does not grow with
 * their size.
 */
export async function exportChannel(deps: AppDeps, manifests: readonly DeclaringManifest[], options: ExportOptions): Promise<ExportResult> {
  const channel = (await deps.db.query<{ id: string }>('SELECT id FROM channels WHERE handle = $1', [options.handle]))[0];
  if (!channel) throw new ArchiveError('unknown_channel', { handle: options.handle });
  const schema = await readSchema(deps.db);
  const { tables } = planTables(schema, manifests);
  const rows = await selectChannelRows(deps.db, tables, channel.id);

  const archive = archiver('zip', { zlib: { level: 6 } });
  const output = createWriteStream(options.out);
  archive.pipe(output);
  const failed = new Promise<never>((_, reject) => {
    archive.on('error', reject);
    output.on('error', reject);
  });
  const files: ManifestFile[] = [];
  /** Adds one entry and waits until the ZIP has taken it, hashing it on the way. */
  const add = async (path: string, body: Readable | Buffer): Promise<void> => {
    const hash = createHash('sha256');
    let bytes = 0;
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    const through = new PassThrough();
    source.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    source.on('error', (error) => through.destroy(error));
    source.pipe(through);
    const taken = new Promise<void>((resolve) => archive.once('entry', () => resolve()));
    // Media is stored as is (video and images are compressed already; deflating them costs CPU for nothing).
    archive.append(through, { name: path, store: path.startsWith('files/') });
    await Promise.race([taken, failed]);
    files.push({ path, bytes, sha256: hash.digest('hex') });
  };

  const counts: Record<string, number> = {};
  for (const plan of tables) {
    const list = rows.get(plan.name)!;
    counts[plan.name] = list.length;
    await add(`fanfare/tables/${plan.name}.ndjson`, Buffer.from(list.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8'));
  }

  const keys = storageKeys(tables, rows);
  const folderKeys = await listFolders(deps, tables, rows);
  const allKeys = [...new Set([...keys, ...folderKeys])].sort();
  let done = 0;
  let fileBytes = 0;
  for (const key of allKeys) {
    const stored = await deps.storage.get(key);
    done++;
    if (!stored) continue;
    await add(`files/${key}`, Readable.fromWeb(stored.body as import('node:stream/web').ReadableStream<Uint8Array>));
    fileBytes += stored.size;
    options.progress?.(done, allKeys.length);
  }

  for (const [path, json] of peertubeFiles(deps.config.publicUrl, rows)) await add(path, Buffer.from(JSON.stringify(json, null, 2), 'utf8'));

  const archiveId = randomUUID();
  const manifest: ArchiveManifest = {
    format: FORMAT,
    schemaVersion: SCHEMA_VERSION,
    archiveId,
    exportedAt: deps.clock.now().toISOString(),
    source: { url: deps.config.publicUrl, channel: { id: channel.id, handle: options.handle, actor: `${deps.config.publicUrl}/ap/c/${options.handle}` } },
    counts,
    files,
  };
  archive.append(JSON.stringify(manifest, null, 2), { name: 'manifest.json' });
  await Promise.race([archive.finalize(), failed]);
  await finished(output);
  return { archiveId, counts, files: allKeys.length, bytes: fileBytes };
}

/** Every storage key the rows name in their declared `files` columns. */
function storageKeys(tables: readonly { name: string; declaration: { files?: readonly string[] } }[], rows: Map<string, Row[]>): string[] {
  const keys: string[] = [];
  for (const plan of tables) {
    for (const column of plan.declaration.files ?? []) for (const row of rows.get(plan.name)!) if (typeof row[column] === 'string' && row[column]) keys.push(row[column] as string);
  }
  return keys;
}

/** Every file under the rows' declared `folders` (HLS ladders), when storage is on this machine's disk. */
async function listFolders(deps: AppDeps, tables: readonly { name: string; declaration: { folders?: readonly string[] } }[], rows: Map<string, Row[]>): Promise<string[]> {
  const localPath = deps.storage.localPath?.bind(deps.storage);
  if (!localPath) return [];
  const { listFiles } = await import('../core/storage/list-files.js');
  const keys: string[] = [];
  for (const plan of tables) {
    for (const column of plan.declaration.folders ?? []) {
      for (const row of rows.get(plan.name)!) {
        const prefix = row[column];
        if (typeof prefix !== 'string' || !prefix) continue;
        try {
          for (const file of await listFiles(localPath(prefix))) keys.push(`${prefix}/${file}`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  }
  return keys;
}
