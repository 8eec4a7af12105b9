import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation, type Queryable } from '../../core/db/index.js';
import type { AppDeps } from '../../core/deps.js';
import { NotFoundError, ValidationError } from '../../core/http/errors.js';
import type { MessageKey } from '../../core/i18n/index.js';
import * as q from './queries.js';
import { resolveVideo, type ResolveOptions } from './resolve.js';
import { cleanText, LIMITS, ResolveError, type ResolveFailure, type VideoSnapshot } from './snapshot.js';
import { downloadThumbnail } from './thumbnails.js';

export type { PublicRecommendationRow, RecommendationRow, RecommendedByRow } from './queries.js';

/** Most videos one channel may recommend: the shelf is a selection, not a feed. */
export const MAX_RECOMMENDATIONS_PER_CHANNEL = 100;

/**
 * Called once a channel's recommendation is saved (after the row is committed). The federation
 * capability passes one that sends an ActivityPub `Announce` of `recommendation.url`; it should
 * queue a job rather than deliver inline, since the creator's page waits for it. A hook that throws
 * is logged and does not undo the recommendation.
 */
export type RecommendationAddedHook = (channelId: string, recommendation: q.RecommendationRow) => void | Promise<void>;

/** Called once a recommendation is removed (for an `Undo` of the `Announce`); same rules as the added hook. */
export type RecommendationRemovedHook = (channelId: string, recommendation: q.RecommendationRow) => void | Promise<void>;

/** The hooks, defaulting to doing nothing. */
export interface RecommendationHooks {
  onRecommendationAdded?: RecommendationAddedHook;
  onRecommendationRemoved?: RecommendationRemovedHook;
}

/** The message shown under the address field for each reason a link could not be recommended. */
export const RESOLVE_FAILURE_MESSAGES: Record<ResolveFailure, MessageKey> = {
  invalid_url: 'recommendations.url_invalid',
  scheme: 'recommendations.url_scheme',
  refused_address: 'recommendations.refused_address',
  dns: 'recommendations.dns',
  unreachable: 'recommendations.unreachable',
  timeout: 'recommendations.timeout',
  too_large: 'recommendations.too_large',
  too_many_redirects: 'recommendations.too_many_redirects',
  http_status: 'recommendations.http_status',
  not_video: 'recommendations.not_video',
};

async function runHook(deps: AppDeps, name: string, hook: (() => void | Promise<void>) | undefined): Promise<void> {
  if (!hook) return;
  try {
    await hook();
  } catch (error) {
    deps.log.error({ err: error, hook: name }, 'recommendation hook failed');
  }
}

/** Stores the thumbnail (when there is one), then runs `work`; if `work` fails the file is removed again. */
async function withThumbnail<T>(deps: AppDeps, id: string, snapshot: VideoSnapshot, resolve: ResolveOptions, work: (key: string | null) => Promise<T>): Promise<T> {
  const copy = snapshot.thumbnailUrl ? await downloadThumbnail(snapshot.thumbnailUrl, resolve.fetch) : undefined;
  const key = copy ? `recommendations/${id}.${copy.extension}` : null;
  if (copy && key) await deps.storage.put(key, copy.bytes);
  try {
    return await work(key);
  } catch (error) {
    if (key) await deps.storage.delete(key);
    throw error;
  }
}

/**
 * Recommends the video at `url` on the channel: resolves it (ActivityPub, oEmbed, Open Graph), copies
 * its thumbnail, stores the snapshot with the creator's note at the end of the shelf, then runs the
 * added hook. Every way this can fail for a reason the creator can act on (bad or private address,
 * site unreachable or slow, page too large or not a video, already recommended, shelf full) is a
 * `ValidationError` on the `url` field; nothing here becomes a 500.
 */
