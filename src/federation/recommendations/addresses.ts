import { isIP } from 'node:net';

/**
 * Why an address is not fetched from. `public` means it may be; every other value names the special
 * range it falls in, for logs and tests.
 */
export type AddressClass =
  | 'public'
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'reserved'
  | 'documentation';

type Range = { bits: number[]; prefix: number; kind: Exclude<AddressClass, 'public' | 'invalid'> };

// IANA special-purpose registries: ranges that are not on the public internet, or not unicast.
const V4_RANGES: Range[] = [
  { bits: [0, 0, 0, 0], prefix: 8, kind: 'unspecified' }, // "this network", includes 0.0.0.0
  { bits: [10, 0, 0, 0], prefix: 8, kind: 'private' },
  { bits: [100, 64, 0, 0], prefix: 10, kind: 'shared' }, // carrier-grade NAT
  { bits: [127, 0, 0, 0], prefix: 8, kind: 'loopback' },
  { bits: [169, 254, 0, 0], prefix: 16, kind: 'link_local' }, // cloud metadata services live here
  { bits: [172, 16, 0, 0], prefix: 12, kind: 'private' },
  { bits: [192, 0, 0, 0], prefix: 24, kind: 'reserved' },
  { bits: [192, 0, 2, 0], prefix: 24, kind: 'documentation' },
  { bits: [192, 88, 99, 0], prefix: 24, kind: 'reserved' },
  { bits: [192, 168, 0, 0], prefix: 16, kind: 'private' },
  { bits: [198, 18, 0, 0], prefix: 15, kind: 'reserved' }, // benchmarking
  { bits: [198, 51, 100, 0], prefix: 24, kind: 'documentation' },
  { bits: [203, 0, 113, 0], prefix: 24, kind: 'documentation' },
  { bits: [224, 0, 0, 0], prefix: 4, kind: 'multicast' },
  { bits: [240, 0, 0, 0], prefix: 4, kind: 'reserved' }, // includes 255.255.255.255
];

// IPv6 is checked against an allow-list (global unicast, 2000::/3) minus these; embedded IPv4 forms
// (mapped, NAT64, 6to4) are unwrapped first and judged as IPv4.
const V6_RANGES: Range[] = [
  { bits: [0x20, 0x01, 0x0d, 0xb8], prefix: 32, kind: 'documentation' },
  { bits: [0x20, 0x01, 0x00, 0x00], prefix: 23, kind: 'reserved' }, // IETF protocol assignments, Teredo
  { bits: [0x3f, 0xff], prefix: 20, kind: 'documentation' },
];

function inRange(bytes: Uint8Array, range: Range): boolean {
  let left = range.prefix;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bits[i] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(address: string): Uint8Array {
  return Uint8Array.from(address.split('.').map(Number));
}

/** 16 bytes of an IPv6 address (`::`, embedded dotted IPv4 and zone ids handled). */
function parseV6(address: string): Uint8Array {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    text = text.slice(0, dotted.index) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function classifyV4(bytes: Uint8Array): AddressClass {
  return V4_RANGES.find((r) => inRange(bytes, r))?.kind ?? 'public';
}

function classifyV6(bytes: Uint8Array): AddressClass {
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  // ::ffff:a.b.c.d (IPv4-mapped): the socket would reach the IPv4 address.
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(bytes.subarray(12));
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix): a NAT64 gateway forwards to the IPv4 address.
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return classifyV4(bytes.subarray(12));
  // 2002:a.b.c.d::/48 (6to4): relays reach the embedded IPv4 address.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    const v4 = classifyV4(bytes.subarray(2, 6));
    if (v4 !== 'public') return v4;
  }
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && bytes[15] === 1) return 'loopback';
  if (bytes[0] === 0xff) return 'multicast';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link_local';
  if ((bytes[0]! & 0xfe) === 0xfc) return 'unique_local';
  if ((bytes[0]! & 0xe0) !== 0x20) return 'reserved'; // outside 2000::/3, incl. site-local fec0::/10 and ::/8
  return V6_RANGES.find((r) => inRange(bytes, r))?.kind ?? 'public';
}

/**
 * Says which special range an IP address (v4 or v6, as `dns.lookup` or a URL gives it, brackets
 * allowed) falls in, or `public`. Pure: no network. IPv4-mapped, NAT64 and 6to4 IPv6 forms are judged
 * by the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare.replace(/%.*$/, ''));
  if (version === 4) return classifyV4(parseV4(bare));
  if (version === 6) return classifyV6(parseV6(bare));
  return 'invalid';
}

/** True when Fanfare may connect to this address by default: a public unicast address. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}
