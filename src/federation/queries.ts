import type { Queryable } from '../core/db/index.js';
import { listedVideoCondition } from '../videos/index.js';

// ---- followers (remote actors following a local channel) ----

export interface FollowerRow {
  actor_uri: string;
  inbox_uri: string;
  shared_inbox_uri: string | null;
}

/** Records a follow (or refreshes its inboxes); true when the actor was not following the channel before. */
export async function upsertFollower(
  db: Queryable,
  f: { channelId: string; actorUri: string; inboxUri: string; sharedInboxUri: string | null; followActivityUri: string | null },
): Promise<boolean> {
  const rows = await db.query<{ inserted: boolean }>(
    `INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri, shared_inbox_uri, follow_activity_uri)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (channel_id, actor_uri) DO UPDATE SET inbox_uri = EXCLUDED.inbox_uri,
       shared_inbox_uri = EXCLUDED.shared_inbox_uri, follow_activity_uri = EXCLUDED.follow_activity_uri
     RETURNING (xmax = 0) AS inserted`,
    [f.channelId, f.actorUri, f.inboxUri, f.sharedInboxUri, f.followActivityUri],
  );
  return rows[0]?.inserted === true;
}

/** Removes a follow; with `followActivityUri` only the follow made by that activity. Returns the channels it left. */
export async function deleteFollower(db: Queryable, actorUri: string, where: { channelId?: string; followActivityUri?: string }): Promise<string[]> {
  const rows = await db.query<{ channel_id: string }>(
    `DELETE FROM federation_followers WHERE actor_uri = $1
       AND ($2::uuid IS NULL OR channel_id = $2) AND ($3::text IS NULL OR follow_activity_uri = $3)
     RETURNING channel_id`,
    [actorUri, where.channelId ?? null, where.followActivityUri ?? null],
  );
  return rows.map((r) => r.channel_id);
}

export async function listFollowers(db: Queryable, channelId: string, limit = 10_000): Promise<FollowerRow[]> {
  return db.query<FollowerRow>(
    'SELECT actor_uri, inbox_uri, shared_inbox_uri FROM federation_followers WHERE channel_id = $1 ORDER BY created_at, actor_uri LIMIT $2',
    [channelId, limit],
  );
}

export async function countFollowers(db: Queryable, channelId: string): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM federation_followers WHERE channel_id = $1', [channelId]);
  return rows[0]!.n;
}

/** Where to deliver to every follower of a channel: shared inboxes once, personal inboxes otherwise. */
export async function followerInboxes(db: Queryable, channelId: string): Promise<string[]> {
  const rows = await db.query<{ inbox: string }>(
    'SELECT DISTINCT COALESCE(shared_inbox_uri, inbox_uri) AS inbox FROM federation_followers WHERE channel_id = $1 ORDER BY 1',
    [channelId],
  );
  return rows.map((r) => r.inbox);
}

// ---- followers of the instance actor (servers following the whole site, issue 10 D15) ----

/** Records a follow of the instance actor (or refreshes its inboxes). */
export async function upsertInstanceFollower(db: Queryable, f: { actorUri: string; inboxUri: string; sharedInboxUri: string | null; followActivityUri: string | null }): Promise<void> {
  await db.query(
    `INSERT INTO federation_instance_followers (actor_uri, inbox_uri, shared_inbox_uri, follow_activity_uri) VALUES ($1, $2, $3, $4)
     ON CONFLICT (actor_uri) DO UPDATE SET inbox_uri = EXCLUDED.inbox_uri, shared_inbox_uri = EXCLUDED.shared_inbox_uri, follow_activity_uri = EXCLUDED.follow_activity_uri`,
    [f.actorUri, f.inboxUri, f.sharedInboxUri, f.followActivityUri],
  );
}

/** Removes a follow of the instance actor; with `followActivityUri` only the follow made by that activity. */
export async function deleteInstanceFollower(db: Queryable, actorUri: string, followActivityUri?: string): Promise<void> {
  await db.query('DELETE FROM federation_instance_followers WHERE actor_uri = $1 AND ($2::text IS NULL OR follow_activity_uri = $2)', [actorUri, followActivityUri ?? null]);
}

