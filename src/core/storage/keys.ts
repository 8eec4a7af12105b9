/** Keys are relative paths of safe segments; anything that could climb out of the root is refused. */
export function isSafeKey(key: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i.test(key) && !key.includes('..');
}

/** Throws unless `isSafeKey(key)`; every storage method calls it before any I/O. */
export function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${key}`);
}

/**
 * A prefix names a folder of keys (`videos/abc`); a trailing slash is allowed and dropped. The empty
 * prefix is refused so that a bug can never turn `deletePrefix` into "delete everything".
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  assertSafeKey(trimmed);
  return trimmed;
}

/**
 * Joins a public base URL and a key. Each segment is percent-encoded even though safe keys need none,
 * so a future relaxation of `assertSafeKey` cannot produce a broken or hijacked URL.
 */
export function joinPublicUrl(base: string, key: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return root + key.split('/').map(encodeURIComponent).join('/');
}
