import { parseSemVer, type Federation } from '@fedify/fedify';
import type { AppDeps } from '../core/deps.js';

/** The version announced in NodeInfo (package.json's). */
const SOFTWARE_VERSION = '0.1.0';

/**
 * NodeInfo 2.1 at `/nodeinfo/2.1` (linked from `/.well-known/nodeinfo`): what instance directories and
 * other servers read to know what this site runs. Counts are of channels and publicly listed videos.
 */
export function registerNodeInfo(federation: Federation<void>, deps: AppDeps): void {
  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const rows = await deps.db.query<{ channels: number; videos: number }>(
      `SELECT (SELECT count(*)::int FROM channels) AS channels,
              (SELECT count(*)::int FROM videos WHERE status = 'ready' AND visibility = 'public'
                 AND (publish_at IS NULL OR publish_at <= $1)) AS videos`,
      [deps.clock.now()],
    );
    const counts = rows[0]!;
    return {
      software: { name: 'fanfare', version: parseSemVer(SOFTWARE_VERSION) },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: counts.channels }, localPosts: counts.videos, localComments: 0 },
    };
  });
}
