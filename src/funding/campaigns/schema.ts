import { z } from 'zod';

/** The campaign form, as typed: amounts and the deadline stay text here, read in the campaign's currency and zone by the service. */
export const campaignFormSchema = z.object({
  title: z.string().trim().min(1, 'error.required').max(120, 'campaign.too_long'),
  slug: z.string().trim().toLowerCase().min(1, 'error.required').max(60, 'campaign.slug_invalid'),
  description: z.string().trim().max(20000, 'campaign.too_long').default(''),
  faq: z.string().trim().max(20000, 'campaign.too_long').default(''),
  goal_kind: z.enum(['amount', 'backers'], 'campaign.goal_kind_invalid').default('amount'),
  goal: z.string().trim().min(1, 'error.required').max(20, 'campaign.amount_invalid'),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'campaign.currency_invalid'),
  min_pledge: z.string().trim().min(1, 'error.required').max(20, 'campaign.amount_invalid'),
  deadline: z.string().trim().min(1, 'error.required').max(16, 'campaign.deadline_invalid'),
  time_zone: z.string().trim().min(1, 'error.required').max(64, 'campaign.time_zone_invalid'),
  pitch_video: z.string().trim().max(200, 'campaign.pitch_video_invalid').default(''),
});

export const pledgeSchema = z.object({
  amount: z.string().trim().min(1, 'error.required').max(20, 'campaign.amount_invalid'),
  reward: z.string().trim().max(40, 'campaign.reward_unknown').default(''),
  provider: z.string().trim().max(20, 'campaign.provider_unknown').default(''),
});

export const extendSchema = z.object({ new_deadline: z.string().trim().min(1, 'error.required').max(16, 'campaign.deadline_invalid') });

export const rewardSchema = z.object({
  reward_title: z.string().trim().min(1, 'error.required').max(120, 'campaign.too_long'),
  reward_price: z.string().trim().min(1, 'error.required').max(20, 'campaign.amount_invalid'),
  reward_quantity: z.string().trim().regex(/^(|[1-9]\d{0,8})$/, 'campaign.quantity_invalid').default(''),
  reward_delivery: z.string().trim().regex(/^(|\d{4}-(0[1-9]|1[0-2]))$/, 'campaign.delivery_month_invalid').default(''),
  reward_description: z.string().trim().max(4000, 'campaign.too_long').default(''),
});

export const stretchGoalSchema = z.object({
  stretch_threshold: z.string().trim().min(1, 'error.required').max(20, 'campaign.amount_invalid'),
  stretch_description: z.string().trim().min(1, 'error.required').max(2000, 'campaign.too_long'),
});

export const videoRefSchema = z.object({ video: z.string().trim().min(1, 'error.required').max(200, 'campaign.video_invalid') });
