import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VARIANT_PLAYLIST } from './ffmpeg-args.js';

/** The hash list of a rendition, beside its playlist (PeerTube's name): `<rendition>/segments-sha256.json`. */
export const SEGMENT_HASHES_FILE = 'segments-sha256.json';

/** A rendition's hash list: the lowercase hex SHA-256 of each file its playlist names (init segment included). */
export type SegmentHashes = Record<string, string>;

/** The files a media playlist names: its `#EXT-X-MAP` init segment and every segment line, in order. */
export function playlistFiles(playlist: string): string[] {
  const files: string[] = [];
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map) files.push(map[1]!);
    else if (line && !line.startsWith('#')) files.push(line);
  }
  return files;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes `segments-sha256.json` beside each rendition's playlist in a finished transcode folder, before
 * it is uploaded: players taking segments from other viewers (P2P) check each one against it. Called once
 * the whole ladder is written, so a hash list in storage means every segment it names is there too.
 */
export async function writeSegmentHashes(outputDir: string, renditionNames: readonly string[]): Promise<void> {
  for (const name of renditionNames) {
    const folder = path.join(outputDir, name);
    const files = playlistFiles(await readFile(path.join(folder, VARIANT_PLAYLIST), 'utf8'));
    const hashes: SegmentHashes = {};
    for (const file of files) hashes[file] = await sha256File(path.join(folder, file));
    await writeFile(path.join(folder, SEGMENT_HASHES_FILE), `${JSON.stringify(hashes)}\n`);
  }
}
