/**
 * Recommendations across sites: a channel recommends videos from other sites (shown on a shelf and
 * listed in `/.well-known/recommendations.json`), and keeps a list of who recommends its own videos.
 * See CONTEXT.md for the words of this domain.
 */
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
export { allowPrivateAddressesFromEnv, safeFetch, SafeFetchError, type FetchFailure, type SafeFetchOptions, type SafeResponse } from './safe-fetch.js';
export { classifyAddress, isPublicAddress, type AddressClass } from './addresses.js';
export { ResolveError, type ResolveFailure, type VideoSnapshot } from './snapshot.js';
