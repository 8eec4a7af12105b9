import type { Federation } from '@fedify/fedify';
import { countChannels } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { countListedVideos } from '../videos/index.js';

/** The version announced in NodeInfo (package.json's). */
const SOFTWARE_VERSION = '0.1.0';

/**
 * NodeInfo 2.1 at `/nodeinfo/2.1` (linked from `/.well-known/nodeinfo`): what instance directories and
 * other servers read to know what this site runs. Counts are of channels, publicly listed videos, and
 * comments written on this site (as the capabilities that hold comments count them).
 */
export function registerNodeInfo(federation: Federation<void>, deps: AppDeps, localComments: () => Promise<number> = async () => 0): void {
  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const counts = { channels: await countChannels(deps.db), videos: await countListedVideos(deps.db, deps.clock.now()) };
    return {
      software: { name: 'fanfare', version: SOFTWARE_VERSION },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: counts.channels }, localPosts: counts.videos, localComments: await localComments() },
    };
  });
}
