import { z } from 'zod';
import { oneLineText } from '../core/http/text.js';

/** Shared field rules; messages are message keys translated when shown. */
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'error.required')
  .max(254, 'error.email_invalid')
  .pipe(z.email('error.email_invalid'));

export const displayNameField = oneLineText().trim().min(1, 'error.required').max(80, 'account.name_too_long');

export const newPasswordField = z.string().min(10, 'account.password_too_short').max(200, 'account.password_too_long');

/** Empty means "no password": magic links only. */
export const optionalNewPassword = z.union([z.literal(''), newPasswordField]).default('');

export const loginSchema = z.object({
  email: emailField,
  password: z.string().max(200, 'account.password_too_long').default(''),
});

export const signupSchema = z.object({
  email: emailField,
  display_name: displayNameField,
  password: optionalNewPassword,
});

export const profileSchema = z.object({
  display_name: displayNameField,
  language: z.enum(['en', 'fr'], 'error.language_invalid'),
});

export const passwordChangeSchema = z.object({
  current_password: z.string().max(200, 'account.password_too_long').default(''),
  new_password: newPasswordField,
});
