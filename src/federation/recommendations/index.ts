/**
 * Recommendations across sites: a channel recommends videos from other sites (shown on a shelf and
 * listed in `/.well-known/recommendations.json`), and keeps a list of who recommends its own videos.
 * See CONTEXT.md for the words of this domain.
 */
import { defineCapability, oncePerSite } from '../../core/module.js';
import { en, fr } from './messages.js';
import { channelRecommendationShelf, recommendationPublicRoutes, videoRecommendationShelf } from './public-routes.js';
import { recommendationStudioRoutes, type RecommendationStudioOptions } from './studio-routes.js';

export { recommendationStudioRoutes, type RecommendationStudioOptions } from './studio-routes.js';
export { channelRecommendationShelf, recommendationPublicRoutes, videoRecommendationShelf, type WellKnownRecommendation } from './public-routes.js';
export { RecommendationShelf } from './shelf.js';
export {
  addRecommendation,
  listRecommendations,
  recordIncomingRecommendation,
  removeIncomingRecommendation,
  removeRecommendation,
  type IncomingRecommendation,
  type RecommendationAddedHook,
  type RecommendationHooks,
  type RecommendationRemovedHook,
  type RecommendationRow,
} from './service.js';
export { resolveVideo, type FetchSettings, type ResolveOptions } from './resolve.js';
export { safeFetch, SafeFetchError, type FetchFailure, type SafeFetchOptions, type SafeResponse } from './safe-fetch.js';
export { classifyAddress, isPublicAddress, type AddressClass } from './addresses.js';
export { ResolveError, type ResolveFailure, type VideoSnapshot } from './snapshot.js';

declare module '../../core/module.js' {
  interface SiteServices {
    /** Resolver limits and the hooks told of each added or removed recommendation (federation announces them). */
    recommendations?: RecommendationStudioOptions;
  }
}

const publicRoutes = oncePerSite((ctx) => recommendationPublicRoutes(ctx.deps));

export const recommendationsCapability = defineCapability({
  name: 'recommendations',
  messages: { en, fr },
  routes: [
    { area: 'api', path: '/', build: (ctx) => publicRoutes(ctx).api },
    { area: 'media', path: '/', build: (ctx) => publicRoutes(ctx).media },
    { area: 'studio', path: '/studio', build: (ctx) => recommendationStudioRoutes(ctx.deps, ctx.services.recommendations ?? {}) },
  ],
  contributes: {
    'watch.below-player': (ctx) => (env, video) => videoRecommendationShelf(ctx.deps, env, video),
    'channel.sections': (ctx) => (env, channel) => channelRecommendationShelf(ctx.deps, env, channel),
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/recommendations`, label: 'recommendations.studio_link', role: 'admin', order: 80 }],
  },
  tables: {
    recommendations: { export: 'rows', scope: 'channel', note: 'with the thumbnail copies under recommendations/ in storage', files: ['thumbnail_key'] },
    recommended_by: { export: 'rows', scope: 'channel' },
  },
});
