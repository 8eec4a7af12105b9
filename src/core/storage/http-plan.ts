import type { StoredFileInfo } from './media-storage.js';

/** What to answer a GET or HEAD for a stored file, decided from its validators and the request headers. */
export type ResponsePlan =
  | { status: 200; start: number; end: number }
  | { status: 206; start: number; end: number }
  | { status: 304 }
  | { status: 416 };

/** The request headers that matter, read through a getter so both Hono and `Headers` can supply them. */
export type HeaderGetter = (name: string) => string | undefined | null;

/**
 * Applies RFC 9110 in its order: If-None-Match (or, without it, If-Modified-Since) may answer 304;
 * then a single byte Range, guarded by If-Range, may answer 206 or 416. HEAD ignores Range, as the RFC
 * defines ranges for GET only. Invalid and multi-range headers are ignored and the whole file is sent:
 * the RFC allows it, players never ask for several ranges, and it spares us multipart/byteranges.
 */
export function planResponse(header: HeaderGetter, method: string, info: StoredFileInfo): ResponsePlan {
  const whole = { status: 200 as const, start: 0, end: info.size - 1 };
  if (notModified(header, info)) return { status: 304 };
  const rangeHeader = header('range');
  if (method !== 'GET' || !rangeHeader || !ifRangeAllows(header('if-range'), info)) return whole;
  const range = parseRange(rangeHeader, info.size);
  if (range === 'ignore') return whole;
  if (range === 'unsatisfiable') return { status: 416 };
  return { status: 206, ...range };
}

function notModified(header: HeaderGetter, info: StoredFileInfo): boolean {
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch) return ifNoneMatch.trim() === '*' || entityTags(ifNoneMatch).some((tag) => weakMatch(tag, info.etag));
  const since = parseHttpDate(header('if-modified-since'));
  return since !== undefined && wholeSeconds(info.modified) <= since;
}

function ifRangeAllows(ifRange: string | undefined | null, info: StoredFileInfo): boolean {
  if (!ifRange) return true;
  const value = ifRange.trim();
  // An entity tag must match strongly; a date must be exactly the file's Last-Modified.
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && value === info.etag;
  return parseHttpDate(value) === wholeSeconds(info.modified);
}

/**
 * One `bytes=` range resolved against `size` (inclusive offsets), 'unsatisfiable' for a valid range
 * outside the file, or 'ignore' for anything we choose not to honour (bad syntax, other units, lists).
 */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | 'ignore' {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return 'ignore';
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'ignore';
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return 'ignore';
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (!Number.isSafeInteger(start) || Number.isNaN(end) || end < start) return 'ignore';
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

function entityTags(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

function weakMatch(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

function parseHttpDate(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

// HTTP dates have whole seconds, so a file changed at 12:00:00.700 was "modified at 12:00:00".
function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}