export async function listInstanceFollowers(db: Queryable, limit = 10_000): Promise<FollowerRow[]> {
  return db.query<FollowerRow>('SELECT actor_uri, inbox_uri, shared_inbox_uri FROM federation_instance_followers ORDER BY created_at, actor_uri LIMIT $1', [limit]);
}

/** Where to deliver a channel's video activities: its followers' and the instance actor's followers' inboxes, each once. */
export async function videoAudienceInboxes(db: Queryable, channelId: string): Promise<string[]> {
  const rows = await db.query<{ inbox: string }>(
    `SELECT COALESCE(shared_inbox_uri, inbox_uri) AS inbox FROM federation_followers WHERE channel_id = $1
     UNION SELECT COALESCE(shared_inbox_uri, inbox_uri) FROM federation_instance_followers ORDER BY 1`,
    [channelId],
  );
  return rows.map((r) => r.inbox);
}

/** The inboxes of the servers following the instance actor, each once. */
export async function instanceAudienceInboxes(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ inbox: string }>('SELECT DISTINCT COALESCE(shared_inbox_uri, inbox_uri) AS inbox FROM federation_instance_followers ORDER BY 1');
  return rows.map((r) => r.inbox);
}

// ---- deliveries other servers refused (issue 10 D6) ----

export interface RefusedDeliveryRow {
  inbox: string;
  activity_type: string;
  error: string;
  at: Date;
}

/**
 * The channel's latest deliveries that failed for good (a 4xx answer, or every attempt spent): what the
 * other server refused, shown on the channel's fediverse page instead of being logged as sent.
 */
export async function listRefusedDeliveries(db: Queryable, channelId: string, limit = 20): Promise<RefusedDeliveryRow[]> {
  return db.query<RefusedDeliveryRow>(
    `SELECT payload->>'inbox' AS inbox, COALESCE(payload->'activity'->>'type', '') AS activity_type, COALESCE(last_error, '') AS error, updated_at AS at
       FROM jobs WHERE type IN ('federation.deliver', 'federation.deliver-to-actor') AND status = 'failed' AND payload->>'channelId' = $1
      ORDER BY updated_at DESC, id DESC LIMIT $2`,
    [channelId, limit],
  );
}

// ---- following (a local channel following a remote actor) ----

export interface FollowingRow {
  channel_id: string;
  actor_uri: string;
  inbox_uri: string;
  shared_inbox_uri: string | null;
  follow_activity_uri: string;
  status: 'pending' | 'accepted';
}

const FOLLOWING_COLUMNS = 'channel_id, actor_uri, inbox_uri, shared_inbox_uri, follow_activity_uri, status';

export async function upsertFollowing(
  db: Queryable,
  f: { channelId: string; actorUri: string; inboxUri: string; sharedInboxUri: string | null; followActivityUri: string },
): Promise<FollowingRow> {
  const rows = await db.query<FollowingRow>(
    `INSERT INTO federation_following (channel_id, actor_uri, inbox_uri, shared_inbox_uri, follow_activity_uri)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (channel_id, actor_uri) DO UPDATE SET inbox_uri = EXCLUDED.inbox_uri, shared_inbox_uri = EXCLUDED.shared_inbox_uri
     RETURNING ${FOLLOWING_COLUMNS}`,
    [f.channelId, f.actorUri, f.inboxUri, f.sharedInboxUri, f.followActivityUri],
  );
  return rows[0]!;
}

export async function findFollowing(db: Queryable, channelId: string, actorUri: string): Promise<FollowingRow | undefined> {
  const rows = await db.query<FollowingRow>(`SELECT ${FOLLOWING_COLUMNS} FROM federation_following WHERE channel_id = $1 AND actor_uri = $2`, [channelId, actorUri]);
  return rows[0];
}

export async function listFollowing(db: Queryable, channelId: string): Promise<FollowingRow[]> {
  return db.query<FollowingRow>(`SELECT ${FOLLOWING_COLUMNS} FROM federation_following WHERE channel_id = $1 ORDER BY created_at`, [channelId]);
}

