import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';
import type { AppDeps } from '../core/deps.js';
import { sitePaymentAccounts } from '../funding/memberships/index.js';
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

  // Level 1: only the tables and JSON files are deflated (media is stored), and the fastest level keeps the
  // export close to pg_dump + tar (bench:export); level 6 made the archive 0.2 % smaller for twice the time.
  const archive = archiver('zip', { zlib: { level: 1 } });
  const output = createWriteStream(options.out);
  archive.pipe(output);
  const failed = new Promise<never>((_, reject) => {
    archive.on('error', reject);
    output.on('error', reject);
  });
  const files: ManifestFile[] = [];
  // The ZIP takes entries in the order they were appended; each 'entry' event resolves the oldest waiter.
  const waiting: (() => void)[] = [];
  archive.on('entry', () => waiting.shift()?.());
  const taken = () => new Promise<void>((resolve) => waiting.push(resolve));
  let queued: Promise<void>[] = [];
  /**
   * Adds one entry, hashing it on the way. A whole file in memory is queued without waiting (at most
   * PREFETCH of them); a stream is waited for until the ZIP has taken it, so memory stays bounded.
   */
  const add = async (path: string, body: Readable | Buffer): Promise<void> => {
    // Media is stored as is (video and images are compressed already; deflating them costs CPU for nothing).
    const store = path.startsWith('files/');
    if (Buffer.isBuffer(body)) {
      queued.push(taken());
      archive.append(body, { name: path, store });
      files.push({ path, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
      if (queued.length >= PREFETCH) await drain();
      return;
    }
    await drain();
    const hash = createHash('sha256');
    let bytes = 0;
    const through = new PassThrough();
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    body.on('error', (error) => through.destroy(error));
    body.pipe(through);
    const done = taken();
    archive.append(through, { name: path, store });
    await Promise.race([done, failed]);
    files.push({ path, bytes, sha256: hash.digest('hex') });
  };
  const drain = async () => {
    const all = queued;
    queued = [];
    await Promise.race([Promise.all(all), failed]);
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
  // Storage is read ahead of the ZIP, PREFETCH files at a time: small files (posters, captions, HLS
  // segments) whole, larger ones opened as streams. Memory stays bounded by PREFETCH × SMALL_FILE.
  let fileBytes = 0;
  let next = 0;
  const ahead: Promise<{ key: string; size: number; body: Readable | Buffer } | undefined>[] = [];
  const fill = () => {
    while (ahead.length < PREFETCH && next < allKeys.length) {
      const read = readStored(deps, allKeys[next++]!);
      read.catch(() => undefined); // awaited in turn below; a failure after an earlier one is not unhandled
      ahead.push(read);
    }
  };
  for (let done = 1; done <= allKeys.length; done++) {
    fill();
    const stored = await ahead.shift()!;
    fill();
    if (stored) {
      await add(`files/${stored.key}`, stored.body);
      fileBytes += stored.size;
    }
    options.progress?.(done, allKeys.length);
  }

  for (const [path, json] of peertubeFiles(deps.config.publicUrl, rows)) await add(path, Buffer.from(JSON.stringify(json, null, 2), 'utf8'));
  await drain();

  const archiveId = randomUUID();
  const manifest: ArchiveManifest = {
    format: FORMAT,
    schemaVersion: SCHEMA_VERSION,
    archiveId,
    exportedAt: deps.clock.now().toISOString(),
    source: { url: deps.config.publicUrl, channel: { id: channel.id, handle: options.handle, actor: `${deps.config.publicUrl}/ap/c/${options.handle}` }, paymentAccounts: await sitePaymentAccounts(deps) },
    counts,
    files,
  };
  archive.append(JSON.stringify(manifest, null, 2), { name: 'manifest.json' });
  await Promise.race([archive.finalize(), failed]);
  await finished(output);
  return { archiveId, counts, files: allKeys.length, bytes: fileBytes };
}

const PREFETCH = 16;
const SMALL_FILE = 1024 ** 2;

/** One stored file, read whole when small, else as a stream; undefined when it is gone. */
async function readStored(deps: AppDeps, key: string): Promise<{ key: string; size: number; body: Readable | Buffer } | undefined> {
  const local = deps.storage.localPath?.(key);
  if (local) {
    // On this machine's disk: one stat and one read, without web streams in between.
    const info = await stat(local).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!info) return undefined;
    return { key, size: info.size, body: info.size <= SMALL_FILE ? await readFile(local) : createReadStream(local) };
  }
  const stored = await deps.storage.get(key);
  if (!stored) return undefined;
  const body = Readable.fromWeb(stored.body as import('node:stream/web').ReadableStream<Uint8Array>);
  if (stored.size > SMALL_FILE) return { key, size: stored.size, body };
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return { key, size: stored.size, body: Buffer.concat(chunks) };
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
