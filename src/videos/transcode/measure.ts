import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { avc1CodecFromInitSegment } from './h264.js';
import { parseMediaPlaylist } from './hls-playlist.js';
import type { Rendition } from './ladder.js';
import { measureBitrates, type Measurements } from './master-playlist.js';

/**
 * Reads each rendition's playlist under `dir/<name>/index.m3u8`, sizes its segments on disk and
 * returns the measured peak/average rates, plus the avc1 codec string from each video init
 * segment. Throws if a playlist is unfinished or a segment or init file is missing, which makes
 * this also the check that ffmpeg produced a complete VOD.
 */
export async function measureRenditions(dir: string, renditions: Rendition[]): Promise<Measurements> {
  const measurements: Measurements = {};
  for (const rendition of renditions) {
    const folder = path.join(dir, rendition.name);
    const playlist = parseMediaPlaylist(await readFile(path.join(folder, 'index.m3u8'), 'utf8'));
    if (!playlist.endList || playlist.segments.length === 0) throw new Error(`${rendition.name}: unfinished playlist`);
    if (!playlist.mapUri) throw new Error(`${rendition.name}: no init segment (#EXT-X-MAP)`);
    const sized = await Promise.all(
      playlist.segments.map(async (s) => ({ duration: s.duration, bytes: (await stat(path.join(folder, s.uri))).size })),
    );
    const init = await readFile(path.join(folder, playlist.mapUri));
    const codec = rendition.kind === 'video' ? avc1CodecFromInitSegment(init) : undefined;
    measurements[rendition.name] = { ...measureBitrates(sized, playlist.targetDuration), ...(codec ? { codec } : {}) };
  }
  return measurements;
}