/** Marks our Follow accepted when the followed actor itself answers. */
export async function acceptFollowing(db: Queryable, followActivityUri: string, actorUri: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE federation_following SET status = 'accepted', accepted_at = COALESCE(accepted_at, $3)
     WHERE follow_activity_uri = $1 AND actor_uri = $2 RETURNING actor_uri`,
    [followActivityUri, actorUri, at],
  );
  return rows.length > 0;
}

export async function deleteFollowing(db: Queryable, where: { channelId?: string; actorUri: string; followActivityUri?: string }): Promise<number> {
  const rows = await db.query(
    `DELETE FROM federation_following WHERE actor_uri = $1
       AND ($2::uuid IS NULL OR channel_id = $2) AND ($3::text IS NULL OR follow_activity_uri = $3)
     RETURNING actor_uri`,
    [where.actorUri, where.channelId ?? null, where.followActivityUri ?? null],
  );
  return rows.length;
}

/** Follows still waiting for their Accept, asked before `before`. */
export async function pendingFollowingBefore(db: Queryable, before: Date, limit = 500): Promise<FollowingRow[]> {
  return db.query<FollowingRow>(
    `SELECT ${FOLLOWING_COLUMNS} FROM federation_following WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
    [before, limit],
  );
}

/** True when some local channel follows (or asked to follow) this actor. */
export async function isFollowedLocally(db: Queryable, actorUri: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM federation_following WHERE actor_uri = $1 LIMIT 1', [actorUri]);
  return rows.length > 0;
}

// ---- reactions (likes and shares of local videos) ----

export type ReactionKind = 'like' | 'announce';

