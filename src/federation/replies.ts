import { createHash } from 'node:crypto';
import type { AppDeps } from '../core/deps.js';
import { enqueue } from '../core/jobs/index.js';
import { OWNER_IDENTIFIER } from './actors.js';
import type { FederationServices } from './federation.js';
import * as q from './queries.js';
import { postArticleUri } from './post-articles.js';
import { DELIVER_TO_ACTOR_JOB } from './recommend.js';
import { videoObjectUri } from './video-object.js';

/**
 * Approves or rejects a held remote reply and tells its author's server, as PeerTube expects of a video
 * with `commentsPolicy: 3` (requires approval): an `ApproveReply` (or `RejectReply`) whose `object` is the
 * reply's URL, sent by the owner's Person — PeerTube's process-reply-approval.ts accepts it only from the
 * account owning the video's channel, then shows the reply to everyone (it ignores RejectReply so far: the
 * reply then stays visible to its author only). The moderation capability calls
 * this (through federation's index.ts) when the team decides. False when the reply is not this channel's.
 */
export async function decideRemoteReply(
  deps: AppDeps,
  fed: FederationServices,
  channelId: string,
  noteUri: string,
  decision: 'approved' | 'rejected',
): Promise<boolean> {
  const owner = fed.context().getActorUri(OWNER_IDENTIFIER).href;
  return deps.db.transaction(async (tx) => {
    if (!(await q.decideComment(tx, channelId, noteUri, decision))) return false;
    const rows = await tx.query<{ actor_uri: string; short_id: string | null; post_id: string | null }>(
      'SELECT c.actor_uri, v.short_id, c.post_id FROM federation_comments c LEFT JOIN videos v ON v.id = c.video_id WHERE c.note_uri = $1',
      [noteUri],
    );
    const reply = rows[0];
    if (!reply) return true;
    const type = decision === 'approved' ? 'ApproveReply' : 'RejectReply';
    const activity = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${owner}#${type === 'ApproveReply' ? 'approve' : 'reject'}-reply/${createHash('sha256').update(noteUri).digest('hex').slice(0, 32)}`,
      type,
      actor: owner,
      object: noteUri,
      inReplyTo: reply.short_id ? videoObjectUri(deps.config.publicUrl, reply.short_id) : postArticleUri(deps.config.publicUrl, reply.post_id ?? ''),
    };
    // The author's inbox is found by the job (through the address guard), then the activity is delivered signed by the owner.
    await enqueue(
      tx,
      { type: DELIVER_TO_ACTOR_JOB, payload: { channelId, actor: reply.actor_uri, activity, as: 'owner' }, maxAttempts: 8, dedupeKey: `fed-reply-decision:${activity.id}`.slice(0, 400) },
      deps.clock,
    );
    return true;
  });
}
