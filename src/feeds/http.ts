import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { planResponse } from '../core/storage/http-plan.js';

/** Options of `conditionalResponse`. */
export interface ConditionalResponseOptions {
  contentType: string;
  cacheControl: string;
  lastModified: Date;
  /** Extra headers on both the 200 and the 304. */
  headers?: Record<string, string>;
}

/**
 * Answers with `body`, or 304 when the client's copy is current. The ETag is a hash of the body, so it
 * changes exactly when the document does; If-None-Match wins over If-Modified-Since (RFC 9110), and
 * feed readers send both. The rules are the media files' (core/storage/http-plan.ts), minus ranges.
 */
export function conditionalResponse(c: Context, body: string, options: ConditionalResponseOptions): Response {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const modified = new Date(Math.floor(options.lastModified.getTime() / 1000) * 1000);
  const headers = { ETag: etag, 'Last-Modified': modified.toUTCString(), 'Cache-Control': options.cacheControl, ...options.headers };
  // Documents this small are never sent in parts: the Range header is ignored.
  const plan = planResponse((name) => (name === 'range' ? undefined : c.req.header(name)), c.req.method, { etag, modified, size: Buffer.byteLength(body) });
  if (plan.status === 304) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, 'Content-Type': options.contentType });
}