export async function insertReaction(db: Queryable, r: { videoId: string; actorUri: string; kind: ReactionKind; activityUri: string }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO federation_reactions (video_id, actor_uri, kind, activity_uri) VALUES ($1, $2, $3, $4)
     ON CONFLICT (video_id, kind, actor_uri) DO NOTHING RETURNING video_id`,
    [r.videoId, r.actorUri, r.kind, r.activityUri],
  );
  return rows.length > 0;
}

/** Removes a reaction by the activity that made it, or by what it was about. */
export async function deleteReaction(db: Queryable, actorUri: string, where: { activityUri?: string; videoId?: string; kind?: ReactionKind }): Promise<number> {
  const rows = await db.query(
    `DELETE FROM federation_reactions WHERE actor_uri = $1
       AND (($2::text IS NOT NULL AND activity_uri = $2) OR ($3::uuid IS NOT NULL AND video_id = $3 AND kind = $4))
     RETURNING video_id`,
    [actorUri, where.activityUri ?? null, where.videoId ?? null, where.kind ?? null],
  );
  return rows.length;
}

export async function countReactions(db: Queryable, videoId: string): Promise<{ likes: number; shares: number }> {
  const rows = await db.query<{ likes: number; shares: number }>(
    `SELECT count(*) FILTER (WHERE kind = 'like')::int AS likes, count(*) FILTER (WHERE kind = 'announce')::int AS shares
       FROM federation_reactions WHERE video_id = $1`,
    [videoId],
  );
  return rows[0]!;
}

// ---- comments (replies from the fediverse, held for moderation) ----

export interface CommentRow {
  note_uri: string;
  /** What it replies to: one of the channel's videos, or one of its public posts (their Articles). */
  video_id: string | null;
  post_id: string | null;
  /** The video's title (null for a reply to a post). */
  video_title: string | null;
  actor_uri: string;
  url: string | null;
  content_html: string;
  status: 'held' | 'approved' | 'rejected';
  received_at: Date;
}

export async function upsertComment(
  db: Queryable,
  c: { noteUri: string; subject: { videoId: string; channelId: string } | { postId: string; channelId: string }; actorUri: string; url: string | null; contentHtml: string; publishedAt: Date | null },
): Promise<void> {
  const [videoId, postId] = 'videoId' in c.subject ? [c.subject.videoId, null] : [null, c.subject.postId];
  const channelId = c.subject.channelId;
  // An edit by its author updates the text; only the author's own note can be changed (actor_uri matches).
  await db.query(
    `INSERT INTO federation_comments (note_uri, video_id, post_id, channel_id, actor_uri, url, content_html, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (note_uri) DO UPDATE SET content_html = EXCLUDED.content_html, url = EXCLUDED.url, updated_at = now()
       WHERE federation_comments.actor_uri = EXCLUDED.actor_uri`,
    [c.noteUri, videoId, postId, channelId, c.actorUri, c.url, c.contentHtml, c.publishedAt],
  );
}

export async function deleteComment(db: Queryable, noteUri: string, actorUri: string): Promise<number> {
  const rows = await db.query('DELETE FROM federation_comments WHERE note_uri = $1 AND actor_uri = $2 RETURNING note_uri', [noteUri, actorUri]);
  return rows.length;
}

export async function countApprovedComments(db: Queryable, videoId: string): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM federation_comments WHERE video_id = $1 AND status = 'approved'", [videoId]);
  return rows[0]!.n;
}

export async function listComments(db: Queryable, channelId: string, status: CommentRow['status'], limit = 200): Promise<CommentRow[]> {
  return db.query<CommentRow>(
    `SELECT c.note_uri, c.video_id, c.post_id, v.title AS video_title, c.actor_uri, c.url, c.content_html, c.status, c.received_at
       FROM federation_comments c LEFT JOIN videos v ON v.id = c.video_id
      WHERE COALESCE(v.channel_id, c.channel_id) = $1 AND c.status = $2 ORDER BY c.received_at DESC LIMIT $3`,
    [channelId, status, limit],
  );
}

/** The approved replies to a video, oldest first (the community's comment thread shows them). */
export async function approvedCommentsForVideo(db: Queryable, videoId: string, limit = 500): Promise<Omit<CommentRow, 'video_title'>[]> {
  return db.query<Omit<CommentRow, 'video_title'>>(
    `SELECT note_uri, video_id, post_id, actor_uri, url, content_html, status, COALESCE(published_at, received_at) AS received_at
       FROM federation_comments WHERE video_id = $1 AND status = 'approved' ORDER BY COALESCE(published_at, received_at) LIMIT $2`,
    [videoId, limit],
  );
}

/** The approved replies to a post's Article, oldest first. */
export async function approvedCommentsForPost(db: Queryable, postId: string, limit = 500): Promise<Omit<CommentRow, 'video_title'>[]> {
  return db.query<Omit<CommentRow, 'video_title'>>(
    `SELECT note_uri, video_id, post_id, actor_uri, url, content_html, status, COALESCE(published_at, received_at) AS received_at
       FROM federation_comments WHERE post_id = $1 AND status = 'approved' ORDER BY COALESCE(published_at, received_at) LIMIT $2`,
    [postId, limit],
  );
}

/** Replies name their channel (since migration 045); one stored without it is the channel's through its video. */
const OF_CHANNEL = `(c.channel_id = $1 OR EXISTS (SELECT 1 FROM videos v WHERE v.id = c.video_id AND v.channel_id = $1))`;

/** Approves or rejects a held reply to one of the channel's videos; false when there is no such held reply. */
export async function decideComment(db: Queryable, channelId: string, noteUri: string, decision: 'approved' | 'rejected'): Promise<boolean> {
  const rows = await db.query(
    `UPDATE federation_comments c SET status = $3, updated_at = now()
      WHERE ${OF_CHANNEL} AND c.note_uri = $2 AND c.status = 'held' RETURNING c.note_uri`,
    [channelId, noteUri, decision],
  );
  return rows.length > 0;
}

// ---- remote videos ("from the fediverse") ----

export interface RemoteVideoRow {
  object_uri: string;
  actor_uri: string;
  name: string;
  watch_url: string | null;
  thumbnail_url: string | null;
  duration_seconds: number | null;
  published_at: Date | null;
}

export async function upsertRemoteVideo(
  db: Queryable,
  v: { objectUri: string; actorUri: string; name: string; watchUrl: string | null; thumbnailUrl: string | null; durationSeconds: number | null; publishedAt: Date | null; updatedAt: Date | null; object: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO federation_remote_videos (object_uri, actor_uri, name, watch_url, thumbnail_url, duration_seconds, published_at, remote_updated_at, object)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
     ON CONFLICT (object_uri) DO UPDATE SET name = EXCLUDED.name, watch_url = EXCLUDED.watch_url, thumbnail_url = EXCLUDED.thumbnail_url,
       duration_seconds = EXCLUDED.duration_seconds, published_at = EXCLUDED.published_at, remote_updated_at = EXCLUDED.remote_updated_at,
       object = EXCLUDED.object
     WHERE federation_remote_videos.actor_uri = EXCLUDED.actor_uri`,
    [v.objectUri, v.actorUri, v.name, v.watchUrl, v.thumbnailUrl, v.durationSeconds, v.publishedAt, v.updatedAt, JSON.stringify(v.object)],
  );
}

