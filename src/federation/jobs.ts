import type { AppDeps } from '../core/deps.js';
import type { JobHandler, JobHandlers } from '../core/jobs/index.js';
import type { FederationServices } from './federation.js';
import { FEDIFY_JOB } from './message-queue.js';
import { deliverHandler, DELIVER_JOB, syncVideo, videoSyncHandler, VIDEO_SYNC_JOB } from './outbox.js';
import * as q from './queries.js';
import { deliverToActorHandler, DELIVER_TO_ACTOR_JOB } from './recommend.js';
import { resendPendingFollowsHandler, RESEND_FOLLOWS_JOB } from './follow.js';

/** The safety net: finds videos whose federated state is stale (a missed hook, a scheduled publication). */
export const RECONCILE_JOB = 'federation.reconcile';

/** A Fedify message that takes longer than this is abandoned and retried (a remote that never answers). */
const FEDIFY_MESSAGE_TIMEOUT_MS = 60_000;
const RECONCILE_BATCH = 100;
const INBOX_LOG_DAYS = 90;

/** Rejects when `work` takes longer than `ms`; the work itself is left to finish or fail on its own. */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The `federation.fedify` job: hands one queued message back to Fedify (an incoming activity to process,
 * an activity to deliver to one inbox, a fan-out). The first such job in a process starts Fedify's
 * listener. Fedify retries a failed delivery by enqueuing a new message with a delay (a new job); this job
 * is retried by the queue only when the handler itself fails or times out.
 */
export function fedifyMessageHandler(fed: FederationServices): JobHandler {
  return async ({ job }) => {
    // startQueue never resolves; it registers the listener synchronously, which is all we need.
    if (!fed.queue.listening) void fed.federation.startQueue(undefined);
    await withTimeout(fed.queue.process(job.payload), FEDIFY_MESSAGE_TIMEOUT_MS, 'a federation message');
  };
}

/**
 * The `federation.reconcile` job, recurring (the site schedules its next run before it starts): syncs every video whose federated state differs from the video, and prunes expired cache entries and
 * old inbox log rows.
 */
export function reconcileHandler(deps: AppDeps, fed: FederationServices): JobHandler {
  return async () => {
    const now = deps.clock.now();
    const ids = await q.videosOutOfSync(deps.db, now, RECONCILE_BATCH);
    const outcomes: Record<string, number> = {};
    for (const id of ids) {
      const outcome = await syncVideo(deps, fed, id);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    const pruned = await fed.kv.prune();
    await q.pruneInboxLog(deps.db, new Date(now.getTime() - INBOX_LOG_DAYS * 86_400_000));
    return { synced: ids.length, outcomes, pruned };
  };
}

/** Every federation job type and its handler. */
export function federationJobHandlersFor(deps: AppDeps, fed: FederationServices): JobHandlers {
  return {
    [FEDIFY_JOB]: fedifyMessageHandler(fed),
    [DELIVER_JOB]: deliverHandler(deps, fed),
    [DELIVER_TO_ACTOR_JOB]: deliverToActorHandler(deps, fed),
    [VIDEO_SYNC_JOB]: videoSyncHandler(deps, fed),
    [RECONCILE_JOB]: reconcileHandler(deps, fed),
    [RESEND_FOLLOWS_JOB]: resendPendingFollowsHandler(deps, fed),
  };
}
