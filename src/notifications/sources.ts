import { contactsOf } from '../accounts/index.js';
import { findChannelById } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { DomainEvents } from '../core/events/index.js';
import { findMembershipSummary } from '../funding/memberships/index.js';
import { findTipSummary } from '../funding/tips/index.js';
import { findVideoById } from '../videos/index.js';
import { notify } from './service.js';

type Meta = { key: string };
const studio = async (deps: AppDeps, channelId: string, page: string) => {
  const channel = await findChannelById(deps.db, channelId);
  return channel ? `/studio/channels/${channel.handle}/${page}` : null;
};

/** A paid tip: its amount and who sent it; when its message waits for moderation, the notice says so. */
export async function tipPaid(deps: AppDeps, { paymentId, purpose, channelId }: DomainEvents['payment.succeeded']): Promise<void> {
  // A tip always names its channel (only fan-budget charges, split among creators, name none).
  if (purpose !== 'tip' || !channelId) return;
  const tip = await findTipSummary(deps.db, paymentId);
  if (!tip) return;
  await notify(deps, {
    channelId,
    kind: tip.messageHeld ? 'tip_held' : 'tip',
    params: { amount: tip.amount, currency: tip.currency, from: tip.from, video: tip.videoTitle },
    link: await studio(deps, channelId, tip.messageHeld ? 'moderation' : 'tips'),
    dedupeKey: `tip:${paymentId}`,
  });
}

/**
 * A membership changed: a new member (once per membership, so renewals and upgrades say nothing), a
 * cancellation, a failed renewal (once per period), an end. A checkout never paid was never a member.
 */
export async function membershipChanged(deps: AppDeps, { membershipId, channelId, status }: DomainEvents['membership.changed']): Promise<void> {
  const m = await findMembershipSummary(deps.db, membershipId);
  if (!m || !m.paid) return;
  const params = { fan: m.fan, tier: m.tier };
  const link = await studio(deps, channelId, 'members');
  const period = m.currentPeriodEnd?.toISOString() ?? '';
  const kinds = {
    active: { kind: 'member_joined', key: `member_joined:${membershipId}` },
    cancelled: { kind: 'member_cancelled', key: `member_cancelled:${membershipId}` },
    past_due: { kind: 'member_past_due', key: `member_past_due:${membershipId}:${period}` },
    expired: { kind: 'member_ended', key: `member_ended:${membershipId}` },
  } as const;
  const which = kinds[status as keyof typeof kinds];
  if (which) await notify(deps, { channelId, kind: which.kind, params, link, dedupeKey: which.key });
}

export async function followerAdded(deps: AppDeps, { channelId, follower }: DomainEvents['follower.added'], meta: Meta): Promise<void> {
  await notify(deps, { channelId, kind: 'follower', params: { follower }, link: null, dedupeKey: `follower:${meta.key}` });
}

export async function videoTranscoded(deps: AppDeps, { videoId, channelId, outcome }: DomainEvents['video.transcoded'], meta: Meta): Promise<void> {
  const video = await findVideoById(deps.db, videoId);
  if (!video) return;
  await notify(deps, {
    channelId,
    kind: outcome === 'ready' ? 'video_ready' : 'video_failed',
    params: { title: video.title },
    link: `/studio/videos/${videoId}`,
    dedupeKey: `video_${outcome}:${meta.key}`,
  });
}

/** A comment waits for the team (the channel's policy or a watched word held it). */
export async function commentHeld(deps: AppDeps, { commentId, videoId, channelId }: DomainEvents['comment.held']): Promise<void> {
  // A comment under a post names no video: the notice then has no title.
  const video = videoId ? await findVideoById(deps.db, videoId) : undefined;
  await notify(deps, { channelId, kind: 'comment_held', params: { title: video?.title ?? '' }, link: await studio(deps, channelId, 'moderation'), dedupeKey: `comment_held:${commentId}` });
}

/** A shown comment mentions the channel (`@handle`): its team is told, with a link to the comment. */
export async function commentMentioned(deps: AppDeps, { commentId, authorId, mentionedChannelId, page }: DomainEvents['comment.mentioned']): Promise<void> {
  const channel = await findChannelById(deps.db, mentionedChannelId);
  if (!channel) return;
  const [author] = await contactsOf(deps.db, [authorId]);
  await notify(deps, { channelId: channel.id, kind: 'comment_mentioned', params: { author: author?.display_name ?? '?', handle: channel.handle }, link: page, dedupeKey: `comment_mentioned:${commentId}:${channel.id}` });
}

/** A fan reported a comment or a post: the team is told once per reported thing, with a link to moderation. */
export async function contentReported(deps: AppDeps, { channelId, kind, id }: DomainEvents['content.reported']): Promise<void> {
  await notify(deps, { channelId, kind: 'content_reported', params: { what: kind }, link: await studio(deps, channelId, 'moderation'), dedupeKey: `content_reported:${kind}:${id}` });
}

/** A campaign ended: reached its goal (charges start), missed it, or was cancelled. */
export async function campaignEnded(deps: AppDeps, { campaignId, channelId, outcome }: DomainEvents['campaign.ended']): Promise<void> {
  await notify(deps, { channelId, kind: `campaign_${outcome}`, params: {}, link: await studio(deps, channelId, 'campaigns'), dedupeKey: `campaign_ended:${campaignId}` });
}
