/** A value BitTorrent's bencoding can hold. Strings are UTF-8; binary strings are Buffers. */
export type Bencodable = number | string | Uint8Array | Bencodable[] | { [key: string]: Bencodable | undefined };

/**
 * Encodes `value` as BEP 3 bencoding: integers `i…e`, byte strings `<len>:<bytes>`, lists `l…e`, and
 * dictionaries `d…e` with keys in raw byte order (the order the info hash depends on). Undefined
 * dictionary values are left out; non-integer numbers are refused.
 */
export function bencode(value: Bencodable): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: Bencodable, out: Buffer[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`bencode: ${value} is not an integer`);
    out.push(Buffer.from(`i${value}e`));
  } else if (typeof value === 'string' || value instanceof Uint8Array) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    out.push(Buffer.from(`${bytes.length}:`), bytes);
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('l'));
    for (const item of value) write(item, out);
    out.push(Buffer.from('e'));
  } else {
    out.push(Buffer.from('d'));
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of keys) {
      write(key, out);
      write(value[key]!, out);
    }
    out.push(Buffer.from('e'));
  }
}
