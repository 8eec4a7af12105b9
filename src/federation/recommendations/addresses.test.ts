import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyAddress, isPublicAddress } from './addresses.js';

describe('address classifier (no network)', () => {
  const refused: [string, string][] = [
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'link_local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['[::1]', 'loopback'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['febf:ffff::1', 'link_local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['fec0::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'reserved'],
  ];
  for (const [address, kind] of refused) {
    it(`refuses ${address} as ${kind}`, () => {
      assert.equal(classifyAddress(address), kind);
      assert.equal(isPublicAddress(address), false);
    });
  }

  for (const address of ['93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4007:80f::200e', '::ffff:93.184.216.34', '64:ff9b::5db8:d822']) {
    it(`allows the public address ${address}`, () => {
      assert.equal(classifyAddress(address), 'public');
    });
  }

  it('calls anything that is not an IP address invalid (host names are resolved first)', () => {
    for (const value of ['localhost', 'example.org', '', '1.2.3', '::g', '999.1.1.1']) assert.equal(classifyAddress(value), 'invalid', value);
  });

  it('judges an IPv4-mapped IPv6 address exactly as the IPv4 address it carries', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        assert.equal(classifyAddress(`::ffff:${v4}`), classifyAddress(v4));
      }),
    );
  });
});
