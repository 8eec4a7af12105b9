/**
 * P2P: viewers of the same video send each other its HLS segments over WebRTC (p2p-media-loader with
 * hls.js in the player), found through a WebSocket tracker mounted on the site's own port. Every segment
 * from a peer is checked against the rendition's SHA-256 hash list (written by videos' transcode) and
 * refused, then fetched from the site, when it does not match. The swarm identifier is derived with the
 * site secret and given only to viewers who may watch the video. Fans switch it in the player; the
 * creator sets the default and sees per video the bytes served by peers in the Studio. See CONTEXT.md.
 */
import { configSection } from '../core/config.js';
import { defineCapability, oncePerSite, type BuildContext } from '../core/module.js';
import { p2pConfig } from './config.js';
import { en, fr } from './messages.js';
import { playerP2P } from './player-addon.js';
import { p2pRoutes } from './routes.js';
import { hashListChecker } from './swarm.js';
import { attachTracker, type AttachedTracker, type UpgradeSource } from './tracker.js';

export { p2pConfig, trackerUrls, type P2PSettings } from './config.js';
export { swarmIdFor } from './swarm.js';
export type { PlayerP2PConfig } from './player-addon.js';

/**
 * Mounts the WebSocket tracker on the site's HTTP server (the web process calls this once it has one),
 * unless P2P or its embedded tracker is off.
 */
export function attachP2PTracker(ctx: BuildContext, server: UpgradeSource): AttachedTracker | undefined {
  const settings = configSection(ctx.deps.config, p2pConfig);
  if (!settings.enabled || !settings.embeddedTracker) return undefined;
  return attachTracker(server, {
    path: settings.trackerPath,
    origin: new URL(ctx.deps.config.publicUrl).origin,
    trustProxy: ctx.deps.config.trustProxy,
    onWarning: (err) => ctx.deps.log.debug({ err }, 'P2P tracker warning'),
  });
}

const routes = oncePerSite((ctx) => p2pRoutes(ctx.deps, ctx.services.viewers));
const hashLists = oncePerSite((ctx) => hashListChecker(ctx.deps.storage));

export const p2pCapability = defineCapability({
  name: 'p2p',
  messages: { en, fr },
  config: p2pConfig,
  routes: [
    { area: 'api', path: '/', build: (ctx) => routes(ctx).api },
    { area: 'studio', path: '/studio', build: (ctx) => routes(ctx).studio },
  ],
  contributes: {
    'videos.player-addons': (ctx) => (env, video) => playerP2P(ctx.deps, configSection(ctx.deps.config, p2pConfig), hashLists(ctx), env, video),
    'studio.site-menu': () => [{ href: '/studio/p2p', label: 'p2p.studio_link' }],
    // Players announce to the trackers from the page: the CSP must let them.
    'site.connect-sources': (ctx) => () => {
      const settings = configSection(ctx.deps.config, p2pConfig);
      return settings.enabled ? settings.trackers.map((url) => new URL(url).origin) : [];
    },
  },
  tables: {
    p2p_settings: { export: 'rows', scope: 'site' },
    p2p_video_bytes: { export: 'none', why: 'viewers’ byte counters of this site’s own serving; they start again at zero on a new site' },
  },
});
