import { z } from 'zod';
import { oneLineText, multiLineText } from '../../core/http/text.js';

export const tipFormSchema = z.object({
  amount: z.string().trim().min(1, 'error.required').max(20, 'tip.amount_invalid'),
  message: multiLineText().trim().max(500, 'tip.message_too_long').default(''),
  anonymous: z.string().optional().transform((v) => v === 'on' || v === 'true'),
  email: z.union([z.literal(''), z.string().trim().toLowerCase().max(254, 'error.email_invalid').pipe(z.email('error.email_invalid'))]).default(''),
  display_name: oneLineText().trim().max(80, 'account.name_too_long').default(''),
  provider: z.string().max(20).default(''),
});

export const tipSettingsSchema = z.object({
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'tip.currency_invalid'),
  minimum: z.string().trim().min(1, 'error.required').max(20, 'tip.amount_invalid'),
  lightning_address: z.string().trim().max(254, 'tip.lightning_invalid').default(''),
});
