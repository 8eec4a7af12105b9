import type { Context } from 'hono';
import type { z } from 'zod';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { BadRequestError, UnsupportedMediaTypeError } from './errors.js';
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters, withoutControlCharacters } from './text.js';

export type FormData = Record<string, string | File>;

/**
 * Reads an HTML form body (urlencoded or multipart). A wrong content type is a 415 and a body that
 * cannot be parsed a 400, both with a translated message; never an unhandled exception.
 * Hono caches the parsed body, so calling this twice (CSRF check, then the route) parses once.
 */
export async function readForm(c: Context): Promise<FormData> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    throw new UnsupportedMediaTypeError();
  }
  try {
    return (await c.req.parseBody()) as FormData;
  } catch (error) {
    if (error instanceof Error && error.name === 'BodyLimitError') throw error;
    throw new BadRequestError('error.malformed_form', { cause: error });
  }
}

/** String fields only: a file sent where text was expected reads as empty. */
export function textFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) out[key] = typeof value === 'string' ? value : '';
  return out;
}

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: Record<string, MessageKey>; values: Record<string, string> };

/**
 * Validates form text against a zod schema whose messages are message keys. On failure returns the
 * per-field errors and the submitted values, so the page can be shown again with nothing lost.
 * A field holding control characters (see text.ts) is refused whatever the schema says; it is shown again
 * without them. One-line fields refuse tabs and newlines too, through their schema's `oneLineText()`.
 */
export function validateForm<S extends z.ZodType>(schema: S, form: FormData): FormResult<z.infer<S>> {
  const values = textFields(form);
  const errors: Record<string, MessageKey> = {};
  for (const [field, value] of Object.entries(values)) {
    if (!hasControlCharacters(value)) continue;
    errors[field] = CONTROL_CHARACTERS_MESSAGE;
    values[field] = withoutControlCharacters(value);
  }
  const parsed = schema.safeParse(textFields(form));
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, data: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    errors[field] = isMessageKey(issue.message) ? issue.message : 'error.invalid_field';
    // A one-line field refused for a tab or newline is shown again without them, as the message says.
    if (issue.message === CONTROL_CHARACTERS_MESSAGE && values[field] !== undefined) values[field] = withoutControlCharacters(values[field], 'line');
  }
  return { ok: false, errors, values };
}
