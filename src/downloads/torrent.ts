import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { MediaStorage } from '../core/storage/index.js';
import { bencode, type Bencodable } from './bencode.js';

/** One file of a torrent: its path inside the torrent and where its bytes are stored. */
export interface TorrentFile {
  /** Path components inside the torrent ("booklet.pdf", or ["extras", "photo.jpg"]). */
  path: string[];
  /** Media storage key of the bytes. */
  key: string;
  length: number;
}

/** A built info dictionary: its bencoded bytes (what the info hash is taken of) and its hash. */
export interface TorrentInfo {
  info: Buffer;
  /** SHA-1 of `info`, lower-case hex (BEP 3 v1 info hash). */
  infoHash: string;
  pieceLength: number;
  totalLength: number;
}

const MIN_PIECE = 256 * 1024;
const MAX_PIECE = 16 * 1024 * 1024;

/**
 * The piece length for `total` bytes: a power of two giving about 1,000 to 2,000 pieces, between
 * 256 KiB and 16 MiB (what clients expect; fewer pieces keep the .torrent small, more let peers share sooner).
 */
export function pieceLengthFor(total: number): number {
  let piece = MIN_PIECE;
  while (piece < MAX_PIECE && total / piece > 2000) piece *= 2;
  return piece;
}

/**
 * Hashes a stream of bytes into SHA-1 pieces of `pieceLength`, across file boundaries as BEP 3 wants
 * (the files are one byte string). Holds one piece in memory at most, whatever the total size.
 */
export class PieceHasher {
  private readonly piece: Buffer;
  private filled = 0;
  private readonly hashes: Buffer[] = [];

  constructor(readonly pieceLength: number) {
    this.piece = Buffer.allocUnsafe(pieceLength);
  }

  update(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.pieceLength - this.filled, chunk.length - offset);
      if (this.filled === 0 && take === this.pieceLength) {
        // A whole piece inside the chunk: hash it where it is, no copy.
        this.hashes.push(createHash('sha1').update(chunk.subarray(offset, offset + take)).digest());
      } else {
        this.piece.set(chunk.subarray(offset, offset + take), this.filled);
        this.filled += take;
        if (this.filled === this.pieceLength) this.flush();
      }
      offset += take;
    }
  }

  /** The concatenated 20-byte hashes, the last (short) piece included. */
  digest(): Buffer {
    if (this.filled > 0) this.flush();
    return Buffer.concat(this.hashes);
  }

  private flush(): void {
    this.hashes.push(createHash('sha1').update(this.piece.subarray(0, this.filled)).digest());
    this.filled = 0;
  }
}

// Big reads: hashing is bound by I/O and SHA-1, and each read costs a system call and a callback.
const READ_CHUNK = 4 * 1024 * 1024;

async function* storedBytes(storage: MediaStorage, key: string): AsyncGenerator<Uint8Array> {
  const local = storage.localPath?.(key);
  if (local) {
    for await (const chunk of createReadStream(local, { highWaterMark: READ_CHUNK })) yield chunk as Buffer;
    return;
  }
  const file = await storage.get(key);
  if (!file) throw new Error(`torrent: ${key} is missing from storage`);
  for await (const chunk of file.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
}

/**
 * Builds a BEP 3 v1 info dictionary for `files` read from media storage, streaming: one piece in
 * memory at a time. One file gives a single-file torrent named `name`; several give a folder `name`
 * holding them. Throws when a stored file's size is not the length given (it changed under us).
 */
export async function buildTorrentInfo(storage: MediaStorage, name: string, files: TorrentFile[], options: { private?: boolean } = {}): Promise<TorrentInfo> {
  if (files.length === 0) throw new Error('torrent: no files');
  const totalLength = files.reduce((sum, f) => sum + f.length, 0);
  const pieceLength = pieceLengthFor(totalLength);
  const hasher = new PieceHasher(pieceLength);
  for (const file of files) {
    let read = 0;
    for await (const chunk of storedBytes(storage, file.key)) {
      read += chunk.length;
      hasher.update(chunk);
    }
    if (read !== file.length) throw new Error(`torrent: ${file.key} has ${read} bytes, expected ${file.length}`);
  }
  const dict: Record<string, Bencodable | undefined> = { name, 'piece length': pieceLength, pieces: hasher.digest(), private: options.private ? 1 : undefined };
  if (files.length === 1 && files[0]!.path.length === 1 && files[0]!.path[0] === name) dict['length'] = files[0]!.length;
  else dict['files'] = files.map((f) => ({ length: f.length, path: f.path }));
  const info = bencode(dict);
  return { info, infoHash: createHash('sha1').update(info).digest('hex'), pieceLength, totalLength };
}

/** Options of {@link torrentFile}. */
export interface TorrentFileOptions {
  /** BEP 19 web seeds: for a single-file torrent the file's URL; for a folder, a URL ending in `/`. */
  webSeeds: string[];
  /** Tracker announce URLs; none by default (no public tracker: fans' addresses are theirs). */
  trackers?: string[];
  comment?: string;
  createdBy?: string;
  creationDate?: Date;
}

/**
 * The .torrent file for a built info dictionary: the info bytes exactly as hashed, plus what lies
 * outside them (web seeds, trackers), so torrents with different url-lists share one info hash and swarm.
 */
export function torrentFile(info: Buffer, options: TorrentFileOptions): Buffer {
  const trackers = options.trackers ?? [];
  const outer = bencode({
    announce: trackers[0],
    'announce-list': trackers.length > 1 ? trackers.map((t) => [t]) : undefined,
    comment: options.comment,
    'created by': options.createdBy,
    'creation date': options.creationDate ? Math.floor(options.creationDate.getTime() / 1000) : undefined,
    'url-list': options.webSeeds,
    // A placeholder replaced by the info bytes: re-encoding a decoded dict could change the hash.
    info: '\u0000',
  });
  const placeholder = Buffer.from('4:info1:\u0000');
  const at = outer.indexOf(placeholder);
  return Buffer.concat([outer.subarray(0, at), Buffer.from('4:info'), info, outer.subarray(at + placeholder.length)]);
}

/** A magnet URI (BEP 9) with the display name, exact length, web seeds (`ws=`) and trackers (`tr=`). */
export function magnetUri(infoHash: string, name: string, length: number, webSeeds: string[], trackers: string[] = []): string {
  const params = [`xt=urn:btih:${infoHash}`, `dn=${encodeURIComponent(name)}`, `xl=${length}`];
  for (const ws of webSeeds) params.push(`ws=${encodeURIComponent(ws)}`);
  for (const tr of trackers) params.push(`tr=${encodeURIComponent(tr)}`);
  return `magnet:?${params.join('&')}`;
}