/**
 * Deletes a remote video when `actorUri` sent it or is among its `attributedTo` (PeerTube and Fanfare send a
 * video's Delete from the account owning the channel, its Create from the account or the channel).
 */
export async function deleteRemoteVideo(db: Queryable, objectUri: string, actorUri: string): Promise<number> {
  const rows = await db.query(
    `DELETE FROM federation_remote_videos WHERE object_uri = $1 AND (actor_uri = $2
       OR object->'attributedTo' @> to_jsonb($2::text)
       OR object->'attributedTo' @> jsonb_build_array(jsonb_build_object('id', $2::text)))
     RETURNING object_uri`,
    [objectUri, actorUri],
  );
  return rows.length;
}

/** Remote videos from the actors a channel follows, newest first. */
export async function listRemoteVideosForChannel(db: Queryable, channelId: string, limit = 100): Promise<RemoteVideoRow[]> {
  return db.query<RemoteVideoRow>(
    `SELECT r.object_uri, r.actor_uri, r.name, r.watch_url, r.thumbnail_url, r.duration_seconds, r.published_at
       FROM federation_remote_videos r
      WHERE r.actor_uri IN (SELECT actor_uri FROM federation_following WHERE channel_id = $1)
      ORDER BY r.published_at DESC NULLS LAST, r.received_at DESC LIMIT $2`,
    [channelId, limit],
  );
}

// ---- what followers were told about each local video ----

export interface VideoStateRow {
  video_id: string;
  channel_id: string;
  short_id: string;
  state: 'published' | 'deleted';
  version: Date;
}

/** The state row, locked for the rest of the transaction (a sync decides and writes under this lock). */
export async function lockVideoState(db: Queryable, videoId: string): Promise<VideoStateRow | undefined> {
  const rows = await db.query<VideoStateRow>(
    'SELECT video_id, channel_id, short_id, state, version FROM federation_video_state WHERE video_id = $1 FOR UPDATE',
    [videoId],
  );
  return rows[0];
}

