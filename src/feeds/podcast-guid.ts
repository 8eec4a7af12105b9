import { createHash } from 'node:crypto';

/** The "podcast" namespace of the Podcasting 2.0 `<podcast:guid>` (itself UUIDv5 of its URL in the URL namespace). */
export const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

/** UUID version 5 (RFC 9562): SHA-1 of the namespace's 16 bytes then the name's UTF-8 bytes. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The `<podcast:guid>` of a feed: UUIDv5 of its URL with the scheme and trailing slashes stripped off
 * (https://podcastindex.org/namespace/1.0#guid). The spec wants it assigned once and kept when the
 * feed moves; we derive it from the current URL, so a site that changes its PUBLIC_URL gets a new one.
 */
export function podcastGuid(feedUrl: string): string {
  return uuidV5(feedUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, ''), PODCAST_GUID_NAMESPACE);
}
