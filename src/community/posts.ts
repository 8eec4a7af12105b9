/** Posts: the creator writes to their audience; the post is shown on the channel and e-mailed to whom it is for. */
import { randomBytes } from 'node:crypto';
import type { ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { CurrentUser } from '../core/http/context.js';
import { NotFoundError, ValidationError } from '../core/http/errors.js';
import { findCampaign } from '../funding/campaigns/index.js';
import { listTiers } from '../funding/memberships/index.js';
import { renderMarkdown } from '../videos/index.js';
import { postRecipients, startMailing } from './mailings.js';
import * as pq from './post-queries.js';
import type { PostInput } from './schema.js';

/** Publishes a post and queues its e-mails, in one transaction: both or neither. */
export async function publishPost(deps: AppDeps, channel: ChannelRow, author: CurrentUser, input: PostInput): Promise<pq.PostRow> {
  const tiers = await listTiers(deps.db, channel.id);
  if (input.tierIds.some((id) => !tiers.some((t) => t.id === id))) throw new ValidationError({ tiers: 'community.post_tier_unknown' });
  const campaign = input.audience === 'backers' && input.campaignId ? await findCampaign(deps.db, input.campaignId) : undefined;
  if (input.audience === 'backers' && (!campaign || campaign.channel_id !== channel.id || campaign.state === 'draft')) {
    throw new ValidationError({ campaign: 'community.post_campaign_unknown' });
  }
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const post = await pq.insertPost(tx, {
      channel_id: channel.id, slug: randomBytes(8).toString('base64url').slice(0, 11), title: input.title, body: input.body, body_html: renderMarkdown(input.body),
      audience: input.audience, tier_ids: input.audience === 'members' ? input.tierIds : [], campaign_id: campaign?.id ?? null, published_at: now, authorId: author.id,
    });
    await startMailing(deps, tx, { channelId: channel.id, kind: 'post', subjectId: post.id, recipients: await postRecipients(tx, post, now) });
    await deps.events.publish(tx, 'post.published', { postId: post.id, channelId: channel.id, audience: post.audience });
    return post;
  });
}

/**
 * Edits a post's title and text. Its e-mails are not sent again (a post is mailed once, when published);
 * a public post's Article is updated on the fediverse (`post.edited`). Who it is for does not change.
 */
export async function editPost(deps: AppDeps, channel: ChannelRow, postId: string, input: { title: string; body: string }): Promise<pq.PostRow> {
  return deps.db.transaction(async (tx) => {
    const post = await pq.findChannelPost(tx, channel.id, postId);
    if (!post) throw new NotFoundError('community.post_not_found');
    const edited = (await pq.updatePost(tx, post.id, { title: input.title, body: input.body, body_html: renderMarkdown(input.body), at: deps.clock.now() }))!;
    await deps.events.publish(tx, 'post.edited', { postId: post.id, channelId: channel.id, audience: post.audience });
    return edited;
  });
}

/**
 * Deletes a post: its page is gone, e-mails not yet sent are not sent (the mailing finds no subject), and a
 * public post's Article is deleted on the fediverse (`post.deleted`).
 */
export async function removePost(deps: AppDeps, channel: ChannelRow, postId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const post = await pq.findChannelPost(tx, channel.id, postId);
    if (!post) throw new NotFoundError('community.post_not_found');
    await pq.deletePost(tx, post.id);
    await deps.events.publish(tx, 'post.deleted', { postId: post.id, channelId: channel.id, audience: post.audience });
  });
}