export async function saveVideoState(db: Queryable, s: { videoId: string; channelId: string; shortId: string; state: 'published' | 'deleted'; version: Date; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO federation_video_state (video_id, channel_id, short_id, state, version, changed_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (video_id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at`,
    [s.videoId, s.channelId, s.shortId, s.state, s.version, s.at],
  );
}

/** Remembers the inboxes a video was sent to. */
export async function addVideoRecipients(db: Queryable, videoId: string, inboxes: string[]): Promise<void> {
  if (inboxes.length === 0) return;
  await db.query(
    `INSERT INTO federation_video_recipients (video_id, inbox_uri) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [videoId, inboxes],
  );
}

/** Inboxes a video was ever sent to. */
export async function videoRecipients(db: Queryable, videoId: string): Promise<string[]> {
  const rows = await db.query<{ inbox_uri: string }>('SELECT inbox_uri FROM federation_video_recipients WHERE video_id = $1', [videoId]);
  return rows.map((r) => r.inbox_uri);
}

/** "Listed" at time $N, on the videos row `v`: the videos capability's rule, the only videos ever federated. */
const LISTED = (now: string) => listedVideoCondition('v', now);

/** The site's listed videos, newest first (the instance actor's outbox), and how many there are. */
export async function listListedVideos(db: Queryable, now: Date, limit: number, offset: number): Promise<{ rows: { short_id: string; at: Date }[]; total: number }> {
  const rows = await db.query<{ short_id: string; at: Date }>(
    `SELECT v.short_id, COALESCE(v.publish_at, v.created_at) AS at FROM videos v
      WHERE ${LISTED('$1')} ORDER BY COALESCE(v.publish_at, v.created_at) DESC, v.id LIMIT $2 OFFSET $3`,
    [now, limit, offset],
  );
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos v WHERE ${LISTED('$1')}`, [now]);
  return { rows, total: count[0]!.n };
}

/** Videos whose federated state differs from what followers were last told (the reconcile job's work list). */
export async function videosOutOfSync(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `(SELECT v.id FROM videos v LEFT JOIN federation_video_state s ON s.video_id = v.id
       WHERE ${LISTED('$1')} AND (s.video_id IS NULL OR s.state <> 'published' OR s.version <> v.updated_at) LIMIT $2)
     UNION
     (SELECT s.video_id FROM federation_video_state s LEFT JOIN videos v ON v.id = s.video_id
       WHERE s.state = 'published' AND (v.id IS NULL OR NOT (${LISTED('$1')})) LIMIT $2)`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

// ---- the inbox log (replays are applied once) ----

export async function wasApplied(db: Queryable, activityUri: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM federation_inbox_log WHERE activity_uri = $1', [activityUri]);
  return rows.length > 0;
}

export async function markApplied(db: Queryable, a: { activityUri: string; type: string; actorUri: string; objectUri: string | null; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO federation_inbox_log (activity_uri, type, actor_uri, object_uri, received_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (activity_uri) DO NOTHING`,
    [a.activityUri.slice(0, 2000), a.type.slice(0, 100), a.actorUri.slice(0, 2000), a.objectUri?.slice(0, 2000) ?? null, a.at],
  );
}

export interface InboxLogRow {
  activity_uri: string;
  type: string;
  actor_uri: string;
  object_uri: string | null;
  received_at: Date;
}

/** The latest applied incoming activities, newest first. */
export async function recentInboxLog(db: Queryable, limit = 100): Promise<InboxLogRow[]> {
  return db.query<InboxLogRow>(
    'SELECT activity_uri, type, actor_uri, object_uri, received_at FROM federation_inbox_log ORDER BY received_at DESC, activity_uri LIMIT $1',
    [limit],
  );
}

export async function pruneInboxLog(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM federation_inbox_log WHERE received_at < $1', [before]);
}

/** Rejects the replies still held under a channel's videos from `domain` or its subdomains (the channel blocked that server). */
export async function rejectHeldRepliesFrom(db: Queryable, channelId: string, domain: string): Promise<number> {
  const rows = await db.query(
    `UPDATE federation_comments c SET status = 'rejected', updated_at = now()
      WHERE ${OF_CHANNEL} AND c.status = 'held'
        AND (split_part(split_part(c.actor_uri, '/', 3), ':', 1) = $2 OR split_part(split_part(c.actor_uri, '/', 3), ':', 1) LIKE '%.' || $2)
      RETURNING c.note_uri`,
    [channelId, domain],
  );
  return rows.length;
}

/** The channel's videos whose followers were last told they are published (what a change of comment policy updates). */
export async function publishedVideoIds(db: Queryable, channelId: string): Promise<string[]> {
  return (await db.query<{ video_id: string }>(`SELECT video_id FROM federation_video_state WHERE channel_id = $1 AND state = 'published'`, [channelId])).map((r) => r.video_id);
}

/** Removes a channel's followers on `domain` or its subdomains (the channel blocked that server); their actor URIs. */
export async function deleteFollowersFrom(db: Queryable, channelId: string, domain: string): Promise<string[]> {
  const rows = await db.query<{ actor_uri: string }>(
    `DELETE FROM federation_followers WHERE channel_id = $1
        AND (split_part(split_part(actor_uri, '/', 3), ':', 1) = $2 OR split_part(split_part(actor_uri, '/', 3), ':', 1) LIKE '%.' || $2)
      RETURNING actor_uri`,
    [channelId, domain],
  );
  return rows.map((r) => r.actor_uri);
}
