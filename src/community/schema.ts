/** What comes in through the community's forms, checked with zod (messages are message keys). */
import { z } from 'zod';
import { emailField } from '../accounts/index.js';

const checkbox = z.string().optional().transform((v) => v === 'on' || v === '1' || v === 'true');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Following with an e-mail address only: the consent box must be ticked. */
export const emailFollowSchema = z.object({
  email: emailField,
  consent: z.enum(['on', '1'], { message: 'community.consent_required' }),
});

/** A fediverse handle typed for remote follow. */
export const remoteFollowSchema = z.object({
  handle: z.string().trim().min(1, 'error.required').max(300, 'community.handle_invalid').regex(/^@?[A-Za-z0-9_.~-]{1,100}@[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, 'community.handle_invalid'),
});

/** What a follower chooses to receive. */
export const choicesSchema = z.object({ videos: checkbox, posts: checkbox, campaigns: checkbox, members: checkbox });

export const commentSchema = z.object({
  body: z.string().trim().min(1, 'community.comment_empty').max(5000, 'community.comment_too_long'),
  parent_id: z.string().optional().transform((v) => (v ? v : null)).refine((v) => v === null || UUID.test(v), 'community.comment_parent_gone'),
});

export const commentEditSchema = z.object({ body: commentSchema.shape.body });

export const settingsSchema = z.object({
  comment_policy: z.enum(['open', 'members', 'held', 'closed'], { message: 'community.policy_invalid' }),
  watched_words: z.string().max(4000, 'community.watched_words_too_long').default(''),
});

export interface PostInput {
  title: string;
  body: string;
  audience: 'public' | 'members' | 'backers';
  tierIds: string[];
  /** For 'backers': the campaign (one of the channel's, launched). */
  campaignId?: string | null;
}

export const postSchema = z.object({
  title: z.string().trim().min(1, 'error.required').max(200, 'community.post_title_too_long'),
  body: z.string().trim().min(1, 'error.required').max(100_000, 'community.post_body_too_long'),
  audience: z.enum(['public', 'members', 'backers'], { message: 'community.audience_invalid' }),
  campaign: z.string().optional().transform((v) => (v ? v : null)),
});

/** Editing a post: its title and text (who it is for stays as published). */
export const postEditSchema = postSchema.pick({ title: true, body: true });

/** A report of a comment or a post: why, in a few words, for the team. */
export const reportSchema = z.object({ reason: z.string().trim().min(1, 'community.report_reason_required').max(1000, 'community.report_reason_too_long') });
