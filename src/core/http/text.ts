// The one rule for text entering the site (forms, query strings, paths, JSON bodies, redirect targets):
// control characters are refused at the boundary, with a translated 4xx, before any of it reaches the
// database, a log line or a header. NUL cannot even be stored (PostgreSQL text refuses it); the other
// controls are invisible, break feeds, logs and headers (`\x0b` in a Location header is a 500 in Node),
// spoof what a title shows, and browsers drop tabs and newlines from URLs (`/\t/evil.example` becomes
// `//evil.example`, an open redirect).
import { z } from 'zod';

/** C0 controls but tab, line feed and carriage return, DEL and the C1 controls: never legitimate. */
const TEXT_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every C0 and C1 control, tab and newlines included: what a one-line value (a name, a path) refuses. */
const LINE_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * `text`: multi-line text (a description, a message), where tabs and newlines are legitimate;
 * `line`: one line (a name, a title, an address, a path, a search), where they are not.
 */
export type TextKind = 'text' | 'line';

/** Whether `value` holds a character the kind of text refuses (NUL always). */
export function hasControlCharacters(value: string, kind: TextKind = 'text'): boolean {
  return (kind === 'line' ? LINE_CONTROL : TEXT_CONTROL).test(value);
}

/** `value` without the characters its kind refuses (to show a refused field again, cleaned). */
export function withoutControlCharacters(value: string, kind: TextKind = 'text'): string {
  return value.replace(new RegExp((kind === 'line' ? LINE_CONTROL : TEXT_CONTROL).source, 'g'), '');
}

/** The message key every refusal of control characters carries. */
export const CONTROL_CHARACTERS_MESSAGE = 'error.control_characters' as const;

/**
 * A zod string refusing control characters, the refinement every schema of text entering the site
 * starts from: `oneLineText()` for one-line values, `multiLineText()` for multi-line ones. Chain the
 * usual checks after it (`oneLineText().trim().min(1, 'error.required').max(80, …)`).
 */
export function oneLineText(): z.ZodString {
  return z.string().refine((v) => !hasControlCharacters(v, 'line'), CONTROL_CHARACTERS_MESSAGE);
}

/** See {@link oneLineText}: multi-line text, where tabs and newlines are kept. */
export function multiLineText(): z.ZodString {
  return z.string().refine((v) => !hasControlCharacters(v, 'text'), CONTROL_CHARACTERS_MESSAGE);
}

/**
 * Whether any string inside a parsed JSON value holds a control character a text refuses (keys
 * included): JSON escapes (`\u0000`) get past byte-level checks.
 */
export function jsonHasControlCharacters(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasControlCharacters(value, 'text');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => jsonHasControlCharacters(v, depth + 1));
  return Object.entries(value).some(([k, v]) => hasControlCharacters(k, 'text') || jsonHasControlCharacters(v, depth + 1));
}
