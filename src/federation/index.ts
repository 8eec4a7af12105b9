/**
 * Federation: each channel is an ActivityPub `Group` (as on PeerTube), the site owner a `Person`. Built on
 * Fedify, with its key-value store and message queue on our database (federation_kv, the jobs table).
 * The words used are in CONTEXT.md. What the rest of the site wires in:
 *
 * - app.ts: `federationRoutes` at `/` (before the page routes), `federationStudioRoutes` at `/studio`,
 *   and `FEDERATION_CSRF_EXEMPT_PREFIXES` added to the CSRF middleware's `exemptPrefixes`.
 * - job-handlers.ts: `federationJobHandlers`.
 * - services.ts: `recommendationFederationHooks` as `AppServices.recommendations` (Announce/Undo of recommendations).
 * - videos: `onVideoChanged` after a video is published, edited, deleted, or finishes transcoding.
 *   (A reconcile job also catches up every few minutes, so a missed call delays federation, never loses it.)
 */
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import type { JobHandlers } from '../core/jobs/index.js';
import type { FederationServices } from './federation.js';
import { federationJobHandlersFor, scheduleReconcile } from './jobs.js';
import { requestVideoSync } from './outbox.js';

export { createFederationServices, federationServices, type FederationServices } from './federation.js';
export { federationRoutes, FEDERATION_CSRF_EXEMPT_PREFIXES, MAX_INBOX_BYTES } from './routes.js';
export { federationStudioRoutes } from './studio-routes.js';
export { followRemoteActor, unfollowRemoteActor } from './follow.js';
export { syncVideo } from './outbox.js';
export { recommendationFederationHooks } from './recommend.js';

/**
 * Job handlers of federation (Fedify's queue messages, deliveries, video syncs, the reconcile job). Called
 * once per worker process; it also makes sure the reconcile chain is scheduled.
 */
export function federationJobHandlers(deps: AppDeps, fed: FederationServices): JobHandlers {
  scheduleReconcile(deps, fed).catch((err: unknown) => deps.log.warn({ err }, 'federation: could not schedule the reconcile job'));
  return federationJobHandlersFor(deps, fed);
}

/**
 * Call after a video was published, edited (metadata, thumbnail, captions), deleted, or finished
 * transcoding: followers get Create, Update or Delete as fits (see syncVideo). Cheap (it enqueues a job);
 * pass the caller's transaction as `q` to commit it with the change.
 */
export function onVideoChanged(deps: AppDeps, videoId: string, q: Queryable = deps.db): Promise<void> {
  return requestVideoSync(deps, videoId, q);
}
