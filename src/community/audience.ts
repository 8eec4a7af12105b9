/**
 * Who a post is for: everyone (public), the members of chosen tiers, or the backers of one of the channel's
 * campaigns. Members-only and backers-only posts are locked for others on the site, e-mailed only to
 * their readers, never federated and never in feeds (those read public posts only).
 */
import { contactsOf } from '../accounts/index.js';
import type { Queryable } from '../core/db/index.js';
import { campaignBackerIds } from '../funding/campaigns/index.js';
import { liveMembers } from '../funding/memberships/index.js';
import type { Recipient } from './delivery-queries.js';
import type { PostRow } from './post-queries.js';

const asLocale = (l: string | null | undefined): 'en' | 'fr' => (l === 'fr' ? 'fr' : 'en');

/** Whether a signed-in account may read a post (the team always may: callers check it first). */
export async function readsPost(db: Queryable, post: PostRow, userId: string | undefined, now: Date): Promise<boolean> {
  if (post.audience === 'public') return true;
  if (!userId) return false;
  if (post.audience === 'backers') return (await campaignBackerIds(db, post.campaign_id!, [userId])).length > 0;
  return (await liveMembers(db, post.channel_id, now, { userIds: [userId], tierIds: post.tier_ids })).length > 0;
}

/** Accounts who turned off what `choice` covers for this channel, or left it (an account follow left or bounced). */
async function optedOut(db: Queryable, channelId: string, choice: 'members' | 'campaigns'): Promise<Set<string>> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT user_id FROM community_followers WHERE channel_id = $1 AND user_id IS NOT NULL AND (status IN ('unsubscribed', 'bounced') OR NOT wants_${choice})`,
    [channelId],
  );
  return new Set(rows.map((r) => r.user_id));
}

/**
 * The readers of a members-only or backers-only post to e-mail: paid-up members of its tiers, or the
 * campaign's backers, less those who opted out (members' extras, or campaign updates, turned off).
 */
export async function restrictedRecipients(db: Queryable, post: PostRow, now: Date): Promise<Recipient[]> {
  if (post.audience === 'backers') {
    const out = await optedOut(db, post.channel_id, 'campaigns');
    const backers = await contactsOf(db, (await campaignBackerIds(db, post.campaign_id!)).filter((id) => !out.has(id)));
    return backers.map((u) => ({ email: u.email, followerId: null, userId: u.id, language: asLocale(u.language) }));
  }
  const out = await optedOut(db, post.channel_id, 'members');
  const members = await liveMembers(db, post.channel_id, now, { tierIds: post.tier_ids });
  return members.filter((m) => !out.has(m.user_id)).map((m) => ({ email: m.email, followerId: null, userId: m.user_id, language: asLocale(m.language) }));
}
