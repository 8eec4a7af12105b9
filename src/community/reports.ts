/**
 * The report button: a signed-in fan reports a comment or a post they can see. Reports wait in the
 * channel's moderation queue (the `comment-report` source), one entry per reported thing: approving keeps
 * it, rejecting removes it (a comment is deleted, a post too, and the fediverse is told).
 */
import type { AppDeps } from '../core/deps.js';
import type { CurrentUser } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';
import { hitRateLimit } from '../core/http/rate-limit.js';
import type { HeldItem, ModerationDecision } from '../moderation/index.js';
import { contactsOf } from '../accounts/index.js';
import * as cq from './comment-queries.js';
import { removeComment } from './comments.js';
import { findChannelById } from '../channels/index.js';
import type { PostRow } from './post-queries.js';
import { removePost } from './posts.js';
import * as rq from './report-queries.js';

/** Reports per account in an hour: enough for a bad thread, too few to flood the queue. */
const REPORT_LIMIT = { perAccount: 20, windowSeconds: 3600 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function file(deps: AppDeps, user: CurrentUser, channelId: string, target: rq.ReportTarget, reason: string): Promise<void> {
  const now = deps.clock.now();
  await hitRateLimit(deps.db, { bucket: `report:user:${user.id}`, limit: REPORT_LIMIT.perAccount, windowSeconds: REPORT_LIMIT.windowSeconds, now });
  await deps.db.transaction(async (tx) => {
    const isNew = await rq.insertReport(tx, { channelId, target, reporterId: user.id, reason, at: now });
    // The team hears of a reported thing once (its first report); the moderation page gathers the others.
    if (isNew) await deps.events.publish(tx, 'content.reported', { channelId, kind: target.kind, id: target.id }, `reported:${target.kind}:${target.id}`);
  });
}

/** Reports a shown comment; returns it (for the page to go back to). Unknown, held or deleted: 404. */
export async function reportComment(deps: AppDeps, user: CurrentUser, commentId: string, reason: string): Promise<cq.CommentRow> {
  const row = await cq.findComment(deps.db, commentId);
  if (!row || row.status !== 'approved' || row.deleted_at) throw new NotFoundError('community.comment_not_found');
  await file(deps, user, row.channel_id, { kind: 'comment', id: row.id }, reason);
  return row;
}

/** Reports a post the fan can read (the route checks it is not locked for them). */
export async function reportPost(deps: AppDeps, user: CurrentUser, post: PostRow, reason: string): Promise<void> {
  await file(deps, user, post.channel_id, { kind: 'post', id: post.id }, reason);
}

/** Whether a moderation id names a reported thing (`comment:<uuid>`, `post:<uuid>`) rather than a held comment. */
export function isReportId(id: string): boolean {
  return /^(comment|post):/.test(id);
}

/**
 * The reported things of a channel, as the moderation page lists them (id `comment:<uuid>` or `post:<uuid>`),
 * beside held comments in the comments' list: `about` starts with ⚑ and the number of reports, then their reasons.
 */
export async function reportedItems(deps: AppDeps, channelId: string): Promise<HeldItem[]> {
  const rows = await rq.heldReports(deps.db, channelId);
  const names = new Map((await contactsOf(deps.db, rows.flatMap((r) => (r.author_id ? [r.author_id] : [])))).map((u) => [u.id, u.display_name]));
  return rows.map((r) => ({
    id: r.comment_id ? `comment:${r.comment_id}` : `post:${r.post_id}`,
    author: r.author_id ? (names.get(r.author_id) ?? null) : null,
    authorUrl: null,
    text: r.html ?? '',
    html: true,
    about: [`⚑ ${r.reports}`, r.about, ...r.reasons.filter(Boolean).map((reason) => `“${reason}”`)].filter(Boolean).join(' · '),
    receivedAt: r.first_at,
  }));
}

/** The team's decision on a reported thing: approved keeps it, rejected removes it. */
export async function decideReport(deps: AppDeps, channelId: string, id: string, decision: ModerationDecision): Promise<boolean> {
  const [kind, targetId] = id.split(':');
  if ((kind !== 'comment' && kind !== 'post') || !targetId || !UUID.test(targetId)) return false;
  const target: rq.ReportTarget = { kind, id: targetId };
  const settled = await deps.db.transaction(async (tx) => {
    if (!(await rq.settleReports(tx, channelId, target, decision))) return false;
    if (decision === 'rejected' && kind === 'comment') {
      const row = await cq.findComment(tx, targetId);
      if (row && !row.deleted_at) await removeComment(deps, tx, row);
    }
    return true;
  });
  if (settled && decision === 'rejected' && kind === 'post') {
    const channel = await findChannelById(deps.db, channelId);
    if (channel) await removePost(deps, channel, targetId).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  }
  return settled;
}
