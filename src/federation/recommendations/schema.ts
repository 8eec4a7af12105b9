import { z } from 'zod';
import { LIMITS } from './snapshot.js';
import { multiLineText } from '../../core/http/text.js';

/**
 * The address as pasted, made into a URL: surrounding spaces dropped, and `https://` added when the
 * creator pasted `video.example/w/abc` without a scheme. Undefined when it cannot be a URL.
 */
export function normalizePastedUrl(value: string): URL | undefined {
  const text = value.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+\.[^:/]+:\d/.test(text);
  const candidate = hasScheme ? text : `https://${text}`;
  if (!URL.canParse(candidate)) return undefined;
  const url = new URL(candidate);
  if (!hasScheme && !url.hostname.includes('.')) return undefined;
  return url;
}

/** The Studio form that adds a recommendation. Messages are message keys. */
export const recommendationFormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'error.required')
    .max(LIMITS.url, 'recommendations.url_too_long')
    .transform((value, ctx) => {
      const url = normalizePastedUrl(value);
      if (!url) ctx.addIssue({ code: 'custom', message: 'recommendations.url_invalid' });
      else if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'recommendations.url_scheme' });
      else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'recommendations.url_invalid' });
      else return url.href;
      return z.NEVER;
    }),
  note: multiLineText().trim().max(LIMITS.note, 'recommendations.note_too_long').default(''),
});
