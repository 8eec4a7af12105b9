import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../core/deps.js';
import * as q from './queries.js';
import { VARIANT_PLAYLIST } from './transcode/ffmpeg-args.js';
import { parseMediaPlaylist } from './transcode/hls-playlist.js';
import type { PartialOutput } from './transcode/run.js';

/**
 * Publishes a first transcode while its one ffmpeg pass runs: every call copies to storage, under the
 * attempt's final prefix, the segments each rendition's EVENT playlist lists and were not copied yet, then
 * the playlist itself (so a playlist never names a segment storage lacks). Once every rendition lists a
 * segment, the master playlist follows and the video row points at the prefix (status still `processing`):
 * the team can watch it within seconds whatever the source's length, the player following the growing
 * playlists. The job's final upload replaces the playlists with VOD ones and marks the video ready.
 *
 * Only for a video that has no playable version yet: a re-transcode keeps serving the previous ladder
 * until the new one is complete.
 */
export function previewPublisher(deps: AppDeps, videoId: string, prefix: string) {
  const sent = new Set<string>();
  let announced = false;
  return {
    /** Whether the row was pointed at the prefix (a failed attempt must then point it away again). */
    get announced() {
      return announced;
    },
    async publish(partial: PartialOutput): Promise<void> {
      let everyRendition = partial.renditions.length > 0;
      for (const { name, folder } of partial.renditions) {
        const dir = path.join(partial.dir, folder);
        const text = await readFile(path.join(dir, VARIANT_PLAYLIST), 'utf8').catch(() => undefined);
        let listed: string[] = [];
        try {
          const playlist = text ? parseMediaPlaylist(text) : undefined;
          if (playlist?.segments.length) listed = [...(playlist.mapUri ? [playlist.mapUri] : []), ...playlist.segments.map((s) => s.uri)];
        } catch {
          // not written yet: the next call will see it
        }
        if (!text || listed.length === 0) {
          everyRendition = false;
          continue;
        }
        for (const file of listed) {
          if (sent.has(`${name}/${file}`) || !/^[a-z0-9_.-]{1,100}$/i.test(file)) continue;
          await deps.storage.putFile(`${prefix}/${name}/${file}`, path.join(dir, file));
          sent.add(`${name}/${file}`);
        }
        await deps.storage.put(`${prefix}/${name}/${VARIANT_PLAYLIST}`, new TextEncoder().encode(text));
      }
      if (everyRendition && !announced) {
        await deps.storage.put(`${prefix}/master.m3u8`, new TextEncoder().encode(partial.master));
        announced = await q.showPreview(deps.db, videoId, prefix);
      }
    },
  };
}