export async function addRecommendation(
  deps: AppDeps,
  channelId: string,
  input: { url: string; note: string },
  options: { resolve?: ResolveOptions; hooks?: RecommendationHooks } = {},
): Promise<q.RecommendationRow> {
  if ((await q.countRecommendations(deps.db, channelId)) >= MAX_RECOMMENDATIONS_PER_CHANNEL) throw new ValidationError({ url: 'recommendations.limit' });
  let snapshot: VideoSnapshot;
  try {
    snapshot = await resolveVideo(input.url, options.resolve);
  } catch (error) {
    if (!(error instanceof ResolveError)) throw error;
    deps.log.info({ url: input.url, reason: error.reason, detail: error.cause instanceof Error ? error.cause.message : undefined }, 'recommendation not resolved');
    throw new ValidationError({ url: RESOLVE_FAILURE_MESSAGES[error.reason] });
  }
  if (await q.findRecommendationByUrl(deps.db, channelId, snapshot.url)) throw new ValidationError({ url: 'recommendations.duplicate' });
  const id = randomUUID();
  const row = await withThumbnail(deps, id, snapshot, options.resolve ?? {}, async (thumbnailKey) => {
    try {
      return await q.insertRecommendation(deps.db, {
        id,
        channel_id: channelId,
        url: snapshot.url,
        title: snapshot.title,
        thumbnail_key: thumbnailKey,
        author_name: snapshot.authorName ?? null,
        author_url: snapshot.authorUrl ?? null,
        site_name: snapshot.siteName ?? null,
        source: snapshot.source,
        note: input.note,
        object_id: snapshot.objectId ?? null,
        object_actor: snapshot.objectActor ?? null,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'recommendations_channel_url_key')) throw new ValidationError({ url: 'recommendations.duplicate' });
      throw error;
    }
  });
  await runHook(deps, 'onRecommendationAdded', options.hooks?.onRecommendationAdded && (() => options.hooks!.onRecommendationAdded!(channelId, row)));
  return row;
}

/** Removes one of the channel's recommendations and its thumbnail copy; 404 when it is not the channel's. */
export async function removeRecommendation(deps: AppDeps, channelId: string, id: string, hooks: RecommendationHooks = {}): Promise<void> {
  const row = z.uuid().safeParse(id).success ? await q.deleteRecommendation(deps.db, channelId, id) : undefined;
  if (!row) throw new NotFoundError();
  if (row.thumbnail_key) await deps.storage.delete(row.thumbnail_key);
  await runHook(deps, 'onRecommendationRemoved', hooks.onRecommendationRemoved && (() => hooks.onRecommendationRemoved!(channelId, row)));
}

/** The channel's shelf, in order. */
export function listRecommendations(db: Queryable, channelId: string, limit?: number): Promise<q.RecommendationRow[]> {
  return q.listRecommendations(db, channelId, limit);
}

/** Every channel's recommendations, for `/.well-known/recommendations.json`. */
export function listAllRecommendations(db: Queryable): Promise<q.PublicRecommendationRow[]> {
  return q.listAllRecommendations(db);
}

/** Who recommends the channel's videos, newest first. */
export function listRecommendedBy(db: Queryable, channelId: string): Promise<q.RecommendedByRow[]> {
  return q.listRecommendedBy(db, channelId);
}

const httpUrl = z
  .string()
  .max(LIMITS.url)
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v));

const incomingSchema = z.object({
  channelId: z.uuid(),
  videoId: z.uuid().nullish(),
  objectUrl: httpUrl,
  actorUrl: httpUrl,
  actorName: z.string().nullish(),
  profileUrl: httpUrl.nullish().catch(null),
  activityId: httpUrl.nullish().catch(null),
  receivedAt: z.date().optional(),
});

/** An incoming recommendation of one of our videos, as the federation capability read it from an `Announce`. */
export type IncomingRecommendation = z.input<typeof incomingSchema>;

/**
 * Records that a remote actor recommends one of our videos (`videoId`) or the channel itself. For the
 * federation capability, on a verified incoming `Announce` whose object is ours: the caller has
 * checked the signature and mapped the object to `channelId`/`videoId`. The data is still treated
 * as untrusted: URLs must be http(s), the name is cleaned and cut to 200 characters, a bad profile
 * URL or activity id is dropped. Idempotent: the same actor and object give one row (a redelivered
 * Announce only refreshes the name). Throws ZodError on a missing or malformed id or URL.
 */
export async function recordIncomingRecommendation(db: Queryable, input: IncomingRecommendation): Promise<{ id: string; created: boolean }> {
  const r = incomingSchema.parse(input);
  const actorName = cleanText(r.actorName, LIMITS.name) ?? null;
  try {
    return await q.upsertRecommendedBy(db, {
      channelId: r.channelId,
      videoId: r.videoId ?? null,
      objectUrl: r.objectUrl,
      actorUrl: r.actorUrl,
      actorName,
      profileUrl: r.profileUrl ?? null,
      activityId: r.activityId ?? null,
      createdAt: r.receivedAt ?? new Date(),
    });
  } catch (error) {
    // The same Announce id reused for another object: keep the first, ignore the copy.
    if (isUniqueViolation(error, 'recommended_by_activity')) return { id: '', created: false };
    throw error;
  }
}

/**
 * Forgets a remote actor's recommendation (on an `Undo` of the `Announce`), found by the object or the
 * Announce's id; only rows of that actor are touched. Returns how many rows were removed (0 or 1).
 */
export function removeIncomingRecommendation(db: Queryable, input: { actorUrl: string; objectUrl?: string; activityId?: string }): Promise<number> {
  return q.deleteRecommendedBy(db, input.actorUrl, input);
}
