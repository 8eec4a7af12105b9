import { z } from 'zod';
import { oneLineText, multiLineText } from '../core/http/text.js';

/** Form fields of a channel, shared by first-run setup and the Studio. Messages are message keys. */
export const channelFields = {
  channel_name: oneLineText().trim().min(1, 'error.required').max(80, 'channel.name_too_long'),
  handle: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'error.required')
    .regex(/^[a-z0-9_]{2,30}$/, 'channel.handle_invalid'),
  description: multiLineText().trim().max(5000, 'channel.description_too_long').default(''),
  channel_language: z.enum(['en', 'fr'], 'error.language_invalid'),
};

export const channelSettingsSchema = z.object({
  channel_name: channelFields.channel_name,
  description: channelFields.description,
  channel_language: channelFields.channel_language,
});

export const newChannelSchema = z.object(channelFields);

export const teamMemberSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, 'error.email_invalid').pipe(z.email('error.email_invalid')),
  role: z.enum(['admin', 'editor'], 'channel.role_invalid'),
});
