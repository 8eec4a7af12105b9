import type { AppDeps } from '../core/deps.js';
import { assetPath } from '../core/http/asset-paths.js';
import type { PageEnv } from '../core/http/layout.js';
import { mediaPath, SEGMENT_HASHES_FILE, type VideoWithChannel } from '../videos/index.js';
import { trackerUrls, type P2PSettings } from './config.js';
import { siteDefault } from './queries.js';
import { swarmIdFor } from './swarm.js';
import type { PlayerP2PConfig } from '../web/client/p2p-config.js';

export type { PlayerP2PConfig };

/**
 * The player's P2P part, for a viewer who may watch the video (videos renders player add-ons only then):
 * the switch and the sentence on what it shares, and the settings the script needs. Nothing when P2P is
 * off for the site, no tracker is configured, or the transcode has no hash lists (peers' segments could
 * not be checked).
 */
export async function playerP2P(deps: AppDeps, settings: P2PSettings, hasHashLists: (video: VideoWithChannel) => Promise<boolean>, env: PageEnv, video: VideoWithChannel) {
  const trackers = trackerUrls(settings, deps.config.publicUrl);
  if (!settings.enabled || trackers.length === 0 || video.status !== 'ready' || !(await hasHashLists(video))) return null;
  const config: PlayerP2PConfig = {
    swarmId: swarmIdFor(deps.signingSecret, video),
    trackers,
    stun: settings.stunServers,
    defaultOn: await siteDefault(deps.db),
    hashes: Object.fromEntries(video.renditions.map((r) => [r.name, mediaPath(video, `${r.name}/${SEGMENT_HASHES_FILE}`)])),
    reportUrl: `/api/p2p/videos/${video.short_id}/bytes`,
  };
  const { t } = env;
  return (
    <div class="p2p" data-p2p={JSON.stringify(config)} data-csrf={env.csrfToken} data-p2p-script={assetPath('peers.js')}>
      <label>
        <input type="checkbox" data-p2p-toggle /> {t('p2p.toggle')}
      </label>
      <p class="hint" id="p2p-privacy">{t('p2p.privacy')}</p>
    </div>
  );
}
