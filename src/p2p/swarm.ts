import { hmac } from '../core/crypto.js';
import type { MediaStorage } from '../core/storage/index.js';
import { SEGMENT_HASHES_FILE, type VideoRow } from '../videos/index.js';

/**
 * The swarm identifier of a video's current transcode: an HMAC of its id and storage prefix under the
 * site's signing secret. Peers meet only by knowing it, and only the player of a viewer who may watch the
 * video is given it, so nobody derives the swarm of a members-only or early-access video from its
 * public address. A new transcode (new segments) is a new swarm.
 */
export function swarmIdFor(secret: string, video: Pick<VideoRow, 'id' | 'hls_prefix'>): string {
  return hmac(secret, `p2p-swarm:${video.id}:${video.hls_prefix ?? ''}`).slice(0, 32);
}

/**
 * Answers whether every rendition of a transcode has its hash list in storage (videos' transcode writes
 * them beside each playlist; transcodes made before it have none and play over HTTP only). A prefix's
 * files never change, so the answer is remembered per prefix (a bounded map).
 */
export function hashListChecker(storage: MediaStorage, max = 5000): (video: Pick<VideoRow, 'hls_prefix' | 'renditions'>) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (video) => {
    const prefix = video.hls_prefix;
    if (!prefix || video.renditions.length === 0) return Promise.resolve(false);
    let answer = known.get(prefix);
    if (!answer) {
      answer = Promise.all(video.renditions.map((r) => storage.stat(`${prefix}/${r.name}/${SEGMENT_HASHES_FILE}`))).then(
        (stats) => stats.every(Boolean),
        () => false,
      );
      if (known.size >= max) known.delete(known.keys().next().value!);
      known.set(prefix, answer);
    }
    return answer;
  };
}
